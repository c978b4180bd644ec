/** PUT /v1/evaluations/{evaluationId}/scores (SPEC §3.10): an assigned expert scores four criteria. */
import type { Principal } from '../../domain/access';
import { ConflictError } from '../../domain/errors';
import type { ExpertScore, ScoresBody } from '../../domain/evaluations';
import { expertScore } from '../../domain/rules/key-evaluation';
import { toDecimal } from '../../domain/fraction';
import type { AppDeps } from '../context';
import { visibleEvaluation } from './common';

export async function scoreEvaluation(deps: AppDeps, actor: Principal, evaluationId: string, body: ScoresBody) {
  // Only assigned experts reach this route's use case (the route is expert-only): any other
  // expert gets the same 404 as for an evaluation that does not exist.
  const e = await visibleEvaluation(deps, actor, evaluationId);
  if (e.status !== 'open') throw new ConflictError('EVALUATION_FINALIZED', '评价已完成，不能再打分 (the evaluation is finalized)');
  const policy = await deps.repos.evaluationSources.policy(e.year);
  const at = deps.clock.now().toISOString();
  const { comment, ...scores } = body;
  const score: ExpertScore = { evaluationId, sub: actor.sub, scores, ...(comment ? { comment } : {}), at };
  const weighted = toDecimal(expertScore(scores, policy.keyEvaluation));
  const out = await deps.repos.keyEvaluations.putScore(score, {
    auditId: deps.ids.next(),
    entityType: 'KeyEvaluation',
    entityId: evaluationId,
    action: 'evaluation.scored',
    actor: actor.sub,
    at,
    before: null,
    after: { ...scores, weighted },
  });
  if (out === 'conflict') throw new ConflictError('EVALUATION_FINALIZED', '评价已完成，不能再打分 (the evaluation is finalized)');
  return { ...score, weighted, weights: policy.keyEvaluation.weights };
}
