/**
 * Idle-fund records (SPEC §3.8, §6): carryovers, payables and account balances — PUT, GET,
 * list — and the stored totals of the year's sweeps. CSV/XLSX import is a function of its
 * own (idle-funds-import.ts), so this one carries no file reader.
 */
import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { getRecord, listRecords, putRecord } from '../../shared/app/idle-funds/records';
import { sweepTotalsOfYear } from '../../shared/app/idle-funds/sweeps';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { type IdleKind, IDLE_KINDS, KIND_INFO } from '../../shared/domain/idle-records';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, type Routes, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const RECORD = { carryover: R.carryover, payable: R.payable, account: R.accountBalance } satisfies Record<IdleKind, unknown>;

const listQuery = z.strictObject({
  deptId: z.optional(idSchema),
  status: z.optional(z.enum(['open', 'reclaimed', 'restored'])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  nextToken: z.optional(z.string().check(z.maxLength(2048))),
});

function routesOf(deps: AppDeps, kind: IdleKind): Routes {
  const { idField, path, schema } = KIND_INFO[kind];
  const params = z.object({ [idField]: idSchema });
  const idOf = (p: Record<string, string>) => p[idField] as string;
  const record = RECORD[kind];
  return {
    [`PUT /v1/${path}/{${idField}}`]: route({
      response: R.upsert(record),
      access: ['department', 'performance'],
      params,
      body: schema as unknown as z.ZodMiniType<never>,
      handle: async (req) => {
        const out = await putRecord(deps, req.principal, kind, idOf(req.params as Record<string, string>), req.body);
        return json(out.status, out.record);
      },
    }),
    [`GET /v1/${path}`]: route({
      response: R.page(record),
      access: ['department', 'finance', 'performance'],
      query: listQuery,
      handle: async (req) => ok(await listRecords(deps, req.principal, kind, req.query)),
    }),
    [`GET /v1/${path}/{${idField}}`]: route({
      response: record,
      access: ['department', 'finance', 'performance'],
      params,
      handle: async (req) => ok(await getRecord(deps, req.principal, kind, idOf(req.params as Record<string, string>))),
    }),
  };
}

export function makeHandler(deps: AppDeps) {
  const routes: Routes = {};
  for (const kind of IDLE_KINDS) Object.assign(routes, routesOf(deps, kind));
  routes['GET /v1/idle-funds/sweeps/{year}'] = route({
    response: R.sweeps,
    access: ['finance', 'performance'],
    params: z.object({ year: z.pipe(z.coerce.number(), yearSchema) }),
    handle: async (req) => ok(await sweepTotalsOfYear(deps, req.params.year)),
  });
  return httpFunction(routes);
}

export const handler = makeHandler(liveDeps({ idempotency: repo.idempotency, idleFunds: repo.idleFunds }));
