/**
 * A dead-letter queue: encrypted, TLS only, messages kept 14 days. cdk-nag's SQS3 (a queue
 * without a dead-letter queue of its own) is acknowledged with the reason given: a dead-letter
 * queue of a dead-letter queue would only hide failures further. Each one's depth is alarmed on.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export function deadLetterQueue(scope: Construct, id: string, reason: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
  return queue;
}
