/**
 * The AWS SDK as our runtime code sees it: every SDK symbol that shared/ and functions/ use,
 * re-exported from here and imported by the bare name `@jixiao/aws-sdk` (tsconfig.json paths,
 * vitest.config.ts alias), never from `@aws-sdk/*` or `@smithy/*` directly (an architecture
 * test holds that).
 *
 * Locally (tsx, vitest, `npm start`) the name resolves to this file and so to the packages in
 * node_modules. In the Lambda bundles the name is external (infra/constructs/bundling.ts): the
 * functions load it from our SDK layer (infra/constructs/sdk-layer.ts), which is this file
 * bundled once with the SDK versions of our lockfile, so that every client shares one copy of
 * @smithy/core and each function's own package stays small.
 *
 * Adding an SDK symbol: export it here; the layer is rebuilt at the next synth.
 */
export { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
export type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
export {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
export type { QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
export { unmarshall } from '@aws-sdk/util-dynamodb';
export { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
export { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
export { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
