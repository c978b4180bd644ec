/**
 * Self-evaluation (绩效自评, SPEC §3.9): the department fills and submits its leaf projects'
 * self-evaluations, finance then performance confirm or return them, the performance office
 * publishes chosen departments' confirmed reports; the public reads what is published.
 */
import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { publicSelfEvaluations, publishSelfEvaluations } from '../../shared/app/self-evaluation/publication';
import { getSelfEvaluation, listSelfEvaluations, selfEvaluationHistory } from '../../shared/app/self-evaluation/reads';
import { reviewSelfEvaluation, submitSelfEvaluation } from '../../shared/app/self-evaluation/review';
import { saveSelfEvaluation } from '../../shared/app/self-evaluation/save';
import { SELF_EVALUATION_STATUSES, selfEvaluationBody, selfEvaluationReviewBody } from '../../shared/domain/evaluations';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import * as R from '../../shared/http/responses';

const projectParams = z.object({ projectId: idSchema });
const year = z.pipe(z.coerce.number(), yearSchema);
const READERS = ['department', 'finance', 'performance'] as const;

export function makeHandler(deps: AppDeps, appUrl?: string) {
  return httpFunction({
    'PUT /v1/projects/{projectId}/self-evaluation': route({
      response: R.upsert(R.selfEvaluation),
      access: ['department'],
      params: projectParams,
      body: selfEvaluationBody,
      handle: async (req) => {
        const out = await saveSelfEvaluation(deps, req.principal, req.params.projectId, req.body);
        return json(out.status, out.evaluation);
      },
    }),
    'GET /v1/projects/{projectId}/self-evaluation': route({
      response: R.selfEvaluationOrPrefill,
      access: READERS,
      params: projectParams,
      handle: async (req) => ok(await getSelfEvaluation(deps, req.principal, req.params.projectId)),
    }),
    'GET /v1/projects/{projectId}/self-evaluation/history': route({
      response: R.history,
      access: READERS,
      params: projectParams,
      handle: async (req) => ok(await selfEvaluationHistory(deps, req.principal, req.params.projectId)),
    }),
    'POST /v1/projects/{projectId}/self-evaluation/submit': route({
      response: R.selfEvaluation,
      access: ['department'],
      params: projectParams,
      handle: async (req) => ok(await submitSelfEvaluation(deps, req.principal, req.params.projectId)),
    }),
    'POST /v1/projects/{projectId}/self-evaluation/review': route({
      response: R.selfEvaluation,
      access: ['finance', 'performance'],
      params: projectParams,
      body: selfEvaluationReviewBody,
      handle: async (req) => ok(await reviewSelfEvaluation(deps, req.principal, req.params.projectId, req.body, appUrl)),
    }),
    'GET /v1/self-evaluations': route({
      response: R.selfEvaluationList,
      access: READERS,
      query: z.strictObject({
        year,
        deptId: z.optional(idSchema),
        grade: z.optional(z.enum(['优', '良', '中', '差'])),
        status: z.optional(z.enum(SELF_EVALUATION_STATUSES)),
      }),
      handle: async (req) => ok(await listSelfEvaluations(deps, req.principal, req.query)),
    }),
    'POST /v1/departments/{deptId}/self-evaluations/{year}/publish': route({
      response: R.upsert(R.published),
      access: ['performance'],
      params: z.object({ deptId: idSchema, year }),
      handle: async (req) => {
        const out = await publishSelfEvaluations(deps, req.principal, req.params.deptId, req.params.year);
        return json(out.status, out.body);
      },
    }),
    'GET /v1/public/{year}/self-evaluations': route({
      response: R.publicSelfEvaluations,
      access: 'public',
      params: z.object({ year }),
      handle: async (req) => ok(await publicSelfEvaluations(deps, req.params.year)),
    }),
  });
}

export const handler = makeHandler(
  liveDeps({ idempotency: repo.idempotency, selfEvaluations: repo.selfEvaluations, evaluationSources: repo.evaluationSources }),
);
