/**
 * Performance targets (绩效目标) of projects and of departments as a whole: save (linted),
 * submit, review, the TARGET_REVIEW_CUT, history and publication (SPEC §3.4).
 *
 * Items (keys.ts): the target's current state beside its project (`PROJ#id / TARGET`) or
 * department (`DEPT#id / TARGET#year`); every saved version (`…#V#000001`) and every review
 * (`…#R#ulid`) as immutable items in the same partition; an audit record for each change.
 * Each change is one transaction guarded by the status and version it was decided on.
 *
 * A cut is applied after the review's transaction, leaf by leaf, through the ledger (one
 * TransactWriteItems per leaf: entry + budget + pool + audit + outbox line), with ids
 * deterministic in (leaf, review): the review leaves `cut.state = pending` on the target and
 * the next action on the target (or the same review retried) finishes what a crash left.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../aws/audit';
import { type Db, getItem, type Item, queryAll, queryPage, transact, type TransactItem } from '../aws/db';
import { departmentsRepo } from '../aws/departments-repo';
import { indicatorsRepo } from '../aws/indicators-repo';
import { keys } from '../aws/keys';
import { applyDeduction, projectBudgetChange } from '../aws/ledger';
import { type OutboxLine, outboxLinePut, sealGroup } from '../aws/outbox';
import { projectsRepo, stripKeys } from '../aws/projects-repo';
import { assertReadDepartment, assertWriteDepartment, type Principal, scopeDepartment } from '../domain/access';
import { shanghaiDate } from '../domain/dates';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { taxonomyOf } from '../domain/indicators';
import { appealDeadline, type Deduction, deductionId } from '../domain/ledger';
import { formatYuan } from '../domain/money';
import type { Policy } from '../domain/policy';
import { isLeaf, type Project } from '../domain/project';
import {
  allowedActions,
  checkSubmit,
  type Decision,
  type Grade,
  leafCut,
  type LintProblem,
  lintTarget,
  needsExAnte,
  publicIndicator,
  type ReviewBody,
  reviewOutcome,
  resolveIndicators,
  type TargetBody,
  type TargetIndicator,
  type TargetKind,
  type TargetStatus,
  transition,
} from '../domain/targets';
import type { AppDeps } from './context';
import { effectivePolicy } from './policies';
import { requestHash } from './ports';
import { readableProject } from './projects';

// ------------------------------------------------------------------ ports

/** The ex-ante assessment a new major project needs before its target is approved (SPEC §3.1). */
export interface ExAnteAssessment {
  assessmentId: string;
  projectId: string;
  /** Written by shared/app/ex-ante (SPEC §3.1); `reject` blocks approval. */
  outcome?: 'support' | 'adjust' | 'reject';
  weightedBp?: number;
  version?: number;
  comments?: string;
}

/**
 * The seam to the ex-ante issue: approval asks `find`; nothing here writes assessments. The
 * table-backed implementation reads `keys.exAnteAssessment(projectId)`, which that issue writes.
 */
export interface ExAnteAssessments {
  find(projectId: string): Promise<ExAnteAssessment | undefined>;
}

export function tableExAnteAssessments(db: Db): ExAnteAssessments {
  return {
    async find(projectId) {
      const item = await getItem<Record<string, unknown>>(db, keys.exAnteAssessment(projectId));
      if (!item) return undefined;
      return { ...stripKeys<ExAnteAssessment>(item), projectId };
    },
  };
}

export interface TargetDeps extends AppDeps {
  exAnte: ExAnteAssessments;
  /** Where the links in emails point. */
  appUrl: string;
}

// ------------------------------------------------------------------ stored shape

export interface ReviewRecord {
  reviewId: string;
  version: number;
  decision: Decision;
  grade: Grade;
  comments: string;
  failing: boolean;
  /** Returns before this review. */
  returnCountBefore: number;
  cuts: boolean;
  by: string;
  at: string;
}

