/**
 * The Jixiao stack: the table, the user pool, the HTTP API and its functions, the job
 * functions and their schedules, SES, alarms. What is wired comes from infra/catalog.ts and
 * infra/schedules.ts; this file adds no routes or jobs of its own.
 */
import { type App, CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { HTTP_FUNCTIONS, type HttpFunctionSpec, JOB_FUNCTIONS, type JobFunctionSpec, allRoutes } from './catalog';
import { JixiaoAlarms } from './constructs/alarms';
import { JixiaoAuth } from './constructs/auth';
import { JixiaoConsole, type JixiaoConsoleProps } from './constructs/console';
import { deadLetterQueue } from './constructs/dead-letters';
import { JixiaoFunction } from './constructs/function';
import { JixiaoHttpApi } from './constructs/http-api';
import { JobShards } from './constructs/job-shards';
import { OutboxStream } from './constructs/outbox-stream';
import { JobSchedules } from './constructs/schedules';
import { JixiaoTable } from './constructs/table';
import { SCHEDULES } from './schedules';

/** The route whose function starts job runs (it may invoke the runner). */
export const JOB_RUNS_ROUTE = 'POST /v1/jobs/{job}/runs';
export const DEFAULT_MAIL_DOMAIN = 'finance.example.gov.cn';
/** Singapore: every service the stack uses exists there; Hong Kong (ap-east-1) has no SES. */
export const DEFAULT_REGION = 'ap-southeast-1';

export interface JixiaoStackProps extends StackProps {
  /** false: functions get placeholder code instead of esbuild bundles (template tests). Default true. */
  bundle?: boolean;
  /** The SES domain identity mail is sent from. */
  mailDomain?: string;
  /** The From address; default `jixiao@<mailDomain>`. */
  mailFrom?: string;
  /** Subscribed to the alarm topic by email. */
  alarmEmail?: string;
  /** Origins allowed by CORS; default any (tokens are bearer headers, not cookies). */
  corsOrigins?: string[];
  /** Where links in emails point (the web application). */
  appUrl?: string;
  logRetention?: logs.RetentionDays;
  /** The web console's Cognito domain prefix, dev origin and custom domain (infra/constructs/console.ts). */
  console?: Pick<JixiaoConsoleProps, 'authDomainPrefix' | 'devOrigin' | 'domainName' | 'certificateArn'>;
}

export class JixiaoStack extends Stack {
  readonly table: JixiaoTable;
  readonly auth: JixiaoAuth;
  readonly httpApi: JixiaoHttpApi;
  readonly schedules: JobSchedules;
  readonly alarms: JixiaoAlarms;
  readonly console: JixiaoConsole;
  readonly mailIdentity: ses.EmailIdentity;
  /** Every function, by its catalog name (HTTP_FUNCTIONS and JOB_FUNCTIONS share one namespace). */
  readonly functions = new Map<string, JixiaoFunction>();
  /** Lambda's own dead-letter destination for job invocations that failed all their retries. */
  readonly failedJobs: sqs.Queue;
  /** New emails sent from the table's stream (the dispatcher's schedule is the backstop). */
  readonly outboxStream: OutboxStream;
  /** The shard queue of fanned-out job runs, its dead letters and their mappings. */
  readonly jobShards: JobShards;

  constructor(scope: Construct, id: string, props: JixiaoStackProps = {}) {
    super(scope, id, { description: 'Jixiao: budget performance management (SPEC §5–§7)', ...props });
    const bundle = props.bundle ?? true;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const mailDomain = props.mailDomain ?? DEFAULT_MAIL_DOMAIN;
    const mailFrom = props.mailFrom ?? `jixiao@${mailDomain}`;

    this.table = new JixiaoTable(this, 'Data');
    this.mailIdentity = new ses.EmailIdentity(this, 'MailIdentity', { identity: ses.Identity.domain(mailDomain) });

    const environment: Record<string, string> = {
      TABLE_NAME: this.table.table.tableName,
      MAIL_FROM: mailFrom,
      POWERTOOLS_SERVICE_NAME: 'jixiao',
      POWERTOOLS_METRICS_NAMESPACE: 'Jixiao',
      ...(props.appUrl ? { APP_URL: props.appUrl } : {}),
    };
    const makeFunction = (
      name: string,
      spec: { entry: string; handler?: string; memoryMb?: number; timeoutSeconds?: number; files?: string[] },
      synchronousOnly: boolean,
    ) => {
      if (this.functions.has(name)) throw new Error(`Two functions are named ${name} in infra/catalog.ts`);
      const fn = new JixiaoFunction(this, `Fn-${name}`, {
        entry: spec.entry,
        handler: spec.handler,
        description: `jixiao ${name} (${spec.entry}${spec.handler ? ` ${spec.handler}` : ''})`,
        memoryMb: spec.memoryMb,
        timeoutSeconds: spec.timeoutSeconds,
        files: spec.files,
        environment,
        bundle,
        logRetention,
        synchronousOnly,
      });
      this.table.grantReadWriteItems(fn.role);
      this.functions.set(name, fn);
      return fn;
    };

    // Job functions first: the HTTP function that starts runs needs the runner's name.
    this.failedJobs = deadLetterQueue(
      this,
      'FailedJobInvocations',
      'This queue is itself a dead-letter destination: Lambda sends it the asynchronous job invocations (from the scheduler, the jobs API and the runner) that failed every retry. Its depth is alarmed on; a dead-letter queue of its own would only hide them further.',
    );
    for (const [name, spec] of Object.entries(JOB_FUNCTIONS) as [string, JobFunctionSpec][]) {
      const fn = makeFunction(name, spec, false);
      if (spec.consumes) {
        Validations.of(fn.fn).acknowledge({
          id: 'Serverless-LambdaDLQ',
          reason:
            'Invoked only by an SQS event source mapping (synchronously, by the pollers): a message whose handling fails stays in its queue and is redelivered, and the shard queue redrives it to its dead-letter queue after its maxReceiveCount; the dead letters themselves are kept 14 days and alarmed on. There is no asynchronous invocation to dead-letter.',
        });
        continue;
      }
      fn.fn.configureAsyncInvoke({ onFailure: new SqsDestination(this.failedJobs), retryAttempts: 2 });
      Validations.of(fn.fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Failed asynchronous invocations go to the failed-jobs queue through an on-failure destination (EventInvokeConfig), which records the request, the error and the attempts; a DeadLetterConfig as well would send each failure twice.',
      });
    }
    const runner = this.functions.get('runner');
    const outbox = this.functions.get('outbox');
    if (!runner || !outbox) throw new Error('JOB_FUNCTIONS must name a runner and an outbox');
    runner.addEnvironment('OUTBOX_FUNCTION_NAME', outbox.fn.functionName);
    outbox.grantInvoke(runner.role);
    outbox.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: [this.mailIdentity.emailIdentityArn] }));

    this.outboxStream = new OutboxStream(this, 'OutboxStream', { table: this.table.table, fn: outbox.fn });

    // Fan-out: the shard worker consumes the shard queue, the failure handler its dead letters
    // (both mappings grant their receive/delete); whoever starts a fanned run may send to it, and
    // so may the worker, which sends each shard's next segment (shared/app/jobs/fanout.ts).
    const worker = this.functions.get('shards');
    const shardFailures = this.functions.get('shardFailures');
    if (!worker || !shardFailures) throw new Error('JOB_FUNCTIONS must name shards and shardFailures');
    this.jobShards = new JobShards(this, 'JobShards', { worker: worker.fn, failed: shardFailures.fn });
    const startsFannedRuns = (fn: JixiaoFunction) => {
      fn.addEnvironment('SHARD_QUEUE_URL', this.jobShards.queue.queueUrl);
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.jobShards.queue.queueArn] }));
    };
    startsFannedRuns(runner);
    startsFannedRuns(worker);

    for (const [name, spec] of Object.entries(HTTP_FUNCTIONS) as [string, HttpFunctionSpec][]) {
      makeFunction(name, spec, true);
    }
    const routes = allRoutes();
    const starter = routes.find((r) => r.routeKey === JOB_RUNS_ROUTE);
    if (starter) {
      const fn = this.functions.get(starter.fn);
      if (!fn) throw new Error(`No function ${starter.fn} for ${JOB_RUNS_ROUTE}`);
      fn.addEnvironment('RUNNER_FUNCTION_NAME', runner.fn.functionName);
      runner.grantInvoke(fn.role);
      startsFannedRuns(fn);
    }

    this.auth = new JixiaoAuth(this, 'Auth');
    this.httpApi = new JixiaoHttpApi(this, 'Http', {
      routes,
      functions: Object.fromEntries([...this.functions].map(([name, f]) => [name, f.fn as lambda.IFunction])),
      userPool: this.auth.userPool,
      userPoolClient: this.auth.client,
      corsOrigins: props.corsOrigins ?? ['*'],
      logRetention,
    });

    this.console = new JixiaoConsole(this, 'Console', { auth: this.auth, httpApi: this.httpApi, bundle, logRetention, ...props.console });

    this.schedules = new JobSchedules(this, 'Schedules', {
      specs: SCHEDULES,
      targets: Object.fromEntries(
        (Object.entries(JOB_FUNCTIONS) as [string, JobFunctionSpec][])
          .filter(([, spec]) => !spec.consumes)
          .map(([name]) => [name, this.functions.get(name)!.fn]),
      ),
    });

    this.alarms = new JixiaoAlarms(this, 'Alarms', { email: props.alarmEmail });
    for (const [name, fn] of this.functions) {
      this.alarms.atLeastOne(`${name}Errors`, JixiaoAlarms.sum(fn.fn.metricErrors()), `The ${name} function failed`);
    }
    const group = this.schedules.group;
    this.alarms.atLeastOne('ScheduleTargetErrors', JixiaoAlarms.sum(group.metricTargetErrors()), 'A schedule could not invoke its function');
    this.alarms.atLeastOne('ScheduleDropped', JixiaoAlarms.sum(group.metricDropped()), 'A schedule invocation was dropped after its retries');
    this.alarms.atLeastOne(
      'ScheduleDeadLetterFailures',
      JixiaoAlarms.sum(group.metricFailedToBeSentToDLQ()),
      'A failed schedule invocation could not be put in the dead-letter queue',
    );
    this.alarms.atLeastOne(
      'ScheduleDeadLetters',
      JixiaoAlarms.max(this.schedules.deadLetters.metricApproximateNumberOfMessagesVisible()),
      'Schedule invocations are waiting in the dead-letter queue',
    );
    this.alarms.atLeastOne(
      'FailedJobInvocations',
      JixiaoAlarms.max(this.failedJobs.metricApproximateNumberOfMessagesVisible()),
      'Job invocations failed every retry and wait in their dead-letter queue',
    );
    this.alarms.atLeastOne(
      'OutboxStreamDeadLetters',
      JixiaoAlarms.max(this.outboxStream.deadLetters.metricApproximateNumberOfMessagesVisible()),
      'Stream batches of new emails failed every retry (the dispatcher still sends the emails)',
    );
    this.alarms.atLeastOne(
      'ShardDeadLetters',
      JixiaoAlarms.max(this.jobShards.deadLetters.metricApproximateNumberOfMessagesVisible()),
      'A shard of a fanned-out job run failed every delivery (its run ends failed)',
    );
    this.alarms.atLeastOne('Api5xx', JixiaoAlarms.sum(this.httpApi.stage.metricServerError()), 'The API answered 5xx');

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'HTTP API base URL' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId, description: 'The JWT audience' });
    new CfnOutput(this, 'ConsoleUrl', { value: this.console.url, description: 'The web console (CloudFront)' });
    new CfnOutput(this, 'SignInDomain', { value: this.console.domain.baseUrl(), description: 'Cognito managed login' });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'MailFrom', { value: mailFrom });
    const dkim = [
      [this.mailIdentity.dkimDnsTokenName1, this.mailIdentity.dkimDnsTokenValue1],
      [this.mailIdentity.dkimDnsTokenName2, this.mailIdentity.dkimDnsTokenValue2],
      [this.mailIdentity.dkimDnsTokenName3, this.mailIdentity.dkimDnsTokenValue3],
    ] as const;
    dkim.forEach(([name, value], i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${name} CNAME ${value}`, description: 'DNS record that verifies the SES domain' });
    });
  }
}

/** Stack props from the app's context (`cdk deploy -c mailDomain=...`). */
export function propsFromContext(app: App): JixiaoStackProps {
  const ctx = (key: string): string | undefined => {
    const value = app.node.tryGetContext(key) as unknown;
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  // The region is the project's choice, not the build machine's: the CLI's CDK_DEFAULT_REGION
  // falls back to us-east-1 when nothing is configured, which would make synth output vary.
  const region = ctx('region') ?? DEFAULT_REGION;
  // The account only pins where `cdk deploy` goes; without one the template is account-agnostic.
  const account = ctx('account') ?? process.env.CDK_DEFAULT_ACCOUNT;
  return {
    env: { region, ...(account ? { account } : {}) },
    bundle: ctx('bundle') !== 'false',
    mailDomain: ctx('mailDomain'),
    mailFrom: ctx('mailFrom'),
    alarmEmail: ctx('alarmEmail'),
    corsOrigins: list(ctx('corsOrigins')),
    appUrl: ctx('appUrl'),
    console: {
      authDomainPrefix: ctx('authDomainPrefix'),
      devOrigin: ctx('consoleDevOrigin'),
      domainName: ctx('consoleDomainName'),
      certificateArn: ctx('consoleCertificateArn'),
    },
  };
}

/**
 * The synth checks, run on every synth as CDK validation plugins: cdk-nag's AWS Solutions and
 * Serverless rules (acknowledgements sit next to their resources, docs/deploy.md lists them) and
 * the Control Tower proactive controls through cfn-guard (the package ships the cfn-guard
 * binary; it runs offline).
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
    new CfnGuardValidator({ disabledRules: [...GUARD_DISABLED_RULES] }),
  );
}

/** Control Tower controls turned off, each with its reason in docs/deploy.md. */
export const GUARD_DISABLED_RULES: readonly string[] = [];
