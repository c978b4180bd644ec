/**
 * The `Idempotency-Key` header as a middleware, over the idempotency record (scope `http`).
 * Before the handler it takes the key with an in-progress record fingerprinted by method, path,
 * body and caller; after it, it stores the response with the record. The same key and request
 * again → the first response, replayed; the same key with another request → 409 ID_CONFLICT;
 * while the first is still running → 409 IDEMPOTENCY_IN_PROGRESS. A request that fails gives the
 * key back, so a retry runs again. Routes opt in with `idempotency: deps`.
 */
import { createHash } from 'node:crypto';
import { ConflictError } from '../domain/errors';
import { canonicalJson } from '../domain/hash';
import { epochSeconds, type IdempotencyRecord } from '../domain/idempotency';
import type { HttpResponse } from './response';
import { stateOf } from './middlewares';
import type { HttpMiddleware, HttpMiddyRequest, IdempotencyDeps } from './types';

const SCOPE = 'http';
/** A completed key answers replays for a day. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** An in-progress key outlives any run of the handler (API Gateway gives up at 30 s). */
export const IN_PROGRESS_SECONDS = 60;
const MAX_KEY_LENGTH = 200;

interface Claim {
  deps: IdempotencyDeps;
  key: string;
  owner: string;
}

// The keys this environment holds, per request (the event), until the request ends.
const claims = new WeakMap<object, Claim>();

export function idempotencyKeyOf(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key']?.trim();
  return key ? key.slice(0, MAX_KEY_LENGTH) : undefined;
}

export function idempotency(): HttpMiddleware {
  return {
    before: async (request) => {
      const state = stateOf(request);
      const deps = state.route.idempotency;
      const key = idempotencyKeyOf(state.headers);
      if (!deps || !key) return undefined;
      const now = deps.clock.now();
      const owner = request.event.requestContext?.requestId || `${now.getTime()}-${Math.random()}`;
      const hash = fingerprint(request, state.principal?.sub);
      const outcome = await deps.repos.idempotency.claim(
        { scope: SCOPE, key, owner, requestHash: hash, expiresAt: epochSeconds(now) + IN_PROGRESS_SECONDS },
        now,
      );
      if (outcome.claimed) {
        claims.set(request.event, { deps, key, owner });
        return undefined;
      }
      return replay(outcome.existing, key, hash);
    },
    after: async (request) => {
      const claim = takeClaim(request);
      if (!claim || !request.response) return;
      if (request.response.statusCode >= 500) {
        await claim.deps.repos.idempotency.release(SCOPE, claim.key, claim.owner);
        return;
      }
      const expiresAt = epochSeconds(claim.deps.clock.now()) + IDEMPOTENCY_TTL_SECONDS;
      await claim.deps.repos.idempotency.complete(SCOPE, claim.key, claim.owner, request.response, expiresAt);
    },
    onError: async (request) => {
      const claim = takeClaim(request);
      if (claim) await claim.deps.repos.idempotency.release(SCOPE, claim.key, claim.owner);
    },
  };
}

function takeClaim(request: HttpMiddyRequest): Claim | undefined {
  const claim = claims.get(request.event);
  claims.delete(request.event);
  return claim;
}

/** Method, path, body and caller: a key reused for anything else is a conflict. */
function fingerprint(request: HttpMiddyRequest, caller: string | undefined): string {
  const { event } = request;
  const state = stateOf(request);
  const body = state.json !== undefined ? state.json : (state.raw?.toString('base64') ?? null);
  const fields = { method: event.requestContext?.http?.method, path: event.rawPath, body, caller: caller ?? null };
  return createHash('sha256').update(canonicalJson(fields)).digest('base64url');
}

function replay(existing: IdempotencyRecord, key: string, hash: string): HttpResponse {
  if (existing.requestHash !== hash) {
    throw new ConflictError('ID_CONFLICT', `Idempotency-Key ${key} was used for a different request`);
  }
  if (existing.status !== 'completed') {
    throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', `A request with Idempotency-Key ${key} is still running; retry shortly`);
  }
  return existing.result as HttpResponse;
}
