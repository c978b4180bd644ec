/** Reading targets: one, its history, and the review queue with its counts. */
import { type Principal, scopeDepartment } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { TargetKind, TargetRef, TargetStatus } from '../../domain/targets';
import { contextFor, requireTarget } from './context';
import type { TargetDeps } from './deps';
import { queueView, targetView } from './views';

export async function getTarget(deps: TargetDeps, actor: Principal, ref: TargetRef) {
  const ctx = await contextFor(deps, actor, ref, 'read');
  return targetView(await requireTarget(deps, ctx));
}

/** Every saved version and every review, oldest first. */
export async function targetHistory(deps: TargetDeps, actor: Principal, ref: TargetRef) {
  const ctx = await contextFor(deps, actor, ref, 'read');
  const history = await deps.repos.targets.history(ctx.ref);
  if (history.versions.length === 0) throw new NotFoundError('No target has been saved yet', 'TARGET_NOT_FOUND');
  return history;
}

/** The targets of a year, by status then department: the review queue and its counts. */
export async function listTargets(
  deps: TargetDeps,
  actor: Principal,
  q: { year: number; status?: TargetStatus; deptId?: string; kind?: TargetKind; limit: number; nextToken?: string },
) {
  const deptId = scopeDepartment(actor, q.deptId);
  const page = await deps.repos.targets.queue({ ...q, deptId });
  const counts = await deps.repos.targets.statusCounts(q.year, deptId);
  return { items: page.items.map(queueView), counts, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

/**
 * A page of the year's targets in one status, their states only (no content, no counts), by
 * key: what the inbox lists (a department's own, or every department's for the bureau).
 */
export async function targetStates(
  deps: TargetDeps,
  actor: Principal,
  q: { year: number; status: TargetStatus; deptId?: string; limit: number; nextToken?: string },
) {
  const deptId = scopeDepartment(actor, q.deptId);
  return deps.repos.targets.states({ ...q, ...(deptId ? { deptId } : {}) });
}
