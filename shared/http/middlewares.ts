/**
 * The request pipeline as Middy middlewares, each a small factory returning its hooks. They run
 * in the order `httpFunction` lists them; what one learns (route, caller, body) is kept in the
 * request's state for the next. The error mapper is registered first, so its `onError` runs last.
 */
import { hasRole, PUBLIC, type Principal } from '../domain/access';
import { BadRequestError, type FieldProblem, ForbiddenError, NotFoundError, PayloadTooLargeError, UnauthorizedError, ValidationError } from '../domain/errors';
import { issuesToProblems, PARSE_PARAMS } from '../domain/validation';
import { principalFromEvent } from './claims';
import { errorResponse } from './errors';
import { localeOf } from './locale';
import type { Access, HttpEvent, HttpMiddleware, HttpMiddyRequest, RequestState, Routes } from './types';
import type * as z from '../domain/zod';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

// Per request, keyed by the event: middy's `request.internal` is shared between invocations.
const states = new WeakMap<object, RequestState>();

export function stateOf(request: Pick<HttpMiddyRequest, 'event'>): RequestState {
  const state = states.get(request.event);
  if (!state) throw new Error('The routing middleware has not run for this request');
  return state;
}

/** Finds the route of the event's `routeKey` (404 ROUTE_NOT_FOUND) and opens the request state. */
export function routing(routes: Routes): HttpMiddleware {
  return {
    before: (request) => {
      const route = routes[request.event.routeKey];
      if (!route) throw new NotFoundError(`No route ${request.event.routeKey}`, 'ROUTE_NOT_FOUND');
      states.set(request.event, { route, headers: lowerCaseHeaders(request.event.headers) });
    },
  };
}

/** The caller from the JWT claims, checked against the route's access (401, 403). */
export function authClaims(): HttpMiddleware {
  return {
    before: (request) => {
      const state = stateOf(request);
      state.principal = authorize(state.route.access, request.event);
    },
  };
}

/** The raw body, refused with 413 past the route's limit. */
export function bodySize(defaultMaxBytes = DEFAULT_MAX_BODY_BYTES): HttpMiddleware {
  return {
    before: (request) => {
      const state = stateOf(request);
      state.raw = bodyBuffer(request.event, state.route.maxBodyBytes ?? defaultMaxBytes);
    },
  };
}

/** The JSON body of a route that takes one (400 INVALID_JSON, 400 UNSUPPORTED_MEDIA_TYPE). */
export function jsonBody(): HttpMiddleware {
  return {
    before: (request) => {
      const state = stateOf(request);
      if (state.route.body) state.json = parseJson(state.raw, state.headers['content-type']);
    },
  };
}

/** Path, query and body against the route's zod schemas: every problem listed in one 400. */
export function validation(): HttpMiddleware {
  return {
    before: (request) => {
      const state = stateOf(request);
      const { route } = state;
      const problems: FieldProblem[] = [];
      state.params = check(route.params, request.event.pathParameters ?? {}, 'path', problems);
      state.query = check(route.query, request.event.queryStringParameters ?? {}, 'query', problems);
      if (route.body) state.body = check(route.body, state.json, 'body', problems);
      if (problems.length > 0) throw new ValidationError(problems);
    },
  };
}

/**
 * Every error → a response, in one place (shared/http/errors.ts), in the language the request
 * asks for (Chinese unless Accept-Language prefers English). Registered first: runs last.
 */
export function errorMapper(): HttpMiddleware {
  return {
    onError: (request) => {
      const headers = lowerCaseHeaders(request.event?.headers);
      request.response = errorResponse(request.error, localeOf(headers['accept-language']));
    },
  };
}

function authorize(access: Access, event: HttpEvent): Principal {
  if (access === 'public') return principalFromEvent(event) ?? PUBLIC;
  const principal = principalFromEvent(event);
  if (!principal) throw new UnauthorizedError();
  if (access === 'authenticated') return principal;
  if (!hasRole(principal, ...access)) throw new ForbiddenError(`This needs the role ${access.join(' or ')}`);
  return principal;
}

function check(schema: z.ZodMiniType | undefined, value: unknown, prefix: string, problems: FieldProblem[]): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value, PARSE_PARAMS);
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
