/**
 * Key evaluations, rectification and results (SPEC §3.10): the performance office opens and
 * finalizes key evaluations, assigned experts score them, departments rectify suggestions,
 * and the year's grades propose next year's cuts.
 */
import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { createEvaluation } from '../../shared/app/evaluations/create';
import { finalizeEvaluation } from '../../shared/app/evaluations/finalize';
import { evaluationSummary, getEvaluation, listEvaluations } from '../../shared/app/evaluations/reads';
import { scoreEvaluation } from '../../shared/app/evaluations/score';
import { listSuggestions, reportRectification, reviewRectification } from '../../shared/app/rectification/rectify';
import { decideProposal, listProposals } from '../../shared/app/results/decide';
import { createEvaluationBody, finalizeBody, proposalDecisionBody, rectificationBody, scoresBody, suggestionReviewBody } from '../../shared/domain/evaluations';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import * as R from '../../shared/http/responses';

const year = z.pipe(z.coerce.number(), yearSchema);
const evalParams = z.object({ evaluationId: idSchema });
const suggestionParams = z.object({ suggestionId: idSchema });
const READERS = ['department', 'finance', 'performance'] as const;

export function makeHandler(deps: AppDeps, appUrl?: string) {
  return httpFunction({
    'POST /v1/evaluations': route({
      response: R.upsert(R.evaluation),
      access: ['performance'],
      body: createEvaluationBody,
      handle: async (req) => {
        const out = await createEvaluation(deps, req.principal, req.body);
        return json(out.status, out.evaluation);
      },
    }),
    'GET /v1/evaluations': route({
      response: R.evaluationList,
      access: [...READERS, 'expert'],
      query: z.strictObject({ year }),
      handle: async (req) => ok(await listEvaluations(deps, req.principal, req.query.year)),
    }),
    'GET /v1/evaluations/summary/{year}': route({
      response: R.evaluationSummary,
      access: READERS,
      params: z.object({ year }),
      handle: async (req) => ok(await evaluationSummary(deps, req.params.year)),
    }),
    'GET /v1/evaluations/{evaluationId}': route({
      response: R.evaluationDetail,
      access: [...READERS, 'expert'],
      params: evalParams,
      handle: async (req) => ok(await getEvaluation(deps, req.principal, req.params.evaluationId)),
    }),
    'PUT /v1/evaluations/{evaluationId}/scores': route({
      response: R.expertScores,
      access: ['expert'],
      params: evalParams,
      body: scoresBody,
      handle: async (req) => ok(await scoreEvaluation(deps, req.principal, req.params.evaluationId, req.body)),
    }),
    'POST /v1/evaluations/{evaluationId}/finalize': route({
      response: R.evaluation,
      access: ['performance'],
      params: evalParams,
      body: finalizeBody,
      handle: async (req) => ok(await finalizeEvaluation(deps, req.principal, req.params.evaluationId, req.body, appUrl)),
    }),
    'GET /v1/suggestions': route({
      response: R.suggestionList,
      access: READERS,
      query: z.strictObject({ year, deptId: z.optional(idSchema) }),
      handle: async (req) => ok(await listSuggestions(deps, req.principal, req.query)),
    }),
    'PUT /v1/suggestions/{suggestionId}/rectification': route({
      response: R.suggestion,
      access: ['department'],
      params: suggestionParams,
      body: rectificationBody,
      handle: async (req) => ok(await reportRectification(deps, req.principal, req.params.suggestionId, req.body)),
    }),
    'POST /v1/suggestions/{suggestionId}/review': route({
      response: R.suggestion,
      access: ['performance'],
      params: suggestionParams,
      body: suggestionReviewBody,
      handle: async (req) => ok(await reviewRectification(deps, req.principal, req.params.suggestionId, req.body)),
    }),
    'GET /v1/results/{year}/proposals': route({
      response: R.proposals,
      access: READERS,
      params: z.object({ year }),
      query: z.strictObject({ deptId: z.optional(idSchema) }),
      handle: async (req) => ok(await listProposals(deps, req.principal, req.params.year, req.query)),
    }),
    'POST /v1/results/{year}/proposals/{proposalId}/decision': route({
      response: R.proposalDecided,
      access: ['performance'],
      params: z.object({ year, proposalId: idSchema }),
      body: proposalDecisionBody,
      handle: async (req) => ok(await decideProposal(deps, req.principal, req.params.year, req.params.proposalId, req.body)),
    }),
  });
}

export const handler = makeHandler(
  liveDeps({
    idempotency: repo.idempotency,
    leaves: repo.leaves,
    ledger: repo.ledger,
    selfEvaluations: repo.selfEvaluations,
    keyEvaluations: repo.keyEvaluations,
    suggestions: repo.suggestions,
    resultsProposals: repo.resultsProposals,
    evaluationSources: repo.evaluationSources,
  }),
);
