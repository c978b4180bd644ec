/**
 * Powertools Tracer (X-Ray), made once per execution environment: every handler's Middy chain
 * opens a subsegment with `captureLambdaHandler(tracer)`, and the AWS clients are wrapped so that
 * each DynamoDB, SES and Lambda call shows in the trace. Outside Lambda (tests, the local
 * runtime) the Tracer turns itself off and these calls change nothing.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: 'jixiao' });
