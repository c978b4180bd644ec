/**
 * A Lambda function with our defaults: Node 22 on arm64, an ESM bundle made by esbuild from
 * node_modules (see bundling.ts), its own log group with a retention, and its own role that
 * may write to that log group and nothing else until a grant says otherwise (no
 * AWSLambdaBasicExecutionRole, whose `logs:*` on every group is more than a function needs).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { POWERTOOLS_VERSION, REPO_ROOT, lambdaBundling } from './bundling';
import { logsKey } from './keys';
import { sdkLayer } from './sdk-layer';

export const RUNTIME = lambda.Runtime.NODEJS_22_X;
export const ARCHITECTURE = lambda.Architecture.ARM_64;

/** Deployed instead of a bundle when bundling is off (template tests) or the entry is missing. */
const PLACEHOLDER_CODE = "exports.handler = async () => { throw new Error('Placeholder code: synthesize with bundling on to deploy this function'); };";

export interface JixiaoFunctionProps {
  /** The entry file, relative to the repository root; it exports `handler` (or the export named below). */
  entry: string;
  /** The export Lambda calls; default `handler`. */
  handler?: string;
  description?: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  environment: Record<string, string>;
  /** Files (relative to the repository root) copied beside the bundle, read at run time. */
  files?: string[];
  /** false: inline placeholder code instead of esbuild (fast template tests). */
  bundle: boolean;
  logRetention: logs.RetentionDays;
  /**
   * true: invoked only synchronously (API Gateway), so there is no asynchronous invocation to
   * dead-letter. false: the caller configures its on-failure destination.
   */
  synchronousOnly?: boolean;
}

/**
 * The official Powertools for AWS Lambda (TypeScript) layer, one per stack, at exactly the
 * version of package.json (POWERTOOLS_VERSION). Its ARN comes from the public SSM parameter
 * Powertools publishes per version, resolved by CloudFormation at deploy time: synth stays
 * offline and no account-specific layer number is hard-coded.
 */
export function powertoolsLayer(scope: Construct): lambda.ILayerVersion {
  const stack = Stack.of(scope);
  const id = 'PowertoolsLayer';
  const existing = stack.node.tryFindChild(id) as lambda.ILayerVersion | undefined;
  if (existing) return existing;
  const arn = ssm.StringParameter.valueForStringParameter(stack, `/aws/service/powertools/typescript/generic/all/${POWERTOOLS_VERSION}`);
  return lambda.LayerVersion.fromLayerVersionArn(stack, id, arn);
}

export class JixiaoFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
  /** Whether the deployed code is the real bundle (false: the placeholder). */
  readonly bundled: boolean;

  constructor(scope: Construct, id: string, props: JixiaoFunctionProps) {
    super(scope, id);

    const entry = path.resolve(REPO_ROOT, props.entry);
    this.bundled = props.bundle && existsSync(entry);
    if (props.bundle && !this.bundled) {
      const message = `${props.entry} does not exist yet: ${this.node.path} gets placeholder code that fails every invocation. Do not deploy this synth.`;
      console.warn(`[jixiao] ${message}`);
      Annotations.of(this).addWarningV2('jixiao:entry-missing', message);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: logsKey(this),
      // Logs are the audit trail of who changed which budget: they outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Fn', {
      description: props.description ?? props.entry,
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: props.memoryMb ?? 512,
      timeout: Duration.seconds(props.timeoutSeconds ?? 10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // X-Ray: Lambda samples and records each invocation; Powertools Tracer adds subsegments.
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
      },
      ...(this.bundled
        ? {
            entry,
            ...(props.handler ? { handler: props.handler } : {}),
            projectRoot: REPO_ROOT,
            depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
            bundling: lambdaBundling(props.files),
            // Powertools and the SDK are external to the bundles (bundling.ts): the layers provide them.
            layers: [powertoolsLayer(this), sdkLayer(this)],
          }
        : { code: lambda.Code.fromInline(PLACEHOLDER_CODE), handler: 'index.handler' }),
    });
    // The role's policy must exist before the function can start with it.
    this.fn.node.addDependency(this.role);

    const runtimeReason =
      'Node.js 22 is the runtime the project targets everywhere (local runtime, tests, esbuild target node22); moving to a newer runtime is a deliberate upgrade, not a side effect of a CDK release.';
    Validations.of(this.fn).acknowledge({ id: 'AwsSolutions-L1', reason: runtimeReason });
    Validations.of(this.fn).acknowledge({ id: 'Serverless-LambdaLatestVersion', reason: runtimeReason });
    // X-Ray has no resource-level permissions: Tracing.ACTIVE grants PutTraceSegments and
    // PutTelemetryRecords on "*", the only form the service accepts.
    const xrayReason =
      'Active tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords on "*": X-Ray supports no resource-level permissions, so "*" is the only resource these two write-only actions take.';
    Validations.of(this.role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: xrayReason });
    Validations.of(this.fn).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        'The functions reach only AWS service endpoints (DynamoDB, SES, Lambda) over TLS with IAM-signed requests; there is no private resource to reach, and a VPC would add NAT or interface endpoints without narrowing what the role may do.',
    });
    if (props.synchronousOnly) {
      const syncReason =
        'Invoked only synchronously by the HTTP API (its one resource policy names apigateway.amazonaws.com and the API): a failed request is answered to the caller as an error, there is no asynchronous event to keep.';
      Validations.of(this.fn).acknowledge({ id: 'Serverless-LambdaDLQ', reason: syncReason });
    }
  }

  addEnvironment(key: string, value: string): void {
    this.fn.addEnvironment(key, value);
  }

  /** lambda:InvokeFunction on the unqualified function only (grantInvoke would add `:*`). */
  grantInvoke(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
  }
}
