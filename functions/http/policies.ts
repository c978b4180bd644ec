import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { getPolicy, putPolicy } from '../../shared/app/policies';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { policyOverrideSchema } from '../../shared/domain/policy';
import { httpFunction, ok, route } from '../../shared/http/api';
import * as R from '../../shared/http/responses';

const yearParams = z.object({ year: z.coerce.number().check(z.int(), z.gte(2000), z.lte(2100)) });

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'GET /v1/policies/{year}': route({
      response: R.policyView,
      access: ['department', 'finance', 'performance', 'expert'],
      params: yearParams,
      handle: async (req) => ok(await getPolicy(deps, req.params.year)),
    }),
    'PUT /v1/policies/{year}': route({
      response: R.policyView,
      access: ['performance'],
      params: yearParams,
      body: policyOverrideSchema,
      handle: async (req) => ok(await putPolicy(deps, req.principal, req.params.year, req.body)),
    }),
  });
}

export const handler = makeHandler(liveDeps({ idempotency: repo.idempotency, policies: repo.policies }));
