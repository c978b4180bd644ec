/**
 * The HTTP API: one route per entry of infra/catalog.ts, each integrated with the function that
 * serves it; every route needs a Cognito JWT except the catalog's public routes.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteEntry } from '../catalog';
import { logsKey } from './keys';

/** Default route throttling for the stage: a bureau of ~90 departments, with room for bursts. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 };
/** Routes that need no token are throttled harder: anyone on the internet can call them. */
export const PUBLIC_ROUTE_THROTTLE = { rateLimit: 10, burstLimit: 20 };

export interface JixiaoHttpApiProps {
  routes: RouteEntry[];
  functions: Record<string, lambda.IFunction>;
  userPool: cognito.IUserPool;
  userPoolClient: cognito.IUserPoolClient;
  corsOrigins: string[];
  logRetention: logs.RetentionDays;
}

/** One construct id per route key; `/` is not allowed in construct ids. */
export function routeConstructId(routeKey: string): string {
  return `Route ${routeKey.replace(/\//g, '|')}`;
}

export class JixiaoHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly routes = new Map<string, apigw.HttpRoute>();

  constructor(scope: Construct, id: string, props: JixiaoHttpApiProps) {
    super(scope, id);

    const methods = [...new Set(props.routes.map((r) => r.method))].sort() as apigw.CorsHttpMethod[];
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Jixiao HTTP API (SPEC §6)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [...methods, apigw.CorsHttpMethod.OPTIONS],
        // Tokens travel in the Authorization header, never in cookies.
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        allowCredentials: false,
        maxAge: Duration.days(1),
      },
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, encryptionKey: logsKey(this) });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('CognitoJwt', props.userPool, {
      userPoolClients: [props.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationFor = (name: string): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        const fn = props.functions[name];
        if (!fn) throw new Error(`No function ${name} for its routes`);
        // One invoke permission per function for this API, not one per route: a function with
        // twenty routes would otherwise carry twenty statements in its resource policy.
        integration = new HttpLambdaIntegration(`${name}Integration`, fn, { scopePermissionToRoute: false });
        integrations.set(name, integration);
      }
      return integration;
    };

    const publicRouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of props.routes) {
      const httpRoute = new apigw.HttpRoute(this, routeConstructId(route.routeKey), {
        httpApi: this.api,
        routeKey: apigw.HttpRouteKey.with(route.path, route.method as apigw.HttpMethod),
        integration: integrationFor(route.fn),
        authorizer: route.isPublic ? new apigw.HttpNoneAuthorizer() : authorizer,
      });
      this.routes.set(route.routeKey, httpRoute);
      if (route.isPublic) {
        const reason = `${route.routeKey} is public by design (infra/catalog.ts publicRoutes, SPEC §6: "no token"), served without a token and throttled harder, at ${PUBLIC_ROUTE_THROTTLE.rateLimit} requests/s.`;
        Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason });
        Validations.of(httpRoute).acknowledge({ id: 'cdk-validator-cfnguard::api_gw_v2_authorization_type_configured_check', reason });
        publicRouteSettings[route.routeKey] = {
          ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit,
          ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit,
        };
        // Route settings name routes by key: the routes must exist before the stage names them.
        this.stage.node.addDependency(httpRoute);
      }
    }
    // Each invoke permission names this API by SourceArn (execute-api:<region>:<account>:<api>/*/*),
    // built with Fn::Join, which cfn-guard's CT.LAMBDA.PR.2 does not evaluate.
    for (const permission of this.node.findAll().filter((c) => c instanceof lambda.CfnPermission)) {
      Validations.of(permission).acknowledge({
        id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
        reason:
          'Not public: the permission lets apigateway.amazonaws.com invoke the function only with SourceArn set to this HTTP API (execute-api:<region>:<account>:<api-id>/*/*); the control reads SourceArn only as a literal string or a local reference, and this one is an Fn::Join.',
      });
    }
    if (Object.keys(publicRouteSettings).length > 0) {
      (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = publicRouteSettings;
    }
  }

  /** The invoke URL of the default stage, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }
}
