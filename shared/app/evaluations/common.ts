/** Who may see a key evaluation (SPEC §1, §3.10), and how it is shown. */
import { hasRole, type Principal, readsEverything } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { StoredKeyEvaluation } from '../../domain/evaluations';
import type { AppDeps } from '../context';

/**
 * finance and performance see every evaluation; an expert only those assigned to them; a
 * department those that concern it, and others' once finalized. Anything else does not exist.
 */
export function canSee(actor: Principal, e: StoredKeyEvaluation): boolean {
  if (readsEverything(actor)) return true;
  if (hasRole(actor, 'expert') && e.experts.includes(actor.sub)) return true;
  if (hasRole(actor, 'department') && actor.deptId) return e.deptIds.includes(actor.deptId) || e.status === 'finalized';
  return false;
}

export async function visibleEvaluation(deps: AppDeps, actor: Principal, evaluationId: string): Promise<StoredKeyEvaluation> {
  const e = await deps.repos.keyEvaluations.get(evaluationId);
  if (!e || !canSee(actor, e)) throw new NotFoundError(`No evaluation ${evaluationId}`);
  return e;
}

export function evaluationView(e: StoredKeyEvaluation, actor: Principal) {
  const { rev: _rev, requestHash: _hash, experts, ...rest } = e;
  return { ...rest, ...(readsEverything(actor) ? { experts } : {}) };
}
