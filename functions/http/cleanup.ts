import * as z from '../../shared/domain/zod';
import { cancelProject } from '../../shared/app/cleanup/cancel';
import { cleanupTotals, listCandidates } from '../../shared/app/cleanup/reads';
import type { AppDeps } from '../../shared/app/context';
import { config } from '../../shared/aws/clients';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { CANDIDATE_KINDS } from '../../shared/domain/rules/cleanup';
import { httpFunction, ok, route } from '../../shared/http/api';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import * as R from '../../shared/http/responses';

const yearParams = z.object({ year: z.pipe(z.coerce.number(), yearSchema) });

export function makeHandler(deps: AppDeps, appUrl = 'http://localhost:3000') {
  return httpFunction({
    'GET /v1/cleanup/{year}/candidates': route({
      response: R.cleanupCandidates,
      access: ['department', 'finance', 'performance'],
      params: yearParams,
      query: z.strictObject({ kind: z.optional(z.enum(CANDIDATE_KINDS)), deptId: z.optional(idSchema) }),
      handle: async (req) => ok(await listCandidates(deps, req.principal, req.params.year, req.query)),
    }),
    'GET /v1/cleanup/{year}/totals': route({
      response: R.cleanupTotals,
      access: ['finance', 'performance'],
      params: yearParams,
      handle: async (req) => ok(await cleanupTotals(deps, req.params.year)),
    }),
    'POST /v1/projects/{projectId}/cancel': route({
      response: R.projectCancelled,
      access: ['performance'],
      params: z.object({ projectId: idSchema }),
      body: z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)), mergedInto: z.optional(idSchema) }),
      handle: async (req) => ok(await cancelProject(deps, req.principal, req.params.projectId, req.body, appUrl)),
    }),
  });
}

export const handler = makeHandler(
  liveDeps({ cleanup: repo.cleanup, idempotency: repo.idempotency, leaves: repo.leaves, ledger: repo.ledger }),
  config().APP_URL,
);
