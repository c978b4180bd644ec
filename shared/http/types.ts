/** The shapes the HTTP pipeline and its routes share. */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import type * as z from '../domain/zod';
import type { IdempotencyStore } from '../app/idempotency';
import type { Clock } from '../app/ports';
import type { Principal, Role } from '../domain/access';
import type { HttpResponse } from './response';

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

/** What the idempotency middleware needs: the record's store and a clock (an AppDeps fits). */
export interface IdempotencyDeps {
  repos: { idempotency: IdempotencyStore };
  clock: Clock;
}

/** A body that is a file (CSV, XLSX, HTML…), by media type, instead of or beside JSON. */
export interface FileBody {
  files: readonly string[];
  /** The JSON the same route answers (e.g. `?format=json`), if any. */
  json?: z.ZodMiniType;
}

/** The body of a success: JSON described by a schema, or a file. */
export type SuccessBody = z.ZodMiniType | FileBody;

/**
 * What a route answers on success, for the OpenAPI document (shared/http/openapi.ts): one
 * body for 200, or one per status (`{ 201: created, 200: replayed }`). Errors are the
 * envelope of shared/http/errors.ts on every route and need no entry here.
 */
export type ResponseSpec = SuccessBody | Partial<Record<200 | 201 | 202 | 204, SuccessBody>>;

export interface RouteDef<B = unknown, Q = unknown, P = unknown> {
  access: Access;
  /** The success response(s), documented in /openapi.json and checked by the integration tests. */
  response?: ResponseSpec;
  /** One line for the reference page (Chinese first). */
  summary?: string;
  body?: z.ZodMiniType<B>;
  query?: z.ZodMiniType<Q>;
  params?: z.ZodMiniType<P>;
  /** Accept a non-JSON body (files); it is handed over as `rawBody`. */
  raw?: boolean;
  maxBodyBytes?: number;
  /**
   * Honour the `Idempotency-Key` header: the same key and request again answers the first
   * response; the same key with another request is 409 ID_CONFLICT.
   */
  idempotency?: IdempotencyDeps;
  handle(req: HttpRequest<B, Q, P>): Promise<HttpResponse>;
}

// biome-ignore lint/suspicious/noExplicitAny: the route table holds routes of many shapes
export type Routes = Record<string, RouteDef<any, any, any>>;

/** What the middlewares learn about one request, in the order they run. */
export interface RequestState {
  route: RouteDef;
  headers: Record<string, string | undefined>;
  principal?: Principal;
  raw?: Buffer;
  json?: unknown;
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

export type HttpMiddleware = middy.MiddlewareObj<HttpEvent, HttpResponse, Error, Context>;
export type HttpMiddyRequest = middy.Request<HttpEvent, HttpResponse, Error, Context>;
