/**
 * The shard queue of fanned-out runs in a template (infra/constructs/job-shards.ts): the
 * queue's visibility timeout above the worker's timeout, its redrive to an encrypted TLS-only
 * dead-letter queue after three receives, the worker's mapping (one message a batch, partial
 * batch failures, at most one worker per shard), the dead letters' mapping. (cdk-nag runs on
 * the stack's synth; test/infra/stack.test.ts asserts it in the stack.)
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOB_SHARDS, JobShards } from '../../infra/constructs/job-shards';

let stack: Stack;
let shards: JobShards;
let template: Template;

beforeAll(() => {
  stack = new Stack(new App({ stackTraces: false }), 'Shards', { env: { region: 'ap-southeast-1' } });
  const fn = (id: string, timeout: Duration) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler=async()=>{}'),
      timeout,
    });
  shards = new JobShards(stack, 'JobShards', { worker: fn('Worker', Duration.minutes(15)), failed: fn('Failed', Duration.minutes(1)) });
  template = Template.fromStack(stack);
});

const idOf = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);

describe('job shards', () => {
  it('a queue whose visibility timeout is six times the worker’s, redriven to the dead letters after three receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 900 * JOB_SHARDS.visibilityPerTimeout,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [idOf(shards.deadLetters), 'Arn'] }, maxReceiveCount: 3 },
    });
    template.resourceCountIs('AWS::SQS::Queue', 2);
    // Lambda refuses a mapping from a queue whose visibility timeout is below its consumer's timeout.
    expect(template.toJSON().Resources[idOf(shards.deadLetters)].Properties.VisibilityTimeout).toBe(60 * JOB_SHARDS.visibilityPerTimeout);
    // Both queues refuse requests without TLS.
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) expect(JSON.stringify(p)).toContain('aws:SecureTransport');
  });

  it('maps the queue to the worker with partial batch failures, one message a batch, a worker per shard at most; the dead letters to the failure handler', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [idOf(shards.queue), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 16 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [idOf(shards.deadLetters), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: Match.absent(),
    });
  });
});
