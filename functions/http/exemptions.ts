import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { decideExemption, getExemptionFor, listExemptions, requestExemption } from '../../shared/app/exemptions';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { EXEMPTION_STATUSES, exemptionDecisionSchema, exemptionRequestSchema } from '../../shared/domain/exemptions';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const exemptionParams = z.object({
  exemptionId: z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[A-Za-z0-9._~-]+$/, 'not an exemption id')),
});
const listQuery = z.strictObject({
  year: z.pipe(z.coerce.number(), yearSchema),
  deptId: z.optional(idSchema),
  status: z.optional(z.enum(EXEMPTION_STATUSES)),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  nextToken: z.optional(z.string().check(z.maxLength(2048))),
});

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'POST /v1/projects/{projectId}/exemptions': route({
      response: R.upsert(R.exemption),
      access: ['department', 'performance'],
      params: z.object({ projectId: idSchema }),
      body: exemptionRequestSchema,
      handle: async (req) => {
        const out = await requestExemption(deps, req.principal, req.params.projectId, req.body);
        return json(out.status, out.body);
      },
    }),
    'POST /v1/exemptions/{exemptionId}/decision': route({
      response: R.exemption,
      access: ['performance'],
      params: exemptionParams,
      body: exemptionDecisionSchema,
      handle: async (req) => ok(await decideExemption(deps, req.principal, req.params.exemptionId, req.body)),
    }),
    'GET /v1/exemptions': route({
      response: R.page(R.exemption),
      access: ['department', 'finance', 'performance'],
      query: listQuery,
      handle: async (req) => ok(await listExemptions(deps, req.principal, req.query)),
    }),
    'GET /v1/exemptions/{exemptionId}': route({
      response: R.exemption,
      access: ['department', 'finance', 'performance'],
      params: exemptionParams,
      handle: async (req) => ok(await getExemptionFor(deps, req.principal, req.params.exemptionId)),
    }),
  });
}

export const handler = makeHandler(
  liveDeps({ departments: repo.departments, exemptions: repo.exemptions, idempotency: repo.idempotency, policies: repo.policies, projects: repo.projects }),
);
