/**
 * The fan-out on, as `npm start` wires it, for a test file: the local shard queue with the
 * catalog's shard handlers behind the local adapter's SQS endpoint, and SHARD_QUEUE_URL /
 * AWS_ENDPOINT_URL_SQS pointing at it. Call before the jobs API or the runner is first loaded:
 * they read the switch at module scope.
 */
import { type Adapter, startAdapter } from '../../local/adapter';
import type { QueueEmulator } from '../../local/queue-emulator';
import { createSqsEmulator, localQueueUrl, SHARD_QUEUE_NAME, startLocalShardQueue } from '../../local/sqs-emulator';
import { createLocalIssuer } from '../../local/tokens';

export interface LocalFanout {
  queue: QueueEmulator;
  adapter: Adapter;
  close(): Promise<void>;
}

export async function startLocalFanout(workers = 4): Promise<LocalFanout> {
  const queue = await startLocalShardQueue({ workers, log: () => undefined });
  const issuer = await createLocalIssuer({ issuer: 'http://localhost/local' });
  const adapter = await startAdapter({ port: 0, issuer, quiet: true, log: () => undefined, sqs: createSqsEmulator({ [SHARD_QUEUE_NAME]: queue }) });
  process.env.AWS_ENDPOINT_URL_SQS = adapter.url;
  process.env.SHARD_QUEUE_URL = localQueueUrl(adapter.url);
  return {
    queue,
    adapter,
    async close() {
      await queue.close();
      await adapter.close();
    },
  };
}
