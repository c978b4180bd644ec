/**
 * The stack's resources and IAM, asserted against the catalog they are built from
 * (infra/catalog.ts, infra/schedules.ts, shared/aws/table-definition.ts), bundling off.
 */
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS, JOB_FUNCTIONS, JOB_SHARDS, type JobFunctionSpec, allRoutes } from '../../infra/catalog';
import { SCHEDULES, SCHEDULE_TIMEZONE } from '../../infra/schedules';
import { JOB_RUNS_ROUTE, JixiaoStack, propsFromContext } from '../../infra/stack';
import { TABLE } from '../../shared/aws/table-definition';
import { ROLES } from '../../shared/domain/access';

type Resource = { Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

let stack: JixiaoStack;
let template: Template;
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const one = (type: string): [string, Resource] => {
  const all = Object.entries(resources(type));
  expect(all).toHaveLength(1);
  return all[0]!;
};
const idOf = (construct: IConstruct) => Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** Every statement of the IAM policies attached to a role. */
function statementsOf(roleId: string): Statement[] {
  return Object.values(resources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const functionNames = [...Object.keys(HTTP_FUNCTIONS), ...Object.keys(JOB_FUNCTIONS)];
const fnId = (name: string) => idOf(stack.functions.get(name)!.fn);
const roleId = (name: string) => idOf(stack.functions.get(name)!.role);

/** Stack traces on every construct and CDK's own template checks (cfn-lint runs in CI) cost seconds. */
const TEST_APP = { stackTraces: false, builtinCloudFormationValidation: false } as const;

beforeAll(() => {
  stack = new JixiaoStack(new App(TEST_APP), 'Test', { bundle: false, env: { region: 'ap-southeast-1' } });
  template = Template.fromStack(stack);
});

describe('table', () => {
  it('has the keys, indexes and TTL of shared/aws/table-definition.ts', () => {
    const [, table] = one('AWS::DynamoDB::Table');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(
      TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.ttlAttribute, Enabled: true });
  });

  it('is on demand, with point-in-time recovery, retained and protected from deletion', () => {
    const [, table] = one('AWS::DynamoDB::Table');
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('functions', () => {
  it('are exactly the catalog functions: no helper functions (log retention, custom resources) but the console deployment', () => {
    const helpers = Object.entries(resources('AWS::Lambda::Function')).filter(
      ([, fn]) => fn.Properties.Role?.['Fn::GetAtt']?.[0] === idOf(stack.console.deployRole),
    );
    expect(helpers.map(([id]) => id)).toEqual([expect.stringMatching(/^CustomCDKBucketDeployment/)]);
    const others = Object.keys(resources('AWS::Lambda::Function')).filter((id) => !helpers.some(([h]) => h === id));
    expect(others.sort()).toEqual(functionNames.map(fnId).sort());
  });

  it.each(functionNames)('%s runs Node 22 on arm64 and logs to its own log group with a retention', (name) => {
    const fn = resources('AWS::Lambda::Function')[fnId(name)]!;
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    const logGroupId = idOf(stack.functions.get(name)!.logGroup);
    expect(fn.Properties.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: { Ref: logGroupId } });
    expect(resources('AWS::Logs::LogGroup')[logGroupId]!.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(fn.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: idOf(stack.table.table) },
      MAIL_FROM: 'jixiao@finance.example.gov.cn',
      POWERTOOLS_SERVICE_NAME: 'jixiao',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('trace actively (X-Ray) and log to a KMS-encrypted group', () => {
    const logsKey = idOf(stack.node.findChild('LogsKey'));
    for (const name of functionNames) {
      const fn = resources('AWS::Lambda::Function')[fnId(name)]!;
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      const group = resources('AWS::Logs::LogGroup')[idOf(stack.functions.get(name)!.logGroup)]!;
      expect(group.Properties.KmsKeyId).toEqual(arnOf(logsKey));
    }
  });

  it('takes memory and timeout from the catalog', () => {
    for (const [name, spec] of Object.entries(JOB_FUNCTIONS)) {
      const fn = resources('AWS::Lambda::Function')[fnId(name)]!;
      expect({ name, memory: fn.Properties.MemorySize, timeout: fn.Properties.Timeout }).toEqual({
        name,
        memory: spec.memoryMb,
        timeout: spec.timeoutSeconds,
      });
    }
  });

  it('send job invocations that failed every retry to an encrypted dead-letter queue (the queue consumers have none to send)', () => {
    for (const [name, spec] of Object.entries(JOB_FUNCTIONS) as [string, JobFunctionSpec][]) {
      if (spec.consumes) {
        const configs = Object.values(resources('AWS::Lambda::EventInvokeConfig')).filter((c) => c.Properties.FunctionName?.Ref === fnId(name));
        expect({ name, configs: configs.length }).toEqual({ name, configs: 0 });
        continue;
      }
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId(name) },
        DestinationConfig: { OnFailure: { Destination: arnOf(idOf(stack.failedJobs)) } },
      });
    }
    expect(resources('AWS::SQS::Queue')[idOf(stack.failedJobs)]!.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('give the runner the outbox function name and the jobs API the runner name', () => {
    const env = (name: string) => resources('AWS::Lambda::Function')[fnId(name)]!.Properties.Environment.Variables;
    expect(env('runner').OUTBOX_FUNCTION_NAME).toEqual({ Ref: fnId('outbox') });
    const starter = allRoutes().find((r) => r.routeKey === JOB_RUNS_ROUTE);
    if (starter) expect(env(starter.fn).RUNNER_FUNCTION_NAME).toEqual({ Ref: fnId('runner') });
    for (const name of functionNames.filter((n) => n !== starter?.fn)) expect(env(name).RUNNER_FUNCTION_NAME).toBeUndefined();
  });
});

describe('IAM', () => {
  /** CDK's console deployment (BucketDeployment) is asserted in test/infra/console.test.ts. */
  const allStatements = () =>
    Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => !(p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === idOf(stack.console.deployRole)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

  /** Active tracing's grant: X-Ray has no resource-level permissions, "*" is its only form. */
  const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
  const isXray = (s: Statement) => actionsOf(s).every((a) => XRAY.includes(a));

  it('grants X-Ray writes, on "*", to every function and nothing else on "*"', () => {
    for (const name of functionNames) {
      const xray = statementsOf(roleId(name)).filter(isXray);
      expect(xray.map((s) => ({ actions: actionsOf(s).sort(), resource: s.Resource }))).toEqual([{ actions: XRAY, resource: '*' }]);
    }
  });

  it("uses no wildcard action or resource (but X-Ray's) and no managed policy", () => {
    for (const s of allStatements().filter((st) => !isXray(st))) {
      expect(actionsOf(s).filter((a) => a.includes('*'))).toEqual([]);
      expect(resourcesOf(s).filter((r) => JSON.stringify(r).includes('*'))).toEqual([]);
    }
    for (const role of Object.values(resources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('lets every function read and write items of the table and its indexes, and never Scan', () => {
    const tableArn = arnOf(idOf(stack.table.table));
    const indexArns = TABLE.indexes.map((i) => ({ 'Fn::Join': ['', [tableArn, `/index/${i.name}`]] }));
    for (const name of functionNames) {
      const statements = statementsOf(roleId(name));
      const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
      const reads = dynamo.find((s) => actionsOf(s).includes('dynamodb:Query'));
      const writes = dynamo.find((s) => actionsOf(s).includes('dynamodb:PutItem'));
      expect(reads && resourcesOf(reads)).toEqual([tableArn, ...indexArns]);
      expect(writes && resourcesOf(writes)).toEqual([tableArn]);
      expect(writes && actionsOf(writes).sort()).toEqual([
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      expect(dynamo.flatMap(actionsOf)).not.toContain('dynamodb:Scan');
    }
  });

  it('lets each function write to its own log group only', () => {
    for (const name of functionNames) {
      const logs = statementsOf(roleId(name)).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect(logs.flatMap(resourcesOf)).toEqual([arnOf(idOf(stack.functions.get(name)!.logGroup))]);
    }
  });

  it('lets only the outbox function send email, from the SES identity only', () => {
    const senders = functionNames.filter((name) => statementsOf(roleId(name)).some((s) => actionsOf(s).some((a) => a.startsWith('ses:'))));
    expect(senders).toEqual(['outbox']);
    const ses = statementsOf(roleId('outbox')).filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
    expect(ses.flatMap(actionsOf)).toEqual(['ses:SendEmail']);
    expect(JSON.stringify(ses[0]!.Resource)).toContain(idOf(stack.mailIdentity));
  });

  it('lets only the jobs API invoke the runner, and only the runner invoke the outbox function', () => {
    const invokers = (target: string) =>
      functionNames.filter((name) =>
        statementsOf(roleId(name)).some(
          (s) => actionsOf(s).includes('lambda:InvokeFunction') && JSON.stringify(s.Resource) === JSON.stringify(arnOf(fnId(target))),
        ),
      );
    const starter = allRoutes().find((r) => r.routeKey === JOB_RUNS_ROUTE);
    expect(invokers('runner')).toEqual(starter ? [starter.fn] : []);
    expect(invokers('outbox')).toEqual(['runner']);
    // Nothing else may invoke anything.
    for (const name of functionNames) {
      const invokes = statementsOf(roleId(name)).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
      const allowed = name === 'runner' ? 1 : name === starter?.fn ? 1 : 0;
      expect({ name, invokes: invokes.length }).toEqual({ name, invokes: allowed });
    }
  });
});

describe('job fan-out', () => {
  it('gives every queue a function consumes a visibility timeout at or above that function’s timeout (Lambda refuses the mapping otherwise)', () => {
    const queues = resources('AWS::SQS::Queue');
    const fns = resources('AWS::Lambda::Function');
    const fromQueues = Object.values(resources('AWS::Lambda::EventSourceMapping'))
      .map((m) => m.Properties)
      .filter((p) => Object.hasOwn(queues, p.EventSourceArn?.['Fn::GetAtt']?.[0] ?? ''));
    expect(fromQueues).toHaveLength(2);
    for (const p of fromQueues) {
      const queue = queues[p.EventSourceArn['Fn::GetAtt'][0]]!.Properties;
      const fn = fns[p.FunctionName.Ref]!.Properties;
      expect(queue.VisibilityTimeout ?? 30).toBeGreaterThanOrEqual(fn.Timeout);
    }
  });

  const queueArn = () => arnOf(idOf(stack.jobShards.queue));
  const deadLettersArn = () => arnOf(idOf(stack.jobShards.deadLetters));
  const mapping = (name: string) => {
    const found = Object.values(resources('AWS::Lambda::EventSourceMapping')).filter((m) => m.Properties.FunctionName?.Ref === fnId(name));
    expect(found).toHaveLength(1);
    return found[0]!.Properties;
  };

  it('maps the shard queue to the shards worker and its dead letters to shardFailures, the failedHandler export', () => {
    expect(mapping('shards')).toMatchObject({ EventSourceArn: queueArn(), BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(mapping('shards').ScalingConfig).toEqual({ MaximumConcurrency: JOB_SHARDS.shards });
    expect(mapping('shardFailures')).toMatchObject({ EventSourceArn: deadLettersArn(), BatchSize: 1 });
    const queue = resources('AWS::SQS::Queue')[idOf(stack.jobShards.queue)]!.Properties;
    expect(queue.VisibilityTimeout).toBe(JOB_FUNCTIONS.shards.timeoutSeconds * JOB_SHARDS.visibilityPerTimeout);
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: deadLettersArn(), maxReceiveCount: JOB_SHARDS.maxReceiveCount });
  });

  it('tells the runner, the jobs API and the worker the shard queue, and nobody else', () => {
    const starter = allRoutes().find((r) => r.routeKey === JOB_RUNS_ROUTE)!.fn;
    for (const name of functionNames) {
      const url = resources('AWS::Lambda::Function')[fnId(name)]!.Properties.Environment.Variables.SHARD_QUEUE_URL;
      expect({ name, url }).toEqual({ name, url: ['runner', starter, 'shards'].includes(name) ? { Ref: idOf(stack.jobShards.queue) } : undefined });
    }
  });

  it('lets only the runner, the jobs API and the worker (continuations) send to the shard queue, only the worker consume it, only shardFailures the dead letters', () => {
    const starter = allRoutes().find((r) => r.routeKey === JOB_RUNS_ROUTE)!.fn;
    const on = (arn: unknown, action: string) =>
      functionNames.filter((name) =>
        statementsOf(roleId(name)).some((s) => actionsOf(s).includes(action) && resourcesOf(s).some((r) => JSON.stringify(r) === JSON.stringify(arn))),
      );
    expect(on(queueArn(), 'sqs:SendMessage').sort()).toEqual([starter, 'runner', 'shards'].sort());
    expect(on(queueArn(), 'sqs:ReceiveMessage')).toEqual(['shards']);
    expect(on(queueArn(), 'sqs:DeleteMessage')).toEqual(['shards']);
    expect(on(deadLettersArn(), 'sqs:ReceiveMessage')).toEqual(['shardFailures']);
    expect(on(deadLettersArn(), 'sqs:SendMessage')).toEqual([]);
    // The senders get the one action, nothing more on the queue (the worker also consumes it).
    for (const name of [starter, 'runner']) {
      const onQueue = statementsOf(roleId(name)).filter((s) => resourcesOf(s).some((r) => JSON.stringify(r) === JSON.stringify(queueArn())));
      expect({ name, actions: onQueue.flatMap(actionsOf) }).toEqual({ name, actions: ['sqs:SendMessage'] });
    }
  });

  it('alarms on any shard message in the dead letters', () => {
    const found = Object.values(resources('AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties)
      .filter(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack.jobShards.deadLetters), 'QueueName'] } }]),
      );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [{ Ref: idOf(stack.alarms.topic) }] });
  });
});

describe('HTTP API', () => {
  const routeResources = () => Object.values(resources('AWS::ApiGatewayV2::Route'));

  it('has one route per catalog route and no other', () => {
    expect(
      routeResources()
        .map((r) => r.Properties.RouteKey)
        .sort(),
    ).toEqual(
      allRoutes()
        .map((r) => r.routeKey)
        .sort(),
    );
  });

  it.each(allRoutes().map((r) => [r.routeKey, r] as const))('%s goes to its function, with the right authorizer', (_, route) => {
    const resource = routeResources().find((r) => r.Properties.RouteKey === route.routeKey)!;
    const [authorizerId] = one('AWS::ApiGatewayV2::Authorizer');
    if (route.isPublic) {
      expect(resource.Properties.AuthorizationType).toBe('NONE');
      expect(resource.Properties.AuthorizerId).toBeUndefined();
    } else {
      expect(resource.Properties.AuthorizationType).toBe('JWT');
      expect(resource.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
    }
    const target = JSON.stringify(resource.Properties.Target);
    const integrationId = Object.keys(resources('AWS::ApiGatewayV2::Integration')).find((id) => target.includes(id))!;
    expect(resources('AWS::ApiGatewayV2::Integration')[integrationId]!.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arnOf(fnId(route.fn)),
      PayloadFormatVersion: '2.0',
    });
  });

  it('checks Cognito ID tokens for the web client', () => {
    const [, authorizer] = one('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: idOf(stack.auth.client) }]);
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain(idOf(stack.auth.userPool));
  });

  it('logs access, throttles by default and harder on public routes, and answers CORS preflights', () => {
    const [, stage] = one('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual(arnOf(idOf(stack.httpApi.accessLogs)));
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId' });
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) });
    const publicKeys = allRoutes()
      .filter((r) => r.isPublic)
      .map((r) => r.routeKey);
    expect(Object.keys(stage.Properties.RouteSettings ?? {}).sort()).toEqual(publicKeys.sort());
    for (const key of publicKeys) {
      expect(stage.Properties.RouteSettings[key].ThrottlingRateLimit).toBeLessThan(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit);
    }
    const [, api] = one('AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    const methods = new Set(allRoutes().map((r) => r.method));
    expect(api.Properties.CorsConfiguration.AllowMethods).toEqual(expect.arrayContaining([...methods]));
  });
});

describe('user pool', () => {
  it('has a group per role and the custom:deptId attribute', () => {
    const groups = Object.values(resources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
    const [, pool] = one('AWS::Cognito::UserPool');
    expect(pool.Properties.Schema).toEqual(expect.arrayContaining([expect.objectContaining({ Name: 'deptId', AttributeDataType: 'String', Mutable: true })]));
  });

  it('lets only administrators create users, and requires MFA', () => {
    const [, pool] = one('AWS::Cognito::UserPool');
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
  });

  it('lets the web client read custom:deptId but never write it', () => {
    const [, client] = one('AWS::Cognito::UserPoolClient');
    expect(client.Properties.ReadAttributes).toContain('custom:deptId');
    expect(client.Properties.WriteAttributes).not.toContain('custom:deptId');
    expect(client.Properties.GenerateSecret).toBe(false);
  });
});

describe('schedules', () => {
  const scheduleResources = () => resources('AWS::Scheduler::Schedule');

  it('has one schedule per entry of infra/schedules.ts, in one group', () => {
    expect(
      Object.values(scheduleResources())
        .map((s) => s.Properties.Name)
        .sort(),
    ).toEqual(SCHEDULES.map((s) => s.name).sort());
    const [groupId] = one('AWS::Scheduler::ScheduleGroup');
    expect(groupId).toBe(idOf(stack.schedules.group));
  });

  it.each(SCHEDULES.map((s) => [s.name, s] as const))('%s fires in Shanghai time, on time, at its function', (_, spec) => {
    const schedule = Object.values(scheduleResources()).find((s) => s.Properties.Name === spec.name)!;
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: spec.expression,
      ScheduleExpressionTimezone: SCHEDULE_TIMEZONE,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
    expect(SCHEDULE_TIMEZONE).toBe('Asia/Shanghai');
    const target = schedule.Properties.Target;
    expect(target.Arn).toEqual(arnOf(fnId(spec.target)));
    expect(target.Input).toContain('<aws.scheduler.scheduled-time>');
    expect(JSON.parse(target.Input)).toEqual({
      job: spec.job ?? spec.name,
      scheduledTime: '<aws.scheduler.scheduled-time>',
      asOfOffsetDays: spec.asOfOffsetDays,
    });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: arnOf(idOf(stack.schedules.deadLetters)) });
  });

  it.each(SCHEDULES.map((s) => [s.name, s] as const))('%s has a role that may invoke its function and nothing else', (_, spec) => {
    const schedule = Object.values(scheduleResources()).find((s) => s.Properties.Name === spec.name)!;
    const role = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
    const statements = statementsOf(role);
    expect(statements.map((s) => [actionsOf(s), s.Resource])).toEqual([
      [['lambda:InvokeFunction'], arnOf(fnId(spec.target))],
      [['sqs:SendMessage'], arnOf(idOf(stack.schedules.deadLetters))],
    ]);
    const trust = resources('AWS::IAM::Role')[role]!.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': expect.anything(), 'aws:SourceArn': arnOf(idOf(stack.schedules.group)) } },
      }),
    ]);
  });

  it('dead-letters to an encrypted queue that refuses plain HTTP', () => {
    for (const queue of [stack.schedules.deadLetters, stack.failedJobs]) {
      expect(resources('AWS::SQS::Queue')[idOf(queue)]!.Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: idOf(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(resources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const topic = () => ({ Ref: idOf(stack.alarms.topic) });

  it('watch every function for errors', () => {
    for (const name of functionNames) {
      const found = alarms().filter(
        (a) =>
          a.Namespace === 'AWS/Lambda' &&
          a.MetricName === 'Errors' &&
          JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: fnId(name) } }]),
      );
      expect({ name, alarms: found.length }).toEqual({ name, alarms: 1 });
    }
  });

  it('watch the schedule group for failed and dropped invocations', () => {
    for (const metric of ['TargetErrorCount', 'InvocationDroppedCount', 'InvocationsFailedToBeSentToDeadLetterCount']) {
      const found = alarms().filter((a) => a.Namespace === 'AWS/Scheduler' && a.MetricName === metric);
      expect({ metric, alarms: found.length }).toEqual({ metric, alarms: 1 });
      expect(found[0]!.Dimensions).toEqual([{ Name: 'ScheduleGroup', Value: expect.anything() }]);
    }
  });

  it('watch both dead-letter queues for any message', () => {
    for (const queue of [stack.schedules.deadLetters, stack.failedJobs]) {
      const found = alarms().filter(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(queue), 'QueueName'] } }]),
      );
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });

  it('all notify the encrypted alarm topic', () => {
    expect(alarms().length).toBeGreaterThan(functionNames.length);
    for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([topic()]);
    const [, sns] = one('AWS::SNS::Topic');
    expect(sns.Properties.KmsMasterKeyId).toEqual(arnOf(idOf(stack.alarms.key)));
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]),
      },
    });
  });
});

describe('outputs and context', () => {
  it('outputs the API URL, user pool, client and table', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName']));
  });

  it('reads the mail domain, region and bundling from context', () => {
    const app = new App({
      ...TEST_APP,
      context: { bundle: 'false', mailDomain: 'czj.example.cn', region: 'eu-west-1', corsOrigins: 'https://a.example, https://b.example' },
    });
    const props = propsFromContext(app);
    expect(props).toMatchObject({
      bundle: false,
      mailDomain: 'czj.example.cn',
      env: { region: 'eu-west-1' },
      corsOrigins: ['https://a.example', 'https://b.example'],
    });
    const custom = Template.fromStack(new JixiaoStack(app, 'Custom', props));
    custom.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'czj.example.cn' });
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAIL_FROM: 'jixiao@czj.example.cn' }) },
    });
    custom.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://a.example', 'https://b.example'] }),
    });
    expect(propsFromContext(new App(TEST_APP)).bundle).toBe(true);
  });
});
