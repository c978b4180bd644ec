/**
 * One HTTP function serves a few routes of one resource. `httpFunction(routes)` gives the
 * Lambda handler: a middy chain (logger context, then our request pipeline) that dispatches on
 * the API Gateway v2 `routeKey`, checks the caller's roles, validates path, query and body with
 * zod (every problem listed in one 400), and maps every error to a response in one place.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import type * as z from 'zod';
import { hasRole, PUBLIC, type Principal, type Role } from '../domain/access';
import {
  BadRequestError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationError,
} from '../domain/errors';
import { issuesToProblems } from '../domain/validation';
import { principalFromEvent } from './claims';
import { errorResponse } from './errors';
import { logger } from './observability';
import { type HttpResponse, json } from './response';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** Who may call a route: 'public' (no token), 'authenticated' (any role) or a list of roles. */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface HttpRequest<B, Q, P> {
  principal: Principal;
  body: B;
  query: Q;
  params: P;
  /** The raw body, for routes that take files (CSV, XLSX). */
  rawBody: Buffer | undefined;
  headers: Record<string, string | undefined>;
  requestId: string;
}

export interface RouteDef<B = unknown, Q = unknown, P = unknown> {
  access: Access;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Accept a non-JSON body (files); it is handed over as `rawBody`. */
  raw?: boolean;
  maxBodyBytes?: number;
  handle(req: HttpRequest<B, Q, P>): Promise<HttpResponse>;
}

/** Identity helper so that each route's types are inferred from its schemas. */
export function route<B = undefined, Q = undefined, P = undefined>(def: RouteDef<B, Q, P>): RouteDef<B, Q, P> {
  return def;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

// biome-ignore lint/suspicious/noExplicitAny: the route table holds routes of many shapes
export type Routes = Record<string, RouteDef<any, any, any>>;

export function httpFunction(routes: Routes) {
  const dispatch = async (event: HttpEvent): Promise<HttpResponse> => {
    try {
      const def = routes[event.routeKey];
      if (!def) throw new NotFoundError(`No route ${event.routeKey}`, 'ROUTE_NOT_FOUND');
      return await run(def, event);
    } catch (error) {
      return errorResponse(error);
    }
  };
  return middy<HttpEvent, HttpResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(dispatch);
}

async function run(def: RouteDef, event: HttpEvent): Promise<HttpResponse> {
  const principal = authorize(def.access, event);
  const headers = lowerCaseHeaders(event.headers);
  const raw = bodyBuffer(event, def.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);

  const problems: FieldProblem[] = [];
  const params = check(def.params, event.pathParameters ?? {}, 'path', problems);
  const query = check(def.query, event.queryStringParameters ?? {}, 'query', problems);
  let body: unknown;
  if (def.body) {
    const parsed = parseJson(raw, headers['content-type']);
    body = check(def.body, parsed, 'body', problems);
  }
  if (problems.length > 0) throw new ValidationError(problems);

  return def.handle({
    principal,
    body,
    query,
    params,
    rawBody: def.raw ? raw : undefined,
    headers,
    requestId: event.requestContext?.requestId ?? '',
  });
}

function authorize(access: Access, event: HttpEvent): Principal {
  if (access === 'public') return principalFromEvent(event) ?? PUBLIC;
  const principal = principalFromEvent(event);
  if (!principal) throw new UnauthorizedError();
  if (access === 'authenticated') return principal;
  if (!hasRole(principal, ...access)) throw new ForbiddenError(`This needs the role ${access.join(' or ')}`);
  return principal;
}

function check(schema: z.ZodType | undefined, value: unknown, prefix: string, problems: FieldProblem[]): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problems.push(...issuesToProblems(result.error.issues, prefix));
  return undefined;
}

function bodyBuffer(event: HttpEvent, maxBytes: number): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  const buffer = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (buffer.byteLength > maxBytes) throw new PayloadTooLargeError(maxBytes);
  return buffer;
}

function parseJson(raw: Buffer | undefined, contentType: string | undefined): unknown {
  if (raw === undefined || raw.byteLength === 0) return undefined;
  if (contentType && !/json/i.test(contentType)) {
    throw new BadRequestError('UNSUPPORTED_MEDIA_TYPE', 'The body must be JSON (content-type: application/json)');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadRequestError('INVALID_JSON', 'The body is not valid JSON');
  }
}

function lowerCaseHeaders(headers: HttpEvent['headers'] | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

export const ok = (body: unknown) => json(200, body);
export const created = (body: unknown) => json(201, body);
