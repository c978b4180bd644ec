/**
 * The shard queue of fanned-out job runs (shared/app/jobs/fanout.ts): an SQS queue (encrypted,
 * TLS only) whose event source mapping hands one shard message at a time to the shard worker,
 * with partial batch failure reporting; its visibility timeout is six times the worker's
 * timeout (Lambda's advice for SQS mappings: above the shard's worst time, retries included);
 * after `maxReceiveCount` receives a message goes to the dead-letter queue, whose own mapping
 * calls the function that ends the run `failed`. The mapping's maximum concurrency is the
 * number of shards. The stack (infra/stack.ts) gives it the `shards` and `shardFailures` functions
 * of infra/catalog.ts.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JOB_SHARDS } from '../catalog';
import { DEAD_LETTER_RULES, deadLetterQueue } from './dead-letters';

export { JOB_SHARDS };

export interface JobShardsProps {
  /** The shard worker (functions/jobs/shards.ts `handler`); its timeout must be set. */
  worker: lambda.Function;
  /** The dead letters' consumer (functions/jobs/shards.ts `failedHandler`); its timeout must be set. */
  failed: lambda.Function;
}

export class JobShards extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: JobShardsProps) {
    super(scope, id);
    const timeout = props.worker.timeout;
    const failedTimeout = props.failed.timeout;
    if (!timeout || !failedTimeout) throw new Error('JobShards needs a worker and a failure handler with a timeout');
    this.deadLetters = deadLetterQueue(
      this,
      'DeadLetters',
      'This queue is itself the dead-letter queue of the shard queue: a shard message lands here after every delivery failed, and its consumer ends the run failed. Its depth is alarmed on.',
      // The shard queue redrives to it, which cdk-nag's SQS3 recognises on its own.
      DEAD_LETTER_RULES.filter((rule) => rule !== 'AwsSolutions-SQS3'),
      // Its consumer's mapping needs the visibility timeout at or above the consumer's timeout.
      { visibilityTimeout: Duration.seconds(failedTimeout.toSeconds() * JOB_SHARDS.visibilityPerTimeout) },
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
    const reason =
      'An SQS event source mapping takes no on-failure destination (Lambda offers one for stream and Kafka sources only): a message that fails stays in its queue, the shard queue redrives it to its dead-letter queue after maxReceiveCount receives, and the dead letters are kept 14 days, alarmed on.';
    for (const fn of [props.worker, props.failed]) Validations.of(fn).acknowledge({ id: 'Serverless-LambdaEventSourceMappingDestination', reason });
  }
}
