import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { getDepartmentRanking, putDepartmentRanking } from '../../shared/app/ranking/department';
import { latestRound, runFundingRound } from '../../shared/app/ranking/rounds';
import { fenSchema, idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import * as R from '../../shared/http/responses';

const year = z.pipe(z.coerce.number(), yearSchema);
const deptParams = z.object({ deptId: idSchema, year });
const domainParams = z.object({ year, domain: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)) });

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'PUT /v1/departments/{deptId}/rankings/{year}': route({
      response: R.upsert(R.ranking),
      access: ['department'],
      params: deptParams,
      body: z.strictObject({ projectIds: z.array(idSchema).check(z.maxLength(2000)) }),
      handle: async (req) => {
        const out = await putDepartmentRanking(deps, req.principal, req.params.deptId, req.params.year, req.body.projectIds);
        return json(out.status, out.body);
      },
    }),
    'GET /v1/departments/{deptId}/rankings/{year}': route({
      response: R.ranking,
      access: ['department', 'finance', 'performance'],
      params: deptParams,
      handle: async (req) => ok(await getDepartmentRanking(deps, req.principal, req.params.deptId, req.params.year)),
    }),
    'POST /v1/rankings/{year}/{domain}/rounds': route({
      response: { 201: R.fundingRound },
      access: ['performance'],
      params: domainParams,
      body: z.strictObject({ capFen: fenSchema }),
      handle: async (req) => json(201, await runFundingRound(deps, req.principal, req.params.year, req.params.domain, req.body.capFen)),
    }),
    'GET /v1/rankings/{year}/{domain}': route({
      response: R.fundingRound,
      access: ['finance', 'performance'],
      params: domainParams,
      handle: async (req) => ok(await latestRound(deps, req.params.year, req.params.domain)),
    }),
  });
}

export const handler = makeHandler(liveDeps({ ranking: repo.ranking, idempotency: repo.idempotency }));