export interface CutRecord {
  reviewId: string;
  state: 'pending' | 'done';
  asOf: string;
  cutBp: number;
  deductionIds?: string[];
  amountFen?: number;
  leaves?: { projectId: string; amountFen: number; budgetBeforeFen: number; budgetAfterFen: number }[];
}

export interface StoredTarget {
  kind: TargetKind;
  year: number;
  deptId: string;
  projectId?: string;
  level?: 1 | 2;
  goal: string;
  indicators: TargetIndicator[];
  lint: LintProblem[];
  taxonomy: '2021' | 'pre-2021';
  /** The budget the last lint compared with. */
  budgetFen: number;
  status: TargetStatus;
  /** Saved versions: 1, 2, … (status changes keep the version). */
  version: number;
  returnCount: number;
  returnedAtVersion?: number;
  lastReview?: ReviewRecord;
  cut?: CutRecord;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  submittedAt?: string;
  submittedBy?: string;
  /** The last submit/review's Idempotency-Key and body hash, for replays. */
  lastAction?: { key: string; action: string; hash: string };
}

export type TargetRef = { kind: 'project'; projectId: string } | { kind: 'department'; deptId: string; year: number };

/** What a target hangs on: the project (or department-year) and its budget now. */
interface TargetContext {
  ref: TargetRef;
  key: { PK: string; SK: string };
  year: number;
  deptId: string;
  project?: Project;
  /** Leaves that carry the project's money: itself, or a level-1's children. */
  leaves: Project[];
  budgetFen: number;
  category?: string;
  subject: string;
}

// ------------------------------------------------------------------ context

async function projectContext(deps: AppDeps, actor: Principal, projectId: string): Promise<TargetContext> {
  const project = await readableProject(deps, actor, projectId);
  const leaves = isLeaf(project) ? [project] : await projectsRepo(deps.db).children(project);
  return {
    ref: { kind: 'project', projectId },
    key: keys.projectTarget(projectId),
    year: project.year,
    deptId: project.deptId,
    project,
    leaves,
    budgetFen: leaves.reduce((s, p) => s + p.budgetFen, 0),
    category: project.category,
    subject: project.name,
  };
}

async function departmentContext(deps: AppDeps, deptId: string, year: number): Promise<TargetContext> {
  const dept = await departmentsRepo(deps.db).get(deptId);
  if (!dept) throw new NotFoundError(`No department ${deptId}`);
  // The department's budget for the cost match: the sum of its leaf projects of the year.
  const items = await queryAll(deps.db, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.projectsPartition(year), ':prefix': keys.projectsOfDeptPrefix(deptId) },
  });
  const leaves = items.map((i) => stripKeys<Project>(i)).filter(isLeaf);
  return {
    ref: { kind: 'department', deptId, year },
    key: keys.departmentTarget(deptId, year),
    year,
    deptId,
    leaves,
    budgetFen: leaves.reduce((s, p) => s + p.budgetFen, 0),
    subject: `${dept.name} ${year} 年度部门整体绩效目标`,
  };
}

type Access = 'read' | 'write' | 'review';

/**
 * Another department's project does not exist for a department officer (404, as everywhere);
 * another department's overall target is refused (403): the department's existence is public.
 */
async function contextFor(deps: AppDeps, actor: Principal, ref: TargetRef, access: Access): Promise<TargetContext> {
  if (ref.kind === 'project') {
    const ctx = await projectContext(deps, actor, ref.projectId);
    if (access === 'write') assertWriteDepartment(actor, ctx.deptId);
    return ctx;
  }
  if (access === 'write') assertWriteDepartment(actor, ref.deptId);
  else assertReadDepartment(actor, ref.deptId);
  return departmentContext(deps, ref.deptId, ref.year);
}

async function readTarget(deps: AppDeps, ctx: TargetContext): Promise<StoredTarget | undefined> {
  const item = await getItem(deps.db, ctx.key);
  return item ? stripKeys<StoredTarget>(item) : undefined;
}

