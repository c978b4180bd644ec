/**
 * Reviewing a submitted target: approve, return or reject (财预〔2015〕88号). One transaction
 * writes the target, the immutable review, the audit record and the department's notice line;
 * a review that cuts (SPEC §3.4) leaves `cut.state = pending` and the cut follows (cut.ts).
 */
import type { Principal } from '../../domain/access';
import { shanghaiDate } from '../../domain/dates';
import { targetReviewNotice, targetReviewRunTitle } from '../../domain/email';
import { ConflictError } from '../../domain/errors';
import { formatYuan } from '../../domain/money';
import type { Policy } from '../../domain/policy';
import { type Decision, needsExAnte, type ReviewBody, type ReviewRecord, reviewOutcome, type StoredTarget, type TargetRef } from '../../domain/targets';
import { yearPolicy } from '../policies';
import { auditSubject, concurrent, contextFor, requireTarget, subjectId, type TargetContext } from './context';
import { finishPendingCut, outboxGroup } from './cut';
import type { TargetDeps } from './deps';
import { targetView } from './views';

const PAST: Record<Decision, string> = { approve: 'approved', return: 'returned', reject: 'rejected' };

/** A new major project's target is approved only with an ex-ante assessment (SPEC §3.1). */
export async function assertExAnte(deps: TargetDeps, ctx: TargetContext, current: StoredTarget, policy: Policy): Promise<void> {
  if (!ctx.project) return;
  const assessment = await deps.exAnte.find(ctx.project.projectId);
  // A rejected project's target cannot be approved, whether or not it needed an assessment.
  if (assessment?.outcome === 'reject') {
    throw new ConflictError(
      'EX_ANTE_REJECTED',
      `The ex-ante assessment (version ${assessment.version}, ${assessment.weightedBp} bp) rejected this project: its target cannot be approved`,
      { assessmentId: assessment.assessmentId, weightedBp: assessment.weightedBp ?? 0 },
    );
  }
  if (!needsExAnte({ isNew: ctx.project.isNew, budgetFen: ctx.budgetFen }, policy)) return;
  if (!assessment) {
    throw new ConflictError(
      'EX_ANTE_REQUIRED',
      `A new project of ${formatYuan(ctx.budgetFen)} (at least ${formatYuan(policy.exAnte.minBudgetFen)}) needs an ex-ante assessment before its target can be approved`,
      { status: current.status, budgetFen: ctx.budgetFen, minBudgetFen: policy.exAnte.minBudgetFen },
    );
  }
}

function decide(deps: TargetDeps, actor: Principal, current: StoredTarget, body: ReviewBody, policy: Policy) {
  const outcome = reviewOutcome(current, body.decision);
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const reviewId = deps.ids.next();
  const review: ReviewRecord = {
    reviewId,
    version: current.version,
    decision: body.decision,
    grade: body.grade,
    comments: body.comments,
    failing: outcome.failing,
    returnCountBefore: current.returnCount,
    cuts: outcome.cuts,
    by: actor.sub,
    at: now,
  };
  const next: StoredTarget = {
    ...current,
    status: outcome.status,
    returnCount: outcome.returnCount,
    ...(body.decision === 'return' ? { returnedAtVersion: current.version } : {}),
    lastReview: review,
    ...(outcome.cuts ? { cut: { reviewId, state: 'pending', asOf: shanghaiDate(nowDate), cutBp: policy.targetReview.cutBp } } : {}),
    updatedAt: now,
    updatedBy: actor.sub,
  };
  return { review, next, asOf: shanghaiDate(nowDate), now };
}

export async function reviewTarget(deps: TargetDeps, actor: Principal, ref: TargetRef, body: ReviewBody) {
  const ctx = await contextFor(deps, actor, ref, 'review');
  const current = await finishPendingCut(deps, ctx, await requireTarget(deps, ctx));

  reviewOutcome(current, body.decision); // an illegal transition is refused before anything else
  const policy = await yearPolicy(deps.repos.policies, ctx.year);
  if (body.decision === 'approve') await assertExAnte(deps, ctx, current, policy);

  const { review, next: decided, asOf, now } = decide(deps, actor, current, body, policy);
  const next: StoredTarget = decided;
  const group = outboxGroup(review.reviewId);
  const written = await deps.repos.targets.review({
    next,
    current,
    review,
    audit: {
      auditId: deps.ids.next(),
      ...auditSubject(ctx),
      action: `target.${PAST[body.decision]}`,
      actor: actor.sub,
      at: now,
      before: { status: current.status, returnCount: current.returnCount },
      after: {
        status: next.status,
        returnCount: next.returnCount,
        reviewId: review.reviewId,
        decision: body.decision,
        grade: body.grade,
        comments: body.comments,
        cuts: review.cuts,
      },
    },
    ...(body.decision !== 'approve'
      ? {
          notice: {
            group,
            deptId: ctx.deptId,
            lineId: `notice~${review.reviewId}`,
            line: targetReviewNotice(review, { subject: ctx.subject, subjectId: subjectId(ctx) }, review.cuts),
          },
        }
      : {}),
  });
  if (!written) concurrent();

  const result = review.cuts ? await finishPendingCut(deps, ctx, next, { seal: false }) : next;
  if (body.decision !== 'approve') await deps.repos.targets.sealMail(group, targetReviewRunTitle(asOf), deps.clock.now(), deps.appUrl);
  return targetView(result);
}
