/**
 * The shard queue of fanned-out job runs (shared/app/jobs/fanout.ts): an SQS queue (encrypted,
 * TLS only) whose event source mapping hands one shard message at a time to the shard worker,
 * with partial batch failure reporting; its visibility timeout is six times the worker's
 * timeout (Lambda's advice for SQS mappings: above the shard's worst time, retries included);
 * after `maxReceiveCount` receives a message goes to the dead-letter queue, whose own mapping
 * calls the function that ends the run `failed`. The mapping's maximum concurrency is the
 * number of shards. Not wired into the stack yet (issue 14 part 2 is in progress).
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letters';

export const JOB_SHARDS = { shards: 16, maxReceiveCount: 3, visibilityPerTimeout: 6 } as const;

export interface JobShardsProps {
  /** The shard worker (functions/jobs/shards.ts `handler`); its timeout must be set. */
  worker: lambda.Function;
  /** The dead letters' consumer (functions/jobs/shards.ts `failedHandler`). */
  failed: lambda.IFunction;
}

export class JobShards extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: JobShardsProps) {
    super(scope, id);
    const timeout = props.worker.timeout;
    if (!timeout) throw new Error('JobShards needs a worker with a timeout');
    this.deadLetters = deadLetterQueue(
      this,
      'DeadLetters',
      'This queue is itself the dead-letter queue of the shard queue: a shard message lands here after every delivery failed, and its consumer ends the run failed. Its depth is alarmed on.',
    );
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * JOB_SHARDS.visibilityPerTimeout),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: JOB_SHARDS.maxReceiveCount },
    });
    props.worker.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: JOB_SHARDS.shards }));
    props.failed.addEventSource(new SqsEventSource(this.deadLetters, { batchSize: 1, reportBatchItemFailures: false, maxConcurrency: 2 }));
  }
}