async function requireTarget(deps: AppDeps, ctx: TargetContext): Promise<StoredTarget> {
  const t = await readTarget(deps, ctx);
  if (!t) throw new NotFoundError('No target has been saved yet', 'TARGET_NOT_FOUND');
  return t;
}

function lintFor(ctx: TargetContext, goal: string, indicators: TargetIndicator[], policy: Policy): LintProblem[] {
  return lintTarget(
    { kind: ctx.ref.kind, ...(ctx.category ? { category: ctx.category } : {}), goal, indicators, budgetFen: ctx.budgetFen },
    policy.targetReview,
  );
}

// ------------------------------------------------------------------ views

export function targetView(t: StoredTarget) {
  const errors = t.lint.filter((l) => l.severity === 'error').length;
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

/** The key of a stored target (from the target itself). */
export function targetKey(t: Pick<StoredTarget, 'kind' | 'projectId' | 'deptId' | 'year'>): { PK: string; SK: string } {
  return t.kind === 'project' ? keys.projectTarget(t.projectId as string) : keys.departmentTarget(t.deptId, t.year);
}

/**
 * The item of a target's current state: the review-queue index by status, and the publication
 * index only while it is approved and department-overall or level-1.
 */
export function targetItem(t: StoredTarget): Item {
  const published = t.status === 'approved' && (t.kind === 'department' || t.level === 1);
  return {
    ...targetKey(t),
    ...keys.targetStatusIndex(t.year, t.status, t.deptId, t.kind === 'project' ? `P#${t.projectId}` : 'D'),
    ...(published ? keys.publishedTargetIndex(t.year, t.deptId, t.projectId) : {}),
    entity: 'Target',
    v: 1,
    ...t,
  };
}

/** An immutable saved version. */
export function targetVersionItem(t: StoredTarget, statusAtSave: TargetStatus, savedBy: string, savedAt: string): Item {
  return {
    ...keys.targetVersion(targetKey(t), t.version),
    entity: 'TargetVersion',
    v: 1,
    version: t.version,
    goal: t.goal,
    indicators: t.indicators,
    lint: t.lint,
    budgetFen: t.budgetFen,
    statusAtSave,
    savedBy,
    savedAt,
  };
}

/** An immutable review. */
export function targetReviewItem(t: Pick<StoredTarget, 'kind' | 'projectId' | 'deptId' | 'year'>, review: ReviewRecord): Item {
  return { ...keys.targetReview(targetKey(t), review.reviewId), entity: 'TargetReview', v: 1, ...review };
}


function guard(current: StoredTarget | undefined) {
  return current
    ? {
        ConditionExpression: '#status = :status AND version = :version',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': current.status, ':version': current.version },
      }
    : { ConditionExpression: 'attribute_not_exists(PK)' };
}

const entityId = (ctx: TargetContext) => (ctx.ref.kind === 'project' ? ctx.ref.projectId : `${ctx.deptId}/${ctx.year}`);
const entityType = (ctx: TargetContext) => (ctx.ref.kind === 'project' ? 'ProjectTarget' : 'DepartmentTarget');

function concurrent(): never {
  throw new ConflictError('CONCURRENT_UPDATE', 'The target changed while this request ran; read it again and retry');
}

// ------------------------------------------------------------------ save

export async function saveTarget(deps: TargetDeps, actor: Principal, ref: TargetRef, body: TargetBody) {
  const ctx = await contextFor(deps, actor, ref, 'write');
  const current = await readTarget(deps, ctx);
  if (body.version !== undefined && body.version !== (current?.version ?? 0)) {
    throw new ConflictError('STALE_VERSION', `The target is at version ${current?.version ?? 0}, not ${body.version}; read it again`, {
      version: current?.version ?? 0,
      status: current?.status ?? null,
    });
  }
  const status = transition(current?.status, 'save');

  const codes = body.indicators.flatMap((i) => (i.code ? [i.code] : []));
  const library = codes.length > 0 ? await indicatorsRepo(deps.db).getMany(codes) : new Map();
  const { indicators, problems } = resolveIndicators(ctx.year, body.indicators, library);
  if (problems.length > 0) throw new ValidationError(problems);

  const policy = await effectivePolicy(deps.db, ctx.year);
  const lint = lintFor(ctx, body.goal, indicators, policy);
  if (current && current.goal === body.goal && requestHash(current.indicators) === requestHash(indicators)) {
    // Nothing new to keep: answer with the current version, linted against today's budget.
    return { status: 200, target: targetView({ ...current, lint, budgetFen: ctx.budgetFen }) };
  }

  const now = deps.clock.now().toISOString();
  const next: StoredTarget = {
    ...(current ?? {
      kind: ctx.ref.kind,
      year: ctx.year,
      deptId: ctx.deptId,
      ...(ctx.project ? { projectId: ctx.project.projectId, level: ctx.project.level } : {}),
      returnCount: 0,
      createdAt: now,
      createdBy: actor.sub,
    }),
    goal: body.goal,
    indicators,
    lint,
    taxonomy: taxonomyOf(ctx.year),
    budgetFen: ctx.budgetFen,
    status,
    version: (current?.version ?? 0) + 1,
    updatedAt: now,
    updatedBy: actor.sub,
  } as StoredTarget;

  const outcome = await transact(deps.db, [
    { Put: { TableName: deps.db.table, Item: targetItem(next), ...guard(current) } },
    { Put: { TableName: deps.db.table, Item: targetVersionItem(next, status, actor.sub, now), ConditionExpression: 'attribute_not_exists(PK)' } },
    auditPut(deps.db, ctx.key.PK, {
      auditId: deps.ids.next(),
      entityType: entityType(ctx),
      entityId: entityId(ctx),
      action: current ? 'target.revised' : 'target.created',
      actor: actor.sub,
      at: now,
      before: current ? { version: current.version, goal: current.goal, indicators: current.indicators } : null,
      after: { version: next.version, status, goal: next.goal, indicators: next.indicators, lintErrors: lint.filter((l) => l.severity === 'error').length },
    }),
  ]);
  if (!outcome.ok) concurrent();
  return { status: current ? 200 : 201, target: targetView(next) };
}

// ------------------------------------------------------------------ submit

function replayOf(t: StoredTarget, key: string | undefined, action: string, hash: string): boolean {
  if (!key || t.lastAction?.key !== key) return false;
  if (t.lastAction.action !== action || t.lastAction.hash !== hash) {
    throw new ConflictError('ID_CONFLICT', `Idempotency-Key ${key} was used for a different request`);
  }
  return true;
}

export async function submitTarget(deps: TargetDeps, actor: Principal, ref: TargetRef, idempotencyKey?: string) {
  const ctx = await contextFor(deps, actor, ref, 'write');
  let current = await requireTarget(deps, ctx);
  current = await finishPendingCut(deps, ctx, current);
  const hash = requestHash({ action: 'submit' });
  if (replayOf(current, idempotencyKey, 'submit', hash)) return targetView(current);

  // Linted again: the budget or the year's policy may have moved since the save.
  const policy = await effectivePolicy(deps.db, ctx.year);
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
    ...(idempotencyKey ? { lastAction: { key: idempotencyKey, action: 'submit', hash } } : {}),
  };
  const outcome = await transact(deps.db, [
    { Put: { TableName: deps.db.table, Item: targetItem(next), ...guard(current) } },
    auditPut(deps.db, ctx.key.PK, {
      auditId: deps.ids.next(),
      entityType: entityType(ctx),
      entityId: entityId(ctx),
      action: 'target.submitted',
      actor: actor.sub,
      at: now,
      before: { status: current.status },
      after: { status: 'submitted', version: current.version },
    }),
  ]);
  if (!outcome.ok) concurrent();
  return targetView(next);
}

