/** What the API shows of a target: whole, as a line of the review queue, and to the public. */
import { allowedActions, publicIndicator, type StoredTarget } from '../../domain/targets';

const lintErrors = (t: StoredTarget) => t.lint.filter((l) => l.severity === 'error').length;

export function targetView(t: StoredTarget) {
  const errors = lintErrors(t);
  const actions = allowedActions(t.status);
  const view: Record<string, unknown> = {
    kind: t.kind,
    year: t.year,
    deptId: t.deptId,
    ...(t.projectId ? { projectId: t.projectId, level: t.level } : {}),
    status: t.status,
    version: t.version,
    goal: t.goal,
    indicators: t.indicators,
    lint: t.lint,
    lintErrors: errors,
    lintWarnings: t.lint.length - errors,
    allowedActions: actions,
    canSubmit: actions.includes('submit') && errors === 0,
    taxonomy: t.taxonomy,
    budgetFen: t.budgetFen,
    returnCount: t.returnCount,
    createdAt: t.createdAt,
    createdBy: t.createdBy,
    updatedAt: t.updatedAt,
    updatedBy: t.updatedBy,
  };
  if (t.submittedAt) {
    view.submittedAt = t.submittedAt;
    view.submittedBy = t.submittedBy;
  }
  if (t.lastReview) view.lastReview = t.lastReview;
  if (t.cut) view.cut = t.cut;
  return view;
}

export function queueView(t: StoredTarget) {
  return {
    kind: t.kind,
    year: t.year,
    deptId: t.deptId,
    ...(t.projectId ? { projectId: t.projectId, level: t.level } : {}),
    status: t.status,
    version: t.version,
    lintErrors: lintErrors(t),
    returnCount: t.returnCount,
    ...(t.lastReview ? { lastReview: { decision: t.lastReview.decision, grade: t.lastReview.grade, at: t.lastReview.at } } : {}),
    ...(t.cut ? { cutFen: t.cut.amountFen ?? null } : {}),
    updatedAt: t.updatedAt,
  };
}

export function publicView(t: StoredTarget) {
  return {
    kind: t.kind,
    deptId: t.deptId,
    ...(t.kind === 'project' ? { projectId: t.projectId } : {}),
    goal: t.goal,
    indicators: t.indicators.map(publicIndicator),
  };
}
