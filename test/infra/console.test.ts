/**
 * The deployed web console (infra/constructs/console.ts), bundling off: a private bucket read by
 * CloudFront through origin access control only, HTTPS only, the security headers, the SPA
 * fallback, the runtime config, and the app client's managed login with the console's URLs.
 */
import { runInNewContext } from 'node:vm';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_PATH, SIGNED_OUT_PATH } from '../../infra/console-policy';
import { SPA_FALLBACK_CODE } from '../../infra/constructs/console';
import { JixiaoStack, propsFromContext } from '../../infra/stack';
import { CALLBACK_PATH as WEB_CALLBACK_PATH, SIGNED_OUT_PATH as WEB_SIGNED_OUT_PATH } from '../../web/src/auth/config';

type Resource = { Properties: Record<string, any>; DependsOn?: string[] };
const TEST_APP = { stackTraces: false, builtinCloudFormationValidation: false } as const;

let stack: JixiaoStack;
let template: Template;
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const one = (type: string, t = template): [string, Resource] => {
  const all = Object.entries(t.findResources(type) as Record<string, Resource>);
  expect(all).toHaveLength(1);
  return all[0]!;
};
const idOf = (construct: IConstruct) => Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
const distributionDomain = () => ({ 'Fn::GetAtt': [idOf(stack.console.distribution), 'DomainName'] });
const consoleUrl = (path: string) => ({ 'Fn::Join': ['', ['https://', distributionDomain(), ...(path ? [path] : [])]] });

beforeAll(() => {
  stack = new JixiaoStack(new App(TEST_APP), 'Test', { bundle: false, env: { region: 'ap-southeast-1' } });
  template = Template.fromStack(stack);
});

describe('site bucket', () => {
  it('is private, encrypted, and readable only by this distribution through origin access control', () => {
    const [bucketId, bucket] = one('AWS::S3::Bucket');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();

    const [, policy] = one('AWS::S3::BucketPolicy');
    const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: idOf(stack.console.distribution) }],
              ],
            },
          },
        },
      },
    ]);
    // And plain HTTP is refused for everyone.
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('is the origin of the distribution through an S3 origin access control that signs every request', () => {
    const [oacId, oac] = one('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const [, cdn] = one('AWS::CloudFront::Distribution');
    const [origin] = cdn.Properties.DistributionConfig.Origins;
    expect(origin).toMatchObject({
      DomainName: { 'Fn::GetAtt': [idOf(stack.console.bucket), 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
  });
});

describe('distribution', () => {
  it('redirects HTTP to HTTPS, serves GET/HEAD only, compressed, with the security headers and the SPA fallback', () => {
    const [, cdn] = one('AWS::CloudFront::Distribution');
    const config = cdn.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      Compress: true,
      ResponseHeadersPolicyId: { Ref: idOf(stack.console.headers) },
    });
    expect(config.CacheBehaviors).toBeUndefined();
    const [fnId, fn] = one('AWS::CloudFront::Function');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }]);
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.Properties.FunctionCode).toBe(SPA_FALLBACK_CODE);
    // No custom error responses: a missing asset stays an error rather than becoming index.html.
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('serves index.html for console paths and the file itself for anything with an extension', () => {
    const handler = runInNewContext(`${SPA_FALLBACK_CODE}; handler`) as (e: { request: { uri: string } }) => { uri: string };
    const uri = (u: string) => handler({ request: { uri: u } }).uri;
    expect(['/', '/projects', '/projects/2020-D001-01-01', CALLBACK_PATH, '/public'].map(uri)).toEqual(Array(5).fill('/index.html'));
    expect(['/config.json', '/assets/index-Bx1.js', '/assets/Chart-9a.css', '/favicon.ico'].map(uri)).toEqual([
      '/config.json',
      '/assets/index-Bx1.js',
      '/assets/Chart-9a.css',
      '/favicon.ico',
    ]);
  });

  it('sends HSTS, nosniff, no framing, a strict referrer policy and a CSP that allows only its own code', () => {
    const [, policy] = one('AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true });
    const [, parts] = headers.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Join'] as [string, unknown[]];
    const csp = parts.map((p) => (typeof p === 'string' ? p : `<${JSON.stringify(p)}>`)).join('');
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
      'base-uri': "'self'",
    });
    // connect-src: itself, the API and the Cognito domain's token endpoint; nothing else.
    expect(directives['connect-src']).toBe(
      `'self' https://<{"Ref":"${idOf(stack.httpApi.api)}"}>.execute-api.ap-southeast-1.<{"Ref":"AWS::URLSuffix"}> https://<{"Ref":"${idOf(stack.console.domain)}"}>.auth.ap-southeast-1.amazoncognito.com`,
    );
    expect(csp).not.toMatch(/unsafe-eval|http:|\*/);
  });

  it('is acknowledged for CFR4 only while it has no custom domain', () => {
    const app = new App({
      ...TEST_APP,
      context: {
        bundle: 'false',
        consoleDomainName: 'jx.czj.xm.gov.cn',
        consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        consoleDevOrigin: 'http://localhost:5173/',
      },
    });
    const withDomain = new JixiaoStack(app, 'Custom', propsFromContext(app));
    const t = Template.fromStack(withDomain);
    const [, cdn] = one('AWS::CloudFront::Distribution', t);
    expect(cdn.Properties.DistributionConfig).toMatchObject({
      Aliases: ['jx.czj.xm.gov.cn'],
      ViewerCertificate: {
        AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
    const [, client] = one('AWS::Cognito::UserPoolClient', t);
    expect(client.Properties.CallbackURLs).toEqual([`https://jx.czj.xm.gov.cn${CALLBACK_PATH}`, `http://localhost:5173${CALLBACK_PATH}`]);
    expect(client.Properties.LogoutURLs).toEqual([`https://jx.czj.xm.gov.cn${SIGNED_OUT_PATH}`, `http://localhost:5173${SIGNED_OUT_PATH}`]);
    expect(withDomain.console.url).toBe('https://jx.czj.xm.gov.cn');
    const acked = (s: JixiaoStack) => JSON.stringify(s.console.distribution.node.metadata).includes('AwsSolutions-CFR4');
    expect([acked(stack), acked(withDomain)]).toEqual([true, false]);
  });
});

describe('sign-in', () => {
  it('lets the web client use the code flow (no secret) with the console callback and logout URLs', () => {
    const [, client] = one('AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      GenerateSecret: false,
      EnableTokenRevocation: true,
      CallbackURLs: [consoleUrl('/auth/callback')],
      LogoutURLs: [consoleUrl('/signin')],
    });
    // The console's routes are the ones registered with Cognito.
    expect([WEB_CALLBACK_PATH, WEB_SIGNED_OUT_PATH]).toEqual([CALLBACK_PATH, SIGNED_OUT_PATH]);
  });

  it('has a Cognito domain with the managed login and its default style for the client', () => {
    const [, domain] = one('AWS::Cognito::UserPoolDomain');
    expect(domain.Properties).toMatchObject({ ManagedLoginVersion: 2, UserPoolId: { Ref: idOf(stack.auth.userPool) } });
    expect(domain.Properties.Domain).toEqual({ 'Fn::Join': ['', ['jixiao-', { Ref: 'AWS::AccountId' }]] });
    const [, branding] = one('AWS::Cognito::ManagedLoginBranding');
    expect(branding.Properties).toEqual({
      UserPoolId: { Ref: idOf(stack.auth.userPool) },
      ClientId: { Ref: idOf(stack.auth.client) },
      UseCognitoProvidedValues: true,
    });
  });
});

