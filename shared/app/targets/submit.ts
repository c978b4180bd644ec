/** Submitting a target for review: linted again, and only without lint errors. */
import type { Principal } from '../../domain/access';
import { checkSubmit, type StoredTarget, type TargetRef } from '../../domain/targets';
import { yearPolicy } from '../policies';
import { auditSubject, concurrent, contextFor, lintFor, requireTarget } from './context';
import { finishPendingCut } from './cut';
import type { TargetDeps } from './deps';
import { targetView } from './views';

export async function submitTarget(deps: TargetDeps, actor: Principal, ref: TargetRef) {
  const ctx = await contextFor(deps, actor, ref, 'write');
  const current = await finishPendingCut(deps, ctx, await requireTarget(deps, ctx));

  // Linted again: the budget or the year's policy may have moved since the save.
  const policy = await yearPolicy(deps.repos.policies, ctx.year);
  const lint = lintFor(ctx, current.goal, current.indicators, policy);
  checkSubmit({ ...current, lint });

  const now = deps.clock.now().toISOString();
  const next: StoredTarget = {
    ...current,
    lint,
    budgetFen: ctx.budgetFen,
    status: 'submitted',
    submittedAt: now,
    submittedBy: actor.sub,
    updatedAt: now,
    updatedBy: actor.sub,
  };
  const written = await deps.repos.targets.update({
    next,
    current,
    audit: {
      auditId: deps.ids.next(),
      ...auditSubject(ctx),
      action: 'target.submitted',
      actor: actor.sub,
      at: now,
      before: { status: current.status },
      after: { status: 'submitted', version: current.version },
    },
  });
  if (!written) concurrent();
  return targetView(next);
}
