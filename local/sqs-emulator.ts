/**
 * The SQS API, as much of it as shared/aws/shard-queue.ts uses (`SendMessageBatch`, AWS JSON 1.0
 * as @aws-sdk/client-sqs speaks it), in front of in-process queues (queue-emulator.ts). With
 * AWS_ENDPOINT_URL_SQS pointing at the local server and SHARD_QUEUE_URL naming the local shard
 * queue, the jobs API and the runner send shard messages through the real client, unchanged;
 * `startLocalShardQueue` puts the shard worker and the dead letters' handler of infra/catalog.ts
 * behind that queue, as the event source mappings of infra/constructs/job-shards.ts do on AWS.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { JOB_FUNCTIONS, JOB_SHARDS } from '../infra/catalog';
import { lambdaContext, loadHandler } from './invoke';
import { createQueueEmulator, type QueueEmulator } from './queue-emulator';

export const SHARD_QUEUE_NAME = 'jixiao-shards';
export const localQueueUrl = (endpoint: string, name = SHARD_QUEUE_NAME) => `${endpoint}/000000000000/${name}`;

export function isSqsRequest(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  const target = headers['x-amz-target'];
  return method === 'POST' && typeof target === 'string' && target.startsWith('AmazonSQS.');
}

export interface SqsReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Queues = Record<string, Pick<QueueEmulator, 'sendBodies'>>;

export function createSqsEmulator(queues: Queues) {
  const headers = () => ({ 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
  const error = (status: number, type: string, code: string, message: string): SqsReply => ({
    status,
    headers: { ...headers(), 'x-amzn-query-error': `${code};Sender` },
    body: JSON.stringify({ __type: `com.amazonaws.sqs#${type}`, message }),
  });
  return {
    handle(target: string, body: Buffer): SqsReply {
      const action = target.replace(/^AmazonSQS\./, '');
      if (action !== 'SendMessageBatch') return error(400, 'InvalidAction', 'InvalidAction', `The local SQS emulator does not do ${action}`);
      let input: { QueueUrl?: string; Entries?: { Id: string; MessageBody: string }[] };
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return error(400, 'InvalidParameterValue', 'InvalidParameterValue', 'The request body is not JSON');
      }
      const name = (input.QueueUrl ?? '').split('/').pop() ?? '';
      const queue = queues[name];
      if (!queue) return error(400, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', `No queue ${input.QueueUrl}`);
      const entries = input.Entries ?? [];
      if (entries.length === 0 || entries.length > 10)
        return error(400, 'TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'From 1 to 10 entries');
      const ids = queue.sendBodies(entries.map((e) => e.MessageBody));
      const Successful = entries.map((e, i) => ({ Id: e.Id, MessageId: ids[i], MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') }));
      return { status: 200, headers: headers(), body: JSON.stringify({ Successful, Failed: [] }) };
    },
  };
}
export type SqsEmulator = ReturnType<typeof createSqsEmulator>;

/**
 * The local shard queue, listening: the catalog's `shards` handler takes each message (one a
 * batch, `workers` at once), a message is invisible for the worker's timeout once received, and
 * after JOB_SHARDS.maxReceiveCount receives the `shardFailures` handler gets it.
 */
export async function startLocalShardQueue(opts: { workers?: number; log?: (line: string) => void } = {}): Promise<QueueEmulator> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const { shards, shardFailures } = JOB_FUNCTIONS;
  const [worker, failed] = await Promise.all([loadHandler(shards.entry), loadHandler(shardFailures.entry, shardFailures.handler)]);
  const queue = createQueueEmulator({
    name: SHARD_QUEUE_NAME,
    workers: opts.workers ?? 4,
    batchSize: 1,
    visibilityTimeoutMs: shards.timeoutSeconds * 1000,
    maxReceiveCount: JOB_SHARDS.maxReceiveCount,
    handler: async (event: SQSEvent) => (await worker(event, lambdaContext('shards', randomUUID(), shards.timeoutSeconds * 1000))) as SQSBatchResponse,
    deadLetter: async (event: SQSEvent) => {
      log(`shard message dead-lettered after ${JOB_SHARDS.maxReceiveCount} receives: ${event.Records[0]?.body}`);
      await failed(event, lambdaContext('shardFailures', randomUUID(), shardFailures.timeoutSeconds * 1000)).catch((e: unknown) =>
        log(`shardFailures failed: ${(e as Error)?.stack ?? String(e)}`),
      );
    },
  });
  queue.listen();
  return queue;
}
