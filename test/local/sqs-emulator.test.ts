/**
 * The local SQS endpoint (local/sqs-emulator.ts) through the real @aws-sdk/client-sqs, as the
 * jobs API and the runner send shard messages (shared/aws/shard-queue.ts): SendMessageBatch in
 * batches of ten lands every message in the in-process queue once, with the MD5s the client
 * checks; a listening queue hands them to its handler without being drained; an unknown queue
 * is SQS's QueueDoesNotExist.
 */
import { QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Adapter, startAdapter } from '../../local/adapter';
import { createQueueEmulator } from '../../local/queue-emulator';
import { freePort, LOCAL_CREDENTIALS } from '../../local/services';
import { createSqsEmulator, localQueueUrl } from '../../local/sqs-emulator';
import { createLocalIssuer } from '../../local/tokens';
import { sqsShardQueue } from '../../shared/aws/shard-queue';
import type { ShardMessage } from '../../shared/domain/job-run';

const got: string[] = [];
const heard: string[] = [];
const drained = createQueueEmulator({
  handler: async (e: SQSEvent) => (got.push(...e.Records.map((r) => r.body)), { batchItemFailures: [] }),
  workers: 2,
  visibilityTimeoutMs: 1000,
  maxReceiveCount: 3,
});
const listening = createQueueEmulator({
  handler: async (e: SQSEvent) => (heard.push(...e.Records.map((r) => r.body)), { batchItemFailures: [] }),
  workers: 2,
  visibilityTimeoutMs: 1000,
  maxReceiveCount: 3,
});
let adapter: Adapter;

beforeAll(async () => {
  const port = await freePort();
  const issuer = await createLocalIssuer({ issuer: `http://localhost:${port}/local` });
  adapter = await startAdapter({ port, issuer, quiet: true, log: () => undefined, sqs: createSqsEmulator({ drained, listening }) });
  listening.listen();
});

afterAll(async () => {
  await listening.close();
  await adapter?.close();
});

const client = () => new SQSClient({ endpoint: adapter.url, region: 'ap-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
const messages = (runId: string): ShardMessage[] =>
  Array.from({ length: 16 }, (_, shard) => ({ runId, job: 'progress-reclaim', asOf: '2020-09-30', shard, requestedBy: 'perf' }));

describe('the local SQS endpoint, through @aws-sdk/client-sqs', () => {
  it('takes 16 shard messages in batches of ten, each once, as sent', async () => {
    await sqsShardQueue(localQueueUrl(adapter.url, 'drained'), client()).send(messages('R1'));
    expect(drained.depth).toBe(16);
    await drained.drain();
    expect(got.map((b) => JSON.parse(b) as ShardMessage).sort((a, b) => a.shard - b.shard)).toEqual(messages('R1'));
  });

  it('a listening queue hands what arrives to its handler, with no drain', async () => {
    await sqsShardQueue(localQueueUrl(adapter.url, 'listening'), client()).send(messages('R2').slice(0, 3));
    for (let i = 0; i < 100 && heard.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard.map((b) => (JSON.parse(b) as ShardMessage).shard).sort()).toEqual([0, 1, 2]);
    expect(listening.depth).toBe(0);
  });

  it('answers a queue it does not have with QueueDoesNotExist', async () => {
    await expect(sqsShardQueue(localQueueUrl(adapter.url, 'nope'), client()).send(messages('R3'))).rejects.toBeInstanceOf(QueueDoesNotExist);
  });
});
