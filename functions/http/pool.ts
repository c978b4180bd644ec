/** The pool (统筹资金) of a year and the allocations from it (SPEC §2, §6). */
import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { allocate, getAllocation, getPool, listAllocations } from '../../shared/app/pool';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { allocationSchema } from '../../shared/domain/pool';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const yearParams = z.object({ year: z.pipe(z.coerce.number(), yearSchema) });

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
      query: z.strictObject({
        limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
        nextToken: z.optional(z.string().check(z.maxLength(2048))),
      }),
      handle: async (req) => ok(await listAllocations(deps, req.params.year, req.query)),
    }),
    'GET /v1/pool/{year}/allocations/{allocationId}': route({
      response: R.allocation,
      access: ['finance', 'performance'],
      params: z.extend(yearParams, { allocationId: idSchema }),
      handle: async (req) => ok(await getAllocation(deps, req.params.year, req.params.allocationId)),
    }),
  });
}

export const handler = makeHandler(
  liveDeps({
    idempotency: repo.idempotency,
    leaves: repo.leaves,
    ledger: repo.ledger,
    pool: repo.pool,
    resultsProposals: repo.resultsProposals,
    evaluationSources: repo.evaluationSources,
  }),
);
