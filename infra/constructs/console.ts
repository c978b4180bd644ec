/**
 * The web console deployed (issue 13 §6): the built console (web/dist) in a private S3 bucket,
 * read only by CloudFront through origin access control; HTTPS only; a response-headers policy
 * with the console's CSP (infra/console-policy.ts) and HSTS; console paths fall back to
 * index.html (a CloudFront Function, so a missing asset stays an error); the runtime config
 * (/config.json: the API, the user pool, the app client) written next to it; and Cognito's
 * managed login for the app client: a Cognito domain, the code flow with the console's callback
 * and logout URLs. The web's half is web/src/auth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CALLBACK_PATH, HSTS_MAX_AGE_SECONDS, PERMISSIONS_POLICY, SIGNED_OUT_PATH, consoleCsp } from '../console-policy';
import type { JixiaoAuth } from './auth';
import { REPO_ROOT } from './bundling';
import { logsKey } from './keys';
import type { JixiaoHttpApi } from './http-api';

export const CONSOLE_DIST = join(REPO_ROOT, 'web', 'dist');
/** Files of web/dist that are not hashed: deployed with no-cache, after the assets. */
const ENTRY_FILES = ['index.html'];
/** In web/dist but not for the site. */
const NOT_SHIPPED = ['build-stats.json'];
/** The OAuth scopes the console asks for; its ID token then carries email and name. */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;

/** Console paths (no file extension in the last segment) are the single-page app's: index.html. */
export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export interface JixiaoConsoleProps {
  auth: JixiaoAuth;
  httpApi: JixiaoHttpApi;
  /** false: a placeholder index.html instead of web/dist (template tests). */
  bundle: boolean;
  /** Cognito domain prefix (unique in the region); default `jixiao-<account>`. */
  authDomainPrefix?: string;
  /** Also allow this origin's callback and logout URLs (e.g. http://localhost:5173 for `vite` against Cognito). */
  devOrigin?: string;
  /** A custom domain for the console, with its ACM certificate (in us-east-1). */
  domainName?: string;
  certificateArn?: string;
  logRetention: logs.RetentionDays;
}

