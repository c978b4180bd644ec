/**
 * The outbox by stream in the template: the table's stream, the event source mapping on the
 * outbox function (the filter on new email items, partial batch failures, bisect, retries, the
 * dead-letter destination), the role's stream read and the alarm on the dead letters. Every
 * figure comes from OUTBOX_STREAM, the settings the local stream reader uses too.
 */
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { JixiaoStack } from '../../infra/stack';
import { matchesFilter, OUTBOX_STREAM } from '../../shared/aws/outbox-stream';

type Resource = { Properties: Record<string, any> };
let stack: JixiaoStack;
let template: Template;
const idOf = (construct: IConstruct) => Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
const all = (type: string) => Object.entries(template.findResources(type) as Record<string, Resource>);

beforeAll(() => {
  stack = new JixiaoStack(new App({ stackTraces: false, builtinCloudFormationValidation: false }), 'Test', {
    bundle: false,
    env: { region: 'ap-southeast-1' },
  });
  template = Template.fromStack(stack);
});

describe('outbox stream', () => {
  it('turns the table stream on with new images', () => {
    const [[, table]] = all('AWS::DynamoDB::Table') as [[string, Resource]];
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
  });

  it('maps the stream to the outbox function, new emails only, with partial failures, bisect, retries and a DLQ', () => {
    // The table's stream has one mapping (the shard queues have theirs: test/infra/stack.test.ts).
    const mappings = all('AWS::Lambda::EventSourceMapping').filter(([, m]) => JSON.stringify((m as Resource).Properties.EventSourceArn).includes('StreamArn'));
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0]!;
    const outbox = stack.functions.get('outbox')!;
    const dlq = idOf(stack.outboxStream.deadLetters);
    expect(mapping.Properties).toEqual({
      FunctionName: { Ref: idOf(outbox.fn) },
      EventSourceArn: { 'Fn::GetAtt': [idOf(stack.table.table), 'StreamArn'] },
      StartingPosition: 'LATEST',
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq, 'Arn'] } } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(OUTBOX_STREAM.filter) }] },
    });
    expect(JSON.parse(mapping.Properties.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { entity: { S: ['Mail'] } } },
    });
  });

  it('lets the filter through for a new email only', () => {
    const record = (eventName: string, entity: string) => ({ eventName, dynamodb: { NewImage: { entity: { S: entity } } } });
    expect(matchesFilter(OUTBOX_STREAM.filter, record('INSERT', 'Mail'))).toBe(true);
    expect(matchesFilter(OUTBOX_STREAM.filter, record('MODIFY', 'Mail'))).toBe(false);
    expect(matchesFilter(OUTBOX_STREAM.filter, record('INSERT', 'OutboxLine'))).toBe(false);
    expect(matchesFilter(OUTBOX_STREAM.filter, { eventName: 'REMOVE', dynamodb: { Keys: {} } })).toBe(false);
  });

  it('lets the outbox role read the stream and send to the DLQ, and alarms on the DLQ', () => {
    const role = idOf(stack.functions.get('outbox')!.role);
    const statements = all('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'sqs:SendMessage']));
    const stream = statements.find((s) => ([] as string[]).concat(s.Action).includes('dynamodb:GetRecords'));
    expect(stream?.Resource).toEqual({ 'Fn::GetAtt': [idOf(stack.table.table), 'StreamArn'] });
    const alarms = all('AWS::CloudWatch::Alarm').filter(([, a]) =>
      JSON.stringify(a.Properties.Dimensions ?? a.Properties.Metrics ?? '').includes(idOf(stack.outboxStream.deadLetters)),
    );
    expect(alarms).toHaveLength(1);
  });
});
