/**
 * AWS clients and the validated environment, made once per execution environment (module
 * scope), never per request. Endpoints come from the SDK's own AWS_ENDPOINT_URL_* variables,
 * which is how the local runtime and tests point them at DynamoDB Local and the SES emulator.
 */
import { DynamoDBClient, DynamoDBDocumentClient, SESv2Client } from '@jixiao/aws-sdk';
import * as z from '../domain/zod';
import { tracer } from './tracer';

const envSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  MAIL_FROM: z._default(z.string().check(z.minLength(3)), 'jixiao@finance.example.gov.cn'),
  /** Where the application's links in emails point. */
  APP_URL: z._default(z.string(), 'http://localhost:3000'),
});

export type AppConfig = z.infer<typeof envSchema>;

let cachedConfig: AppConfig | undefined;
export function config(): AppConfig {
  if (!cachedConfig) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    cachedConfig = parsed.data;
  }
  return cachedConfig;
}

let doc: DynamoDBDocumentClient | undefined;
export function documentClient(): DynamoDBDocumentClient {
  if (!doc) {
    doc = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({ maxAttempts: 5 })), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return doc;
}

let ses: SESv2Client | undefined;
export function sesClient(): SESv2Client {
  if (!ses) ses = tracer.captureAWSv3Client(new SESv2Client({ maxAttempts: 3 }));
  return ses;
}