export class JixiaoConsole extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  readonly domain: cognito.UserPoolDomain;
  /** https://<distribution or custom domain>, no trailing slash. */
  readonly url: string;
  /** What /config.json holds (tokens resolved at deploy time). */
  readonly config: Record<string, string>;
  readonly assets: s3deploy.BucketDeployment;
  readonly entry: s3deploy.BucketDeployment;
  /** The role of CDK's deployment function: its log group and the grants BucketDeployment adds. */
  readonly deployRole: iam.Role;

  constructor(scope: Construct, id: string, props: JixiaoConsoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { userPool, client } = props.auth;

    this.domain = userPool.addDomain('ConsoleSignIn', {
      cognitoDomain: { domainPrefix: props.authDomainPrefix ?? `jixiao-${stack.account}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows nothing for a client without a style: Cognito's default one.
    new cognito.CfnManagedLoginBranding(this, 'SignInStyle', {
      userPoolId: userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    const signInOrigin = this.domain.baseUrl();
    const apiOrigin = `https://${props.httpApi.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;

    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    const noLogs =
      "The bucket holds only the built console (public code, no data), is written only by this stack's deployment and read only by CloudFront through origin access control; every data request is logged by the API's access log. Server access logs would need a log bucket of their own for no audit value.";
    // The bucket is a build output: what is in it is the commit that was deployed, and git is its history.
    const buildOutput =
      'The bucket holds only the built console, rewritten from the repository by every deployment (git is its history and its backup); it holds no data.';
    Validations.of(this.bucket).acknowledge(
      { id: 'AwsSolutions-S1', reason: noLogs },
      { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: noLogs },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
        reason: `${buildOutput} SSE-S3 encrypts it at rest; SSE-KMS would make CloudFront's origin access need a key policy for public files.`,
      },
      { id: 'cdk-validator-cfnguard::s3_bucket_versioning_enabled_check', reason: `${buildOutput} Versions would only keep old builds.` },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        reason: `${buildOutput} Object lock would stop the next deployment from replacing index.html and config.json.`,
      },
      { id: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check', reason: `${buildOutput} Nothing reacts to its objects changing.` },
      {
        id: 'cdk-validator-cfnguard::s3_lifecycle_policy_check',
        reason: `${buildOutput} Old hashed assets are kept on purpose (a page still open loads its chunks); they are small and expire with nothing else.`,
      },
    );

    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Jixiao console: CSP for the bundle (no CDN), HSTS, nosniff, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleCsp([apiOrigin, signInOrigin]), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
      customHeadersBehavior: { customHeaders: [{ header: 'permissions-policy', value: PERMISSIONS_POLICY, override: true }] },
    });

    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      comment: 'Console paths serve index.html',
      code: cloudfront.FunctionCode.fromInline(SPA_FALLBACK_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    const custom = props.domainName && props.certificateArn ? { domainName: props.domainName, certificateArn: props.certificateArn } : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'Jixiao web console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
        functionAssociations: [{ function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Edges in Asia (Hong Kong, Singapore, ...) are in class 200; South America and Oceania are not needed.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      ...(custom
        ? {
            domainNames: [custom.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', custom.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.acknowledgeDistribution(!custom);
    this.url = `https://${custom?.domainName ?? this.distribution.distributionDomainName}`;

    const origins_ = [this.url, ...(props.devOrigin ? [props.devOrigin.replace(/\/+$/, '')] : [])];
    enableHostedSignIn(client, {
      callbackUrls: origins_.map((o) => `${o}${CALLBACK_PATH}`),
      logoutUrls: origins_.map((o) => `${o}${SIGNED_OUT_PATH}`),
    });

    this.config = {
      mode: 'cognito',
      apiUrl: apiOrigin,
      authority: userPool.userPoolProviderUrl,
      domain: signInOrigin,
      clientId: client.userPoolClientId,
      redirectUri: `${this.url}${CALLBACK_PATH}`,
      logoutUri: `${this.url}${SIGNED_OUT_PATH}`,
      scope: CONSOLE_SCOPES.join(' '),
    };

    // CDK's deployment function (one per stack) with a role of our own: its log group, no
    // AWSLambdaBasicExecutionRole; BucketDeployment adds the S3 grants it needs.
    const logGroup = new logs.LogGroup(this, 'DeployLogs', { retention: props.logRetention, encryptionKey: logsKey(this) });
    this.deployRole = new iam.Role(this, 'DeployRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the built console into the site bucket during deployments',
    });
    logGroup.grantWrite(this.deployRole);
    const deployment = { destinationBucket: this.bucket, logGroup, role: this.deployRole, memoryLimit: 512, prune: false };
    // Hashed assets first, cached for a year; old ones stay (prune off) for pages still open.
    this.assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      ...deployment,
      sources: [consoleSource(props.bundle)],
      exclude: [...ENTRY_FILES, ...NOT_SHIPPED],
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    // Then the entry page and the runtime config, never cached, so a deploy shows at once.
    this.entry = new s3deploy.BucketDeployment(this, 'DeployEntry', {
      ...deployment,
      sources: [s3deploy.Source.data('index.html', entryPage(props.bundle)), s3deploy.Source.jsonData('config.json', this.config)],
      cacheControl: [s3deploy.CacheControl.noCache()],
    });
    this.entry.node.addDependency(this.assets);
    this.acknowledgeDeployments();
  }

  private acknowledgeDistribution(defaultCertificate: boolean): void {
    const ack = (id: string, reason: string) => Validations.of(this.distribution).acknowledge({ id, reason });
    ack(
      'AwsSolutions-CFR1',
      'No geo restriction: bureau and department staff sign in from wherever they work (travel, home, partner networks); who may read is decided by Cognito (MFA required) and the API, and the console itself holds no data.',
    );
    ack(
      'AwsSolutions-CFR2',
      'No WAF web ACL: the distribution serves only static, public console files (GET/HEAD); a CloudFront web ACL must live in us-east-1 (a second stack) and is billed per ACL and request. The API that holds the data is throttled per route and requires Cognito JWTs.',
    );
    ack(
      'AwsSolutions-CFR3',
      'No CloudFront access logs: they record downloads of public static files only; every data request is logged by the API access log. Standard logging would need an ACL-enabled log bucket for no audit value.',
    );
    ack(
      'cdk-validator-cfnguard::cloudfront_access_logs_enabled_check',
      'As AwsSolutions-CFR3: access logs would record downloads of public static files only; every data request is logged by the API access log.',
    );
    ack(
      'cdk-validator-cfnguard::cloudfront_origin_failover_enabled_check',
      'One origin: the console bucket in the stack region. A failover origin group needs a second bucket kept in sync in another region for static files that are rebuilt by the next deploy; the console holds no data and the API it talks to is in one region.',
    );
    if (defaultCertificate) {
      const cert =
        'Without a custom domain the distribution serves the default *.cloudfront.net certificate, which needs no SNI and whose security policy cannot be set; consoleDomainName with consoleCertificateArn gives an ACM certificate, SNI and TLSv1.2_2021, and removes this acknowledgement.';
      for (const rule of ['cloudfront_custom_ssl_certificate_check', 'cloudfront_security_policy_check', 'cloudfront_sni_enabled_check']) {
        ack(`cdk-validator-cfnguard::${rule}`, cert);
      }
      ack(
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose minimum protocol cannot be set. Give consoleDomainName and consoleCertificateArn (ACM, us-east-1) to serve TLS 1.2 or later only (TLSv1.2_2021), which removes this acknowledgement.',
      );
    }
  }

  /** CDK's BucketDeployment brings its own function and grants; what they need is CDK's choice. */
  private acknowledgeDeployments(): void {
    const wildcards = [
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((a) => `Action::${a}`),
      `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${Stack.of(this).region}/*`,
      `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`,
    ];
    Validations.of(this.deployRole).acknowledge(
      ...wildcards.map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          "CDK's BucketDeployment grants its function read on the CDK asset objects and s3:GetObject*/PutObject*/DeleteObject*/List* on the site bucket's objects (bucket/*): a sync needs every key, and the keys are content hashes unknown until the build. It runs only while CloudFormation deploys.",
      })),
    );
    // The singleton function BucketDeployment creates (the role's scope is ours, the function is the stack's).
    const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      const runtime =
        "CDK's BucketDeployment function runs the Python runtime that aws-cdk-lib pins for its bundled AWS CLI layer; it moves with aws-cdk-lib upgrades, and runs only while CloudFormation deploys.";
      Validations.of(handler).acknowledge(
        { id: 'AwsSolutions-L1', reason: runtime },
        { id: 'Serverless-LambdaLatestVersion', reason: runtime },
        {
          id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
          reason:
            "CDK's deployment function reaches only S3 (the CDK asset bucket and the site bucket) over TLS with its role's signed requests; there is no private resource to reach.",
        },
        {
          id: 'Serverless-LambdaDLQ',
          reason:
            'Invoked only synchronously by CloudFormation as a custom resource: a failure fails the deployment and CloudFormation rolls it back, there is no asynchronous event to keep.',
        },
        {
          id: 'Serverless-LambdaTracing',
          reason: "CDK's function, run only while CloudFormation deploys; its logs (its own group) say what it copied. Nothing of a request passes through it.",
        },
      );
    }
  }
}

