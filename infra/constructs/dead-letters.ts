/**
 * A dead-letter queue: encrypted, TLS only, messages kept 14 days. cdk-nag's SQS3 (a queue
 * without a dead-letter queue of its own), its serverless redrive check and cfn-guard's DLQ control are acknowledged with the reason given: a dead-letter
 * queue of a dead-letter queue would only hide failures further. Each one's depth is alarmed on.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The rules a dead-letter queue answers; cdk-nag's SQS3 sees for itself a queue that another queue of the stack redrives to. */
export const DEAD_LETTER_RULES = ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy', 'cdk-validator-cfnguard::sqs_dlq_check'] as const;

/** `visibilityTimeout`: for a dead-letter queue a function consumes, at least that function's timeout (Lambda refuses the mapping otherwise). */
export function deadLetterQueue(
  scope: Construct,
  id: string,
  reason: string,
  rules: readonly string[] = DEAD_LETTER_RULES,
  opts: { visibilityTimeout?: Duration } = {},
): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    ...(opts.visibilityTimeout ? { visibilityTimeout: opts.visibilityTimeout } : {}),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  // The same reason answers cdk-nag's ServerlessChecks (no redrive policy) and cfn-guard's
  // CT.SQS.PR.1 (no dead-letter queue).
  for (const rule of rules) {
    Validations.of(queue).acknowledge({ id: rule, reason });
  }
  return queue;
}
