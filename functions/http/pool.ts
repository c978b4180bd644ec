/** The pool (统筹资金) of a year and the allocations from it (SPEC §2, §6). */
import * as z from 'zod';
import type { AppDeps } from '../../shared/app/context';
import { allocate, getAllocation, getPool, listAllocations } from '../../shared/app/pool';
import { liveDeps } from '../compose';
import { allocationSchema } from '../../shared/domain/pool';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const yearParams = z.object({ year: z.coerce.number().pipe(yearSchema) });

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'GET /v1/pool/{year}': route({
      response: R.pool,
      access: ['finance', 'performance'],
      params: yearParams,
      handle: async (req) => ok(await getPool(deps, req.params.year)),
    }),
    'POST /v1/pool/{year}/allocations': route({
      response: R.upsert(R.allocation),
      access: ['performance'],
      params: yearParams,
      body: allocationSchema,
      handle: async (req) => {
        const out = await allocate(deps, req.principal, req.params.year, req.body);
        return json(out.status, out.allocation);
      },
    }),
    'GET /v1/pool/{year}/allocations': route({
      response: R.page(R.allocation),
      access: ['finance', 'performance'],
      params: yearParams,
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100), nextToken: z.string().max(2048).optional() }),
      handle: async (req) => ok(await listAllocations(deps, req.params.year, req.query)),
    }),
    'GET /v1/pool/{year}/allocations/{allocationId}': route({
      response: R.allocation,
      access: ['finance', 'performance'],
      params: yearParams.extend({ allocationId: idSchema }),
      handle: async (req) => ok(await getAllocation(deps, req.params.year, req.params.allocationId)),
    }),
  });
}

export const handler = makeHandler(liveDeps());
