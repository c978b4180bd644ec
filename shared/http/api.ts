/**
 * One HTTP function serves a few routes of one resource. `httpFunction(routes)` gives the
 * Lambda handler: a Middy chain of small middlewares (shared/http/middlewares.ts) — the logger's
 * context, the X-Ray subsegment (Powertools Tracer), routing on the API Gateway v2 `routeKey`, auth claims, body size, JSON parsing, zod
 * validation (every problem listed in one 400), the `Idempotency-Key` record for routes that ask
 * for it — then the route's handler; the error mapper is registered first so that it runs last.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../aws/logger';
import { tracer } from '../aws/tracer';
import { idempotency } from './idempotency';
import { authClaims, bodySize, errorMapper, jsonBody, routing, stateOf, validation } from './middlewares';
import { type HttpResponse, json } from './response';
import type { HttpEvent, RouteDef, Routes } from './types';

export type { Access, FileBody, HttpEvent, HttpRequest, IdempotencyDeps, ResponseSpec, RouteDef, Routes } from './types';
export { DEFAULT_MAX_BODY_BYTES } from './middlewares';

/** Identity helper so that each route's types are inferred from its schemas. */
export function route<B = undefined, Q = undefined, P = undefined>(def: RouteDef<B, Q, P>): RouteDef<B, Q, P> {
  return def;
}

export function httpFunction(routes: Routes) {
  const dispatch = async (event: HttpEvent): Promise<HttpResponse> => {
    const state = stateOf({ event });
    if (!state.principal) throw new Error('The auth middleware has not run for this request');
    return state.route.handle({
      principal: state.principal,
      body: state.body,
      query: state.query,
      params: state.params,
      rawBody: state.route.raw ? state.raw : undefined,
      headers: state.headers,
      requestId: event.requestContext?.requestId ?? '',
    });
  };
  const handler = middy<HttpEvent, HttpResponse, Error, Context>()
    .use(errorMapper())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(routing(routes))
    .use(authClaims())
    .use(bodySize())
    .use(jsonBody())
    .use(validation())
    .use(idempotency())
    .handler(dispatch);
  // The route table rides on the handler so that the OpenAPI generator reads the very routes
  // (schemas, access, responses) that the function serves.
  return Object.assign(handler, { routes });
}

export const ok = (body: unknown) => json(200, body);
export const created = (body: unknown) => json(201, body);