/** Switches the app client to the managed login's code flow (PKCE is the console's; public client, no secret). */
function enableHostedSignIn(client: cognito.UserPoolClient, urls: { callbackUrls: string[]; logoutUrls: string[] }): void {
  const cfn = client.node.defaultChild as cognito.CfnUserPoolClient;
  cfn.allowedOAuthFlowsUserPoolClient = true;
  cfn.allowedOAuthFlows = ['code'];
  cfn.allowedOAuthScopes = [...CONSOLE_SCOPES];
  cfn.supportedIdentityProviders = ['COGNITO'];
  cfn.callbackUrLs = urls.callbackUrls;
  cfn.logoutUrLs = urls.logoutUrls;
}

function consoleSource(bundle: boolean): s3deploy.ISource {
  if (!bundle) return s3deploy.Source.data('assets/placeholder.txt', 'Template synth (bundle=false): not the console.');
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
    throw new Error(`${CONSOLE_DIST} is missing: build the console first (npm run build:console; npm run synth does it)`);
  }
  return s3deploy.Source.asset(CONSOLE_DIST, { exclude: [...ENTRY_FILES, ...NOT_SHIPPED] });
}

function entryPage(bundle: boolean): string {
  if (!bundle) return '<!doctype html><title>placeholder</title><p>Template synth (bundle=false): not the console. Do not deploy this synth.</p>';
  return readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8');
}
