/**
 * The idempotency record against DynamoDB Local: the repository (conditional put, ALL_OLD,
 * expiry checked in code) and the `Idempotency-Key` middleware on a route of its own (replay,
 * conflict, in progress, a failure giving the key back, expiry).
 */
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { depsFor } from '../../functions/compose';
import { ConflictError } from '../../shared/domain/errors';
import { idempotencyRepo } from '../../shared/aws/idempotency-repo';
import { getItem } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { httpFunction, ok, route } from '../../shared/http/api';
import type { HttpEvent } from '../../shared/http/api';
import type { HttpResponse } from '../../shared/http/response';
import { envDb } from '../support/ledger-fixtures';
import { setupTable } from '../support/harness';
import * as z from '../../shared/domain/zod';

beforeAll(() => setupTable());

const T0 = Date.parse('2020-09-30T02:00:00Z');
let nowMs = T0;
const clock = { now: () => new Date(nowMs) };
const deps = () => depsFor(envDb(), clock);
let requestSeq = 0;

function event(key: string | undefined, body: unknown, sub = 'officer-D01', path = '/v1/things/T1/act'): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'POST /v1/things/{thingId}/act',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    pathParameters: { thingId: path.split('/')[3] as string },
    requestContext: {
      requestId: `req-${++requestSeq}`,
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      authorizer: { jwt: { claims: { sub, roles: '[department]', deptId: 'D01' }, scopes: [] } },
    },
  } as unknown as HttpEvent;
}

/** A route that counts its runs; `fail` makes it throw a 409, `slowMs` makes it wait. */
function thing() {
  const state = { runs: 0, fail: false, slowMs: 0 };
  const handler = httpFunction({
    'POST /v1/things/{thingId}/act': route({
      access: ['department'],
      params: z.object({ thingId: z.string() }),
      body: z.object({ amountFen: z.number().check(z.int()) }),
      idempotency: deps(),
      handle: async (req) => {
        state.runs++;
        if (state.slowMs) await new Promise((r) => setTimeout(r, state.slowMs));
        if (state.fail) throw new ConflictError('NOT_NOW', 'Not now');
        return ok({ run: state.runs, amountFen: req.body.amountFen });
      },
    }),
  });
  const call = async (e: HttpEvent) => {
    const res = (await handler(e, {} as Context)) as HttpResponse;
    return { status: res.statusCode, body: JSON.parse(res.body ?? 'null') };
  };
  return { state, call };
}

describe('idempotency record', () => {
  it('takes a key once, hands back the holder from the failed put, and counts expiry in code', async () => {
    nowMs = T0;
    const repo = idempotencyRepo(envDb());
    const base = { scope: 'test', key: 'k-1', requestHash: 'h', expiresAt: Math.floor(T0 / 1000) + 60 };
    expect(await repo.claim({ ...base, owner: 'a' }, clock.now())).toEqual({ claimed: true });
    const second = await repo.claim({ ...base, owner: 'b' }, clock.now());
    expect(second).toEqual({ claimed: false, existing: { ...base, owner: 'a', status: 'in-progress' } });

    await repo.complete('test', 'k-1', 'a', { answer: 42 }, Math.floor(T0 / 1000) + 120);
    expect(await repo.get('test', 'k-1', clock.now())).toMatchObject({ status: 'completed', result: { answer: 42 }, owner: 'a' });
    // Another owner's release leaves the record alone.
    await repo.release('test', 'k-1', 'b');
    expect(await repo.get('test', 'k-1', clock.now())).toMatchObject({ owner: 'a' });

    // Past its expiry the item is still in the table (TTL deletes late) but counts as absent…
    const later = new Date(T0 + 121_000);
    expect(await getItem(envDb(), keys.idempotency('test', 'k-1'))).toMatchObject({ entity: 'Idempotency', v: 1, owner: 'a' });
    expect(await repo.get('test', 'k-1', later)).toBeUndefined();
    // …and a new claim takes it over.
    expect(await repo.claim({ ...base, owner: 'c', expiresAt: Math.floor(later.getTime() / 1000) + 60 }, later)).toEqual({ claimed: true });
    expect(await repo.get('test', 'k-1', later)).toMatchObject({ owner: 'c', status: 'in-progress' });
  });
});

describe('Idempotency-Key middleware', () => {
  it('replays the first response for the same key and request, without running the handler again', async () => {
    nowMs = T0;
    const { state, call } = thing();
    const first = await call(event('replay-1', { amountFen: 500 }));
    const again = await call(event('replay-1', { amountFen: 500 }));
    expect(first).toEqual({ status: 200, body: { run: 1, amountFen: 500 } });
    expect(again).toEqual(first);
    expect(state.runs).toBe(1);
    // Without the header every request runs.
    await call(event(undefined, { amountFen: 500 }));
    expect(state.runs).toBe(2);
  });

  it('answers 409 ID_CONFLICT for the same key with another body, path or caller', async () => {
    nowMs = T0;
    const { state, call } = thing();
    expect((await call(event('conflict-1', { amountFen: 500 }))).status).toBe(200);
    for (const other of [
      event('conflict-1', { amountFen: 501 }),
      event('conflict-1', { amountFen: 500 }, 'officer-D01', '/v1/things/T2/act'),
      event('conflict-1', { amountFen: 500 }, 'officer-other'),
    ]) {
      const res = await call(other);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('ID_CONFLICT');
    }
    expect(state.runs).toBe(1);
  });

  it('answers 409 while the first request with the key still runs', async () => {
    nowMs = T0;
    const { state, call } = thing();
    state.slowMs = 300;
    const [a, b] = await Promise.all([
      call(event('busy-1', { amountFen: 7 })),
      new Promise((r) => setTimeout(r, 100)).then(() => call(event('busy-1', { amountFen: 7 }))),
    ]);
    expect(a).toEqual({ status: 200, body: { run: 1, amountFen: 7 } });
    expect(b.status).toBe(409);
    expect(b.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(state.runs).toBe(1);
  });

  it('gives the key back when the request fails, so a retry runs', async () => {
    nowMs = T0;
    const { state, call } = thing();
    state.fail = true;
    const failed = await call(event('fail-1', { amountFen: 9 }));
    expect(failed.status).toBe(409);
    expect(failed.body.error.code).toBe('NOT_NOW');
    state.fail = false;
    expect(await call(event('fail-1', { amountFen: 9 }))).toEqual({ status: 200, body: { run: 2, amountFen: 9 } });
    expect(await getItem(envDb(), keys.idempotency('http', 'fail-1'))).toMatchObject({ status: 'completed' });
  });

  it('forgets a key after a day: the same request then runs again', async () => {
    nowMs = T0;
    const { state, call } = thing();
    await call(event('expire-1', { amountFen: 3 }));
    nowMs = T0 + 23 * 3600_000;
    expect((await call(event('expire-1', { amountFen: 3 }))).body.run).toBe(1);
    nowMs = T0 + 24 * 3600_000 + 1000;
    expect(await call(event('expire-1', { amountFen: 3 }))).toEqual({ status: 200, body: { run: 2, amountFen: 3 } });
    expect(state.runs).toBe(2);
  });
});
