/** What the benchmarks share: a DocumentClient that counts every DynamoDB request it makes. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../local/services';

/**
 * Requests are counted per command at the deserialize step: once per HTTP attempt, retries
 * included. Clear `requests` between measurements.
 */
export function countingDocumentClient(endpoint: string): { doc: DynamoDBDocumentClient; requests: Record<string, number> } {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 5 });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const requests: Record<string, number> = {};
  doc.middlewareStack.add(
    (next, context) => async (a) => {
      const name = (context as { commandName?: string }).commandName ?? 'unknown';
      requests[name] = (requests[name] ?? 0) + 1;
      return next(a);
    },
    { step: 'deserialize', name: 'benchRequestCounter', priority: 'high' },
  );
  return { doc, requests };
}

/** The value after `--name` on the command line, if given. */
export function option(name: string, args: readonly string[] = process.argv.slice(2)): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
