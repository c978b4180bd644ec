import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { appealDeduction, decideDeduction, getDeductionFor, listDeductions } from '../../shared/app/deductions';
import { config } from '../../shared/aws/clients';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { appealSchema, deductionDecisionSchema } from '../../shared/domain/appeals';
import { DEDUCTION_RULES } from '../../shared/domain/ledger';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import * as R from '../../shared/http/responses';

/** Deduction ids are built from rule, target and date: `PROGRESS_RECLAIM~project~P1~2020-09-30`. */
const deductionParams = z.object({
  deductionId: z.string().check(z.minLength(1), z.maxLength(300), z.regex(/^[A-Za-z0-9._~-]+$/, 'not a deduction id')),
});
const listQuery = z.strictObject({
  year: z.optional(z.pipe(z.coerce.number(), yearSchema)),
  deptId: z.optional(idSchema),
  projectId: z.optional(idSchema),
  rule: z.optional(z.enum(DEDUCTION_RULES)),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  nextToken: z.optional(z.string().check(z.maxLength(2048))),
});

export function makeHandler(deps: AppDeps, appUrl = 'http://localhost:3000') {
  return httpFunction({
    'GET /v1/deductions': route({
      response: R.page(R.deduction),
      access: ['department', 'finance', 'performance'],
      query: listQuery,
      handle: async (req) => ok(await listDeductions(deps, req.principal, req.query)),
    }),
    'GET /v1/deductions/{deductionId}': route({
      response: R.deduction,
      access: ['department', 'finance', 'performance'],
      params: deductionParams,
      handle: async (req) => ok(await getDeductionFor(deps, req.principal, req.params.deductionId)),
    }),
    'POST /v1/deductions/{deductionId}/appeal': route({
      response: R.deduction,
      access: ['department'],
      params: deductionParams,
      body: appealSchema,
      handle: async (req) => ok(await appealDeduction(deps, req.principal, req.params.deductionId, req.body)),
    }),
    'POST /v1/deductions/{deductionId}/decision': route({
      response: R.deductionDecided,
      access: ['performance'],
      params: deductionParams,
      body: deductionDecisionSchema,
      handle: async (req) => {
        const out = await decideDeduction(deps, req.principal, req.params.deductionId, req.body, appUrl);
        // The email is sealed in the outbox; the scheduled dispatcher (every 5 minutes) sends it
        // and retries it, as for every other email.
        return ok({ deduction: out.deduction, ...(out.reversal ? { reversal: out.reversal } : {}), emails: out.mails.length });
      },
    }),
  });
}

export const handler = makeHandler(
  liveDeps({
    departments: repo.departments,
    idempotency: repo.idempotency,
    idleFunds: repo.idleFunds,
    leaves: repo.leaves,
    ledger: repo.ledger,
    outbox: repo.outbox,
    policies: repo.policies,
    projects: repo.projects,
  }),
  config().APP_URL,
);