// ------------------------------------------------------------------ review

export async function reviewTarget(deps: TargetDeps, actor: Principal, ref: TargetRef, body: ReviewBody, idempotencyKey?: string) {
  const ctx = await contextFor(deps, actor, ref, 'review');
  let current = await requireTarget(deps, ctx);
  current = await finishPendingCut(deps, ctx, current);
  const hash = requestHash({ action: 'review', ...body });
  if (replayOf(current, idempotencyKey, 'review', hash)) return targetView(current);

  const outcome = reviewOutcome(current, body.decision);
  const policy = await effectivePolicy(deps.db, ctx.year);
  if (body.decision === 'approve' && ctx.project && needsExAnte({ isNew: ctx.project.isNew, budgetFen: ctx.budgetFen }, policy)) {
    const assessment = await deps.exAnte.find(ctx.project.projectId);
    if (!assessment) {
      throw new ConflictError(
        'EX_ANTE_REQUIRED',
        `A new project of ${formatYuan(ctx.budgetFen)} (at least ${formatYuan(policy.exAnte.minBudgetFen)}) needs an ex-ante assessment before its target can be approved`,
        { status: current.status, budgetFen: ctx.budgetFen, minBudgetFen: policy.exAnte.minBudgetFen },
      );
    }
  }
  if (body.decision === 'approve' && ctx.project) {
    // SPEC §3.1: a rejected project's target cannot be approved, whether or not it needed one.
    const assessment = await deps.exAnte.find(ctx.project.projectId);
    if (assessment?.outcome === 'reject') {
      throw new ConflictError('EX_ANTE_REJECTED', `The ex-ante assessment (version ${assessment.version}, ${assessment.weightedBp} bp) rejected this project: its target cannot be approved`, {
        assessmentId: assessment.assessmentId,
        weightedBp: assessment.weightedBp ?? 0,
      });
    }
  }

  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const asOf = shanghaiDate(nowDate);
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
    ...(outcome.cuts ? { cut: { reviewId, state: 'pending', asOf, cutBp: policy.targetReview.cutBp } } : {}),
    updatedAt: now,
    updatedBy: actor.sub,
    ...(idempotencyKey ? { lastAction: { key: idempotencyKey, action: 'review', hash } } : {}),
  };
  const group = outboxGroup(reviewId);
  const items: TransactItem[] = [
    { Put: { TableName: deps.db.table, Item: targetItem(next), ...guard(current) } },
    {
      Put: {
        TableName: deps.db.table,
        Item: targetReviewItem(next, review),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    auditPut(deps.db, ctx.key.PK, {
      auditId: deps.ids.next(),
      entityType: entityType(ctx),
      entityId: entityId(ctx),
      action: `target.${PAST[body.decision]}`,
      actor: actor.sub,
      at: now,
      before: { status: current.status, returnCount: current.returnCount },
      after: { status: next.status, returnCount: next.returnCount, reviewId, decision: body.decision, grade: body.grade, comments: body.comments, cuts: outcome.cuts },
    }),
  ];
  if (body.decision !== 'approve') {
    items.push(outboxLinePut(deps.db, group, ctx.deptId, `notice~${reviewId}`, noticeLine(ctx, review, outcome.cuts)));
  }
  const written = await transact(deps.db, items);
  if (!written.ok) concurrent();

  let result = next;
  if (outcome.cuts) result = await finishPendingCut(deps, ctx, next, { seal: false });
  if (body.decision !== 'approve') await sealGroup(deps.db, group, `${asOf} 绩效目标审核`, deps.clock.now(), deps.appUrl);
  return targetView(result);
}

const PAST: Record<Decision, string> = { approve: 'approved', return: 'returned', reject: 'rejected' };
const outboxGroup = (reviewId: string) => `target-review~${reviewId}`;

function noticeLine(ctx: TargetContext, review: ReviewRecord, cuts: boolean): OutboxLine {
  const title = review.decision === 'return' ? '绩效目标退回' : '绩效目标审核不予通过';
  const details = [`审核等级：${review.grade}`, `审核意见：${review.comments}`];
  if (review.decision === 'return') details.push('请按审核意见修改后重新报送。');
  if (cuts) details.push('绩效目标修改后仍不合格（或不予通过），按规定压减预算安排，扣减明细见下。');
  return { kind: 'notice', title, subject: ctx.subject, ...(ctx.ref.kind === 'project' ? { subjectId: ctx.ref.projectId } : { subjectId: `${ctx.deptId}/${ctx.year}` }), details };
}

/**
 * Applies (or finishes) the TARGET_REVIEW_CUT a review decided: for each leaf, cutBp of its
 * budget, never below what it has spent, one ledger transaction each with a deterministic id.
 * A leaf whose budget moved under us is read again and recomputed.
 */
export async function finishPendingCut(
  deps: TargetDeps,
  ctx: TargetContext,
  t: StoredTarget,
  opts: { seal?: boolean } = {},
): Promise<StoredTarget> {
  const cut = t.cut;
  if (!cut || cut.state !== 'pending') return t;
  const review = t.lastReview?.reviewId === cut.reviewId ? t.lastReview : await readReview(deps, ctx, cut.reviewId);
  const policy = await effectivePolicy(deps.db, ctx.year);
  const repo = projectsRepo(deps.db);
  const group = outboxGroup(cut.reviewId);
  const leaves: NonNullable<CutRecord['leaves']> = [];
  const deductionIds: string[] = [];
  for (const start of ctx.leaves) {
    const target = { kind: 'project' as const, projectId: start.projectId };
    const id = deductionId('TARGET_REVIEW_CUT', target, cut.asOf, cut.reviewId);
    for (let attempt = 1; ; attempt++) {
      const existing = await getItem<Deduction>(deps.db, keys.deduction(id));
      if (existing) {
        deductionIds.push(id);
        leaves.push({ projectId: start.projectId, amountFen: existing.amountFen, budgetBeforeFen: existing.budgetBeforeFen, budgetAfterFen: existing.budgetAfterFen });
        break;
      }
      const leaf = (await repo.get(start.projectId)) as Project;
      const { amountFen, budgetAfterFen } = leafCut(leaf, cut.cutBp);
      if (amountFen === 0) {
        leaves.push({ projectId: leaf.projectId, amountFen: 0, budgetBeforeFen: leaf.budgetFen, budgetAfterFen: leaf.budgetFen });
        break;
      }
      const now = deps.clock.now().toISOString();
      const deadline = appealDeadline(cut.asOf, policy.notifications.appealDays);
      const deduction: Deduction = {
        deductionId: id,
        rule: 'TARGET_REVIEW_CUT',
        // The budget that is cut is the project's year's: its pool gets the money.
        year: leaf.year,
        deptId: leaf.deptId,
        target,
        projectId: leaf.projectId,
        asOf: cut.asOf,
        amountFen,
        budgetBeforeFen: leaf.budgetFen,
        budgetAfterFen,
        figures: {
          budgetFen: leaf.budgetFen,
          spentFen: leaf.spentFen,
          cutBp: cut.cutBp,
          reviewId: cut.reviewId,
          decision: review?.decision ?? '',
          grade: review?.grade ?? '',
          returnsBefore: review?.returnCountBefore ?? 0,
          targetVersion: review?.version ?? t.version,
          ...(ctx.ref.kind === 'project' && ctx.ref.projectId !== leaf.projectId ? { level1ProjectId: ctx.ref.projectId } : {}),
        },
        status: 'applied',
        createdAt: now,
        createdBy: review?.by ?? 'system',
      };
      const applied = await applyDeduction(deps.db, {
        deduction,
        targetChange: projectBudgetChange(deps.db, { projectId: leaf.projectId, beforeFen: leaf.budgetFen, afterFen: budgetAfterFen, now }),
        audit: { auditId: `${id}~audit`, actor: review?.by ?? 'system', at: now },
        outbox: {
          group,
          line: {
            kind: 'deduction',
            deductionId: id,
            rule: 'TARGET_REVIEW_CUT',
            subject: leaf.name,
            subjectId: leaf.projectId,
            amountFen,
            budgetBeforeFen: leaf.budgetFen,
            budgetAfterFen,
            spentFen: leaf.spentFen,
            asOf: cut.asOf,
            appealDeadline: deadline,
            notes: [`压减比例：${(cut.cutBp / 100).toFixed(2)}%（不低于已支出数）`, `审核等级：${review?.grade ?? ''}`],
          },
        },
      });
      if (applied === 'applied' || applied === 'exists') continue; // read the entry back above
      if (attempt >= 5) throw new ConflictError('CONCURRENT_UPDATE', `Project ${leaf.projectId} is changing too fast to be cut; retry the review`);
    }
  }
  const amountFen = leaves.reduce((s, l) => s + l.amountFen, 0);
  const done: CutRecord = { ...cut, state: 'done', deductionIds, amountFen, leaves };
  const now = deps.clock.now().toISOString();
  await transact(deps.db, [
    {
      Update: {
        TableName: deps.db.table,
        Key: ctx.key,
        UpdateExpression: 'SET cut = :cut',
        ConditionExpression: 'cut.reviewId = :rid AND cut.#state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':cut': done, ':rid': cut.reviewId, ':pending': 'pending' },
      },
    },
    auditPut(deps.db, ctx.key.PK, {
      auditId: deps.ids.next(),
      entityType: entityType(ctx),
      entityId: entityId(ctx),
      action: 'target.cut',
      actor: review?.by ?? 'system',
      at: now,
      before: { cut: 'pending' },
      after: { reviewId: cut.reviewId, amountFen, deductionIds },
    }),
  ]);
  // (A concurrent finisher may have marked it done first: same entries, same figures.)
  if (opts.seal !== false) await sealGroup(deps.db, group, `${cut.asOf} 绩效目标审核`, deps.clock.now(), deps.appUrl);
  return { ...t, cut: done };
}

async function readReview(deps: AppDeps, ctx: TargetContext, reviewId: string): Promise<ReviewRecord | undefined> {
  const item = await getItem(deps.db, keys.targetReview(ctx.key, reviewId));
  return item ? stripKeys<ReviewRecord>(item) : undefined;
}

// ------------------------------------------------------------------ reads

export async function getTarget(deps: TargetDeps, actor: Principal, ref: TargetRef) {
  const ctx = await contextFor(deps, actor, ref, 'read');
  return targetView(await requireTarget(deps, ctx));
}

/** Every saved version and every review, oldest first. */
export async function targetHistory(deps: TargetDeps, actor: Principal, ref: TargetRef) {
  const ctx = await contextFor(deps, actor, ref, 'read');
  const items = await queryAll(deps.db, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': ctx.key.PK, ':prefix': keys.targetHistoryPrefix(ctx.key) },
  });
  const versions: Record<string, unknown>[] = [];
  const reviews: Record<string, unknown>[] = [];
  for (const item of items) {
    if (item.entity === 'TargetVersion') versions.push(stripKeys(item));
    else if (item.entity === 'TargetReview') reviews.push(stripKeys(item));
  }
  if (versions.length === 0) throw new NotFoundError('No target has been saved yet', 'TARGET_NOT_FOUND');
  return { versions, reviews };
}

