/**
 * POST …/self-evaluation/submit and …/review (SPEC §3.9): the department submits; the
 * responsible division (finance) confirms, then the performance office; either returns it with
 * reasons (the department revises and resubmits). Every step is audited; a return is emailed.
 */
import { assertWriteDepartment, hasRole, type Principal } from '../../domain/access';
import { shanghaiDate } from '../../domain/dates';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { type SelfEvaluationReview, type SelfEvaluationReviewBody, selfEvaluationTransition, type StoredSelfEvaluation } from '../../domain/evaluations';
import type { AppDeps } from '../context';
import { audit, conflict, readableLeaf, selfEvaluationView } from './common';

async function current(deps: AppDeps, actor: Principal, projectId: string): Promise<StoredSelfEvaluation> {
  await readableLeaf(deps, actor, projectId);
  const e = await deps.repos.selfEvaluations.get(projectId);
  if (!e) throw new NotFoundError(`项目 ${projectId} 尚未填报自评 (no self-evaluation of ${projectId})`);
  return e;
}

export async function submitSelfEvaluation(deps: AppDeps, actor: Principal, projectId: string) {
  const e = await current(deps, actor, projectId);
  assertWriteDepartment(actor, e.deptId);
  const at = deps.clock.now().toISOString();
  const next: StoredSelfEvaluation = { ...e, status: selfEvaluationTransition(e.status, 'submit'), rev: e.rev + 1, updatedAt: at, updatedBy: actor.sub };
  const out = await deps.repos.selfEvaluations.write(next, e.rev, {
    saveVersion: false,
    audit: audit(deps, actor, next, 'self-evaluation.submitted', { status: e.status }, at),
  });
  if (out === 'conflict') conflict();
  return selfEvaluationView(next);
}

/** Which stage the evaluation waits for, and whether this caller may act on it. */
function stageFor(e: StoredSelfEvaluation, actor: Principal, decision: 'confirm' | 'return'): 'finance' | 'performance' {
  if (e.status === 'submitted') {
    if (hasRole(actor, 'finance') || (decision === 'return' && hasRole(actor, 'performance'))) return 'finance';
    throw new ConflictError('AWAITS_FINANCE', '自评待业务处（finance）先行确认 (the responsible division confirms first)');
  }
  if (e.status === 'finance-confirmed') {
    if (hasRole(actor, 'performance')) return 'performance';
    throw new ConflictError('AWAITS_PERFORMANCE', '自评待绩效管理处确认 (the performance office confirms next)');
  }
  throw new ConflictError('ILLEGAL_TRANSITION', `自评状态为 ${e.status}，不在审核中 (a ${e.status} self-evaluation is not under review)`, { status: e.status });
}

export async function reviewSelfEvaluation(deps: AppDeps, actor: Principal, projectId: string, body: SelfEvaluationReviewBody, appUrl?: string) {
  const e = await current(deps, actor, projectId);
  const stage = stageFor(e, actor, body.decision);
  const action = body.decision === 'return' ? 'return' : stage === 'finance' ? 'finance-confirm' : 'performance-confirm';
  const now = deps.clock.now();
  const at = now.toISOString();
  const review: SelfEvaluationReview = {
    reviewId: deps.ids.next(),
    stage,
    decision: body.decision,
    comments: body.comments,
    at,
    by: actor.sub,
    version: e.version,
  };
  const next: StoredSelfEvaluation = {
    ...e,
    status: selfEvaluationTransition(e.status, action),
    rev: e.rev + 1,
    lastReview: review,
    updatedAt: at,
    updatedBy: actor.sub,
  };
  const out = await deps.repos.selfEvaluations.write(next, e.rev, {
    saveVersion: false,
    review,
    audit: audit(deps, actor, next, `self-evaluation.${action}`, { status: e.status }, at),
  });
  if (out === 'conflict') conflict();
  if (body.decision === 'return') {
    const group = `self-evaluation-review~${review.reviewId}`;
    const sources = deps.repos.evaluationSources;
    await sources.notify(group, e.deptId, `SELFEVAL_RETURNED~${projectId}~${review.reviewId}`, {
      kind: 'notice',
      title: '绩效自评退回',
      subject: e.name,
      subjectId: projectId,
      details: [
        `${stage === 'finance' ? '业务处' : '绩效管理处'}退回了 ${e.year} 年度绩效自评（第 ${e.version} 版，得分 ${(e.scoreCp / 100).toFixed(2)}，${e.grade}）。`,
        `退回理由：${body.comments}`,
        '请修改后重新提交。',
      ],
    });
    await sources.seal(group, `${shanghaiDate(now)} 绩效自评审核`, now, appUrl);
  }
  return selfEvaluationView(next);
}
