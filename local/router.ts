/**
 * Matches a request to a route of the catalog the way API Gateway HTTP APIs do (literal
 * segments before parameters, greedy `{proxy+}` last) and builds the v2 event.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { allRoutes, type RouteEntry } from '../infra/catalog';

interface Compiled {
  entry: RouteEntry;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

let compiled: Compiled[] | undefined;

function compile(): Compiled[] {
  if (compiled) return compiled;
  compiled = allRoutes()
    .map((entry) => {
      const names: string[] = [];
      const segments = entry.path.split('/').filter(Boolean);
      const pattern = segments
        .map((seg) => {
          const m = /^\{(\w+)(\+?)\}$/.exec(seg);
          if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(m[1] as string);
          return m[2] ? '(.+)' : '([^/]+)';
        })
        .join('/');
      return { entry, regex: new RegExp(`^/${pattern}/?$`), names, literalSegments: segments.filter((s) => !s.startsWith('{')).length };
    })
    .sort((a, b) => b.literalSegments - a.literalSegments);
  return compiled;
}

export interface Match {
  entry: RouteEntry;
  pathParameters: Record<string, string>;
}

/** The route for a method and path; `methodMismatch` when only the method is wrong. */
export function matchRoute(method: string, path: string): Match | { methodMismatch: true } | undefined {
  let pathMatched = false;
  for (const c of compile()) {
    const m = c.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (c.entry.method !== method.toUpperCase()) continue;
    const pathParameters: Record<string, string> = {};
    c.names.forEach((name, i) => {
      pathParameters[name] = decodeURIComponent(m[i + 1] as string);
    });
    return { entry: c.entry, pathParameters };
  }
  return pathMatched ? { methodMismatch: true } : undefined;
}

export interface EventInput {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  claims?: Record<string, unknown>;
  match: Match;
  requestId?: string;
}

export function buildEvent(input: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
  const body = input.body === undefined ? undefined : Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body);
  const isText = !body || /json|text|csv/i.test(headers['content-type'] ?? 'application/json');
  const query = input.query && Object.keys(input.query).length > 0 ? input.query : undefined;
  const now = new Date();
  const event = {
    version: '2.0',
    routeKey: input.match.entry.routeKey,
    rawPath: input.path,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers,
    queryStringParameters: query,
    pathParameters: Object.keys(input.match.pathParameters).length > 0 ? input.match.pathParameters : undefined,
    body: body ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body ? !isText : false,
    stageVariables: undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: input.method.toUpperCase(), path: input.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: input.requestId ?? `local-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`,
      routeKey: input.match.entry.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: input.claims ? { principalId: '', integrationLatency: 0, jwt: { claims: input.claims, scopes: [] } } : undefined,
    },
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}