/** The targets of a year, by status then department: the review queue and its counts. */
export async function listTargets(
  deps: TargetDeps,
  actor: Principal,
  q: { year: number; status?: TargetStatus; deptId?: string; kind?: TargetKind; limit: number; nextToken?: string },
) {
  const deptId = scopeDepartment(actor, q.deptId);
  const values: Record<string, unknown> = { ':pk': keys.targetsPartition(q.year) };
  let condition = 'GSI3PK = :pk';
  const filters: string[] = [];
  const names: Record<string, string> = {};
  if (q.status) {
    condition += ' AND begins_with(GSI3SK, :prefix)';
    values[':prefix'] = deptId ? `${q.status}#${deptId}#` : `${q.status}#`;
  } else if (deptId) {
    filters.push('deptId = :dept');
    values[':dept'] = deptId;
  }
  if (q.kind) {
    filters.push('#kind = :kind');
    names['#kind'] = 'kind';
    values[':kind'] = q.kind;
  }
  const input = {
    IndexName: 'GSI3',
    KeyConditionExpression: condition,
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ExpressionAttributeValues: values,
  };
  const page = await queryPage<Item>(deps.db, input, q.limit, q.nextToken);
  const items = page.items.map((i) => {
    const t = stripKeys<StoredTarget>(i);
    const errors = t.lint.filter((l) => l.severity === 'error').length;
    return {
      kind: t.kind,
      year: t.year,
      deptId: t.deptId,
      ...(t.projectId ? { projectId: t.projectId, level: t.level } : {}),
      status: t.status,
      version: t.version,
      lintErrors: errors,
      returnCount: t.returnCount,
      ...(t.lastReview ? { lastReview: { decision: t.lastReview.decision, grade: t.lastReview.grade, at: t.lastReview.at } } : {}),
      ...(t.cut ? { cutFen: t.cut.amountFen ?? null } : {}),
      updatedAt: t.updatedAt,
    };
  });
  return { items, counts: await statusCounts(deps.db, q.year, deptId), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

async function statusCounts(db: Db, year: number, deptId: string | undefined): Promise<Record<TargetStatus, number>> {
  const statuses: TargetStatus[] = ['draft', 'submitted', 'returned', 'approved', 'rejected'];
  const counts = await Promise.all(
    statuses.map(async (status) => {
      let total = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const res = await db.doc.send(
          new QueryCommand({
            TableName: db.table,
            IndexName: 'GSI3',
            KeyConditionExpression: 'GSI3PK = :pk AND begins_with(GSI3SK, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.targetsPartition(year), ':prefix': deptId ? `${status}#${deptId}#` : `${status}#` },
            Select: 'COUNT',
            ExclusiveStartKey: startKey,
          }),
        );
        total += res.Count ?? 0;
        startKey = res.LastEvaluatedKey;
      } while (startKey);
      return [status, total] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<TargetStatus, number>;
}

// ------------------------------------------------------------------ publication

/**
 * GET /v1/public/{year}/targets: the approved department-overall and level-1 targets of the
 * year (a sparse index only approval writes), each shown as goal and public indicator fields;
 * coverage = departments with an approved department-overall target / all departments.
 */
export async function publishedTargets(deps: AppDeps, year: number, limit: number, nextToken?: string) {
  const [page, departments, published] = await Promise.all([
    queryPage<Item>(
      deps.db,
      {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.publishedTargetsPartition(year) },
      },
      limit,
      nextToken,
    ),
    countQuery(deps.db, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': keys.departmentsPartition() } }),
    countQuery(deps.db, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :d)',
      ExpressionAttributeValues: { ':pk': keys.publishedTargetsPartition(year), ':d': 'D#' },
    }),
  ]);
  const items = page.items
    // Belt and braces: only what approval published, never a level-2.
    .filter((i) => i.status === 'approved' && (i.kind === 'department' || i.level === 1))
    .map((i) => {
      const t = stripKeys<StoredTarget>(i);
      return {
        kind: t.kind,
        deptId: t.deptId,
        ...(t.kind === 'project' ? { projectId: t.projectId } : {}),
        goal: t.goal,
        indicators: t.indicators.map(publicIndicator),
      };
    });
  return { year, items, coverage: { departments, published }, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

async function countQuery(db: Db, input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<number> {
  let total = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db.doc.send(new QueryCommand({ ...input, TableName: db.table, Select: 'COUNT', ExclusiveStartKey: startKey }));
    total += res.Count ?? 0;
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return total;
}
