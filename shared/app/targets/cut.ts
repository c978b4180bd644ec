/**
 * The TARGET_REVIEW_CUT a review decided (SPEC §3.4; the figures are rules/target-review.ts):
 * leaf by leaf through the shared compute → apply → retry path (ledger/cut-project.ts), one
 * ledger transaction each with an id deterministic in (leaf, as-of, review). The review leaves
 * `cut.state = pending` on the target; the next action on it (or the same review retried)
 * finishes what a crash left, and a rerun meets its own entries and changes nothing.
 */
import type { Principal } from '../../domain/access';
import { targetCutNotes, targetReviewRunTitle } from '../../domain/email';
import { ConflictError } from '../../domain/errors';
import { deductionId } from '../../domain/ledger';
import type { Policy } from '../../domain/policy';
import type { Project } from '../../domain/project';
import { targetReviewCut } from '../../domain/rules/target-review';
import type { CutLeaf, CutRecord, ReviewRecord, StoredTarget } from '../../domain/targets';
import type { AppDeps } from '../context';
import { type ComputedCut, type CutRun, cutProject, type StoredProject } from '../ledger/cut-project';
import { yearPolicy } from '../policies';
import { auditSubject, type TargetContext } from './context';
import type { TargetDeps } from './deps';
import type { TargetsRepo } from './ports';

export const outboxGroup = (reviewId: string) => `target-review~${reviewId}`;

/** What one leaf's cut is decided on: the pending cut, its review, and the level-1 it belongs to. */
export interface LeafCutOrder {
  cut: Pick<CutRecord, 'reviewId' | 'asOf' | 'cutBp'>;
  review: Pick<ReviewRecord, 'decision' | 'grade' | 'returnCountBefore' | 'version'> | undefined;
  targetVersion: number;
  level1ProjectId?: string;
}

function compute(order: LeafCutOrder) {
  return (p: StoredProject): ComputedCut | { none: string } => {
    const { outcome, amountFen, budgetAfterFen } = targetReviewCut(p, { cutBp: order.cut.cutBp });
    if (outcome !== 'cut') return { none: outcome };
    const { review, cut } = order;
    return {
      amountFen,
      budgetAfterFen,
      figures: {
        budgetFen: p.budgetFen,
        spentFen: p.spentFen,
        cutBp: cut.cutBp,
        reviewId: cut.reviewId,
        decision: review?.decision ?? '',
        grade: review?.grade ?? '',
        returnsBefore: review?.returnCountBefore ?? 0,
        targetVersion: review?.version ?? order.targetVersion,
        ...(order.level1ProjectId && order.level1ProjectId !== p.projectId ? { level1ProjectId: order.level1ProjectId } : {}),
      },
      line: { spentFen: p.spentFen, notes: targetCutNotes(cut.cutBp, review?.grade ?? '') },
    };
  };
}

/**
 * Cuts one leaf (or finds the cut already made): the leaf's line of the cut record and the
 * ledger entry's id when there is one. Used by the review and by the demo seed alike.
 */
export async function cutLeaf(
  run: CutRun,
  repos: { targets: Pick<TargetsRepo, 'deduction'>; projects: { get(id: string): Promise<Project | undefined> } },
  projectId: string,
  order: LeafCutOrder,
): Promise<{ leaf: CutLeaf; deductionId?: string }> {
  const id = deductionId('TARGET_REVIEW_CUT', { kind: 'project', projectId }, order.cut.asOf, order.cut.reviewId);
  const fromEntry = async () => {
    const d = await repos.targets.deduction(id);
    return d
      ? { leaf: { projectId, amountFen: d.amountFen, budgetBeforeFen: d.budgetBeforeFen, budgetAfterFen: d.budgetAfterFen }, deductionId: id }
      : undefined;
  };
  const found = await fromEntry();
  if (found) return found;
  let seen = (await repos.projects.get(projectId)) as StoredProject;
  const decide = compute(order);
  const outcome = await cutProject(run, 'TARGET_REVIEW_CUT', seen, (p) => decide((seen = p)), { discriminator: order.cut.reviewId });
  if (outcome.outcome === 'applied' || outcome.outcome === 'exists') {
    const made = await fromEntry();
    if (made) return made;
  }
  if (outcome.outcome === 'none') return { leaf: { projectId, amountFen: 0, budgetBeforeFen: seen.budgetFen, budgetAfterFen: seen.budgetFen } };
  throw new ConflictError('CONCURRENT_UPDATE', `Project ${projectId} is changing too fast to be cut; retry the review`);
}

export function cutRun(
  deps: AppDeps,
  t: Pick<StoredTarget, 'year'>,
  cut: Pick<CutRecord, 'asOf' | 'reviewId'>,
  policy: Policy,
  by: string | undefined,
): CutRun {
  const actor: Principal = { sub: by ?? 'system', roles: [] };
  return { deps, asOf: cut.asOf, year: t.year, policy, actor, outboxGroup: outboxGroup(cut.reviewId) };
}

/**
 * Applies (or finishes) the cut a review decided: for each leaf, cutBp of its budget, never
 * below what it has spent; then marks the cut done with its audit record and seals the email.
 */
export async function finishPendingCut(deps: TargetDeps, ctx: TargetContext, t: StoredTarget, opts: { seal?: boolean } = {}): Promise<StoredTarget> {
  const cut = t.cut;
  if (cut?.state !== 'pending') return t;
  const review = t.lastReview?.reviewId === cut.reviewId ? t.lastReview : await deps.repos.targets.getReview(ctx.ref, cut.reviewId);
  const run = cutRun(deps, t, cut, await yearPolicy(deps.repos.policies, ctx.year), review?.by);
  const order: LeafCutOrder = { cut, review, targetVersion: t.version, ...(ctx.ref.kind === 'project' ? { level1ProjectId: ctx.ref.projectId } : {}) };
  const leaves: CutLeaf[] = [];
  const deductionIds: string[] = [];
  for (const start of ctx.leaves) {
    const made = await cutLeaf(run, deps.repos, start.projectId, order);
    leaves.push(made.leaf);
    if (made.deductionId) deductionIds.push(made.deductionId);
  }
  const amountFen = leaves.reduce((s, l) => s + l.amountFen, 0);
  const done: CutRecord = { ...cut, state: 'done', deductionIds, amountFen, leaves };
  // (A concurrent finisher may have marked it done first: same entries, same figures.)
  await deps.repos.targets.finishCut({
    target: t,
    done,
    audit: {
      auditId: deps.ids.next(),
      ...auditSubject(ctx),
      action: 'target.cut',
      actor: review?.by ?? 'system',
      at: deps.clock.now().toISOString(),
      before: { cut: 'pending' },
      after: { reviewId: cut.reviewId, amountFen, deductionIds },
    },
  });
  if (opts.seal !== false) await deps.repos.targets.sealMail(run.outboxGroup, targetReviewRunTitle(cut.asOf), deps.clock.now(), deps.appUrl);
  return { ...t, cut: done };
}
