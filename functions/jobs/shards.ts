/**
 * The shard worker: an SQS event source mapping hands it shard messages of fanned-out runs
 * (shared/app/jobs/fanout.ts), one segment of one shard each, and it sends the message of the
 * shard's next segment to the same queue (SHARD_QUEUE_URL); each is done at least once, and a message that throws is
 * reported as a batch item failure, so only it is redelivered (after the visibility timeout)
 * and, after the queue's maxReceiveCount, moved to the dead-letter queue. The dead-letter
 * queue's mapping calls `failedHandler`, which ends the run `failed`.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AppDeps } from '../../shared/app/context';
import { failShard, runShard, type ShardMessage, type ShardQueue } from '../../shared/app/jobs/fanout';
import { config } from '../../shared/aws/clients';
import { logger } from '../../shared/aws/logger';
import { sqsShardQueue } from '../../shared/aws/shard-queue';
import { jobRepositories } from '../job-repositories';
import { liveDeps } from '../compose';

export function makeHandler(deps: AppDeps, opts: { appUrl?: string; concurrency?: number; queue?: ShardQueue } = {}) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await runShard(deps, JSON.parse(record.body) as ShardMessage, opts);
      } catch (error) {
        logger.error('shard failed', { messageId: record.messageId, error: (error as Error).message });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

export function makeFailedHandler(deps: AppDeps) {
  return async (event: SQSEvent): Promise<void> => {
    for (const record of event.Records)
      await failShard(deps, JSON.parse(record.body) as ShardMessage, `received ${record.attributes.ApproximateReceiveCount} times`);
  };
}

const live = liveDeps(jobRepositories);
const queueUrl = process.env.SHARD_QUEUE_URL;
export const handler = makeHandler(live, { appUrl: config().APP_URL, ...(queueUrl ? { queue: sqsShardQueue(queueUrl) } : {}) });
export const failedHandler = makeFailedHandler(live);