describe('deployment', () => {
  const deployments = () => Object.entries(resources('Custom::CDKBucketDeployment'));

  it('writes /config.json with the API, the user pool, the client and the console URLs', () => {
    expect(stack.resolve(stack.console.config)).toEqual({
      mode: 'cognito',
      apiUrl: { 'Fn::Join': ['', ['https://', { Ref: idOf(stack.httpApi.api) }, '.execute-api.ap-southeast-1.', { Ref: 'AWS::URLSuffix' }]] },
      authority: { 'Fn::GetAtt': [idOf(stack.auth.userPool), 'ProviderURL'] },
      domain: { 'Fn::Join': ['', ['https://', { Ref: idOf(stack.console.domain) }, '.auth.ap-southeast-1.amazoncognito.com']] },
      clientId: { Ref: idOf(stack.auth.client) },
      redirectUri: consoleUrl('/auth/callback'),
      logoutUri: consoleUrl('/signin'),
      scope: 'openid email profile',
    });
    // Source.jsonData: the tokens above are filled in by the deployment at deploy time.
    const [, entry] = deployments().find(([id]) => id.includes('DeployEntry'))!;
    const markers = Object.values(entry.Properties.SourceMarkers[1] as Record<string, unknown>);
    expect(markers).toEqual(
      expect.arrayContaining([{ Ref: idOf(stack.auth.client) }, { Ref: idOf(stack.httpApi.api) }, { Ref: idOf(stack.console.domain) }, distributionDomain()]),
    );
    expect(entry.Properties.SourceMarkersConfig[1]).toEqual({ jsonEscape: true });
  });

  it('ships hashed assets cached for a year, then index.html and config.json uncached, never pruning', () => {
    const find = (name: string) => deployments().find(([id]) => id.includes(name))!;
    const [assetsId, assets] = find('DeployAssets');
    const [entryId, entry] = find('DeployEntry');
    expect(assets.Properties).toMatchObject({
      Prune: false,
      Exclude: ['index.html', 'build-stats.json'],
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(entry.Properties).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'no-cache' } });
    expect(entry.Properties.SourceObjectKeys).toHaveLength(2);
    expect(template.toJSON().Resources[entryId].DependsOn).toContain(assetsId);
    expect(entry.Properties.DestinationBucketName).toEqual({ Ref: idOf(stack.console.bucket) });
  });

  it("runs CDK's function under a role of its own: no managed policy, S3 on the site and asset buckets, its own log group", () => {
    const roleId = idOf(stack.console.deployRole);
    expect(resources('AWS::IAM::Role')[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const targets = new Set(statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])).map((r) => JSON.stringify(r)));
    for (const target of targets)
      expect(target).toMatch(new RegExp(`${idOf(stack.console.bucket)}|cdk-hnb659fds-assets|${idOf(stack.console.node.findChild('DeployLogs'))}`));
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.every((a) => a.startsWith('s3:') || a.startsWith('logs:'))).toBe(true);
  });

  it('outputs the console URL', () => {
    expect(template.findOutputs('ConsoleUrl').ConsoleUrl!.Value).toEqual(consoleUrl(''));
  });
});
