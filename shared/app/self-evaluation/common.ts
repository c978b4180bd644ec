/** What the self-evaluation verbs share: finding the project and target, the view, audit entries. */
import { canReadDepartment, type Principal } from '../../domain/access';
import type { AuditEntry } from '../../domain/audit';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { StoredSelfEvaluation } from '../../domain/evaluations';
import { isLeaf, type Project } from '../../domain/project';
import type { AppDeps } from '../context';
import type { TargetForEvaluation } from './ports';

/** A leaf the caller may see, or 404: another department's project does not exist for it. */
export async function readableLeaf(deps: AppDeps, actor: Principal, projectId: string): Promise<Project> {
  const p = await deps.repos.evaluationSources.project(projectId);
  if (!p || !canReadDepartment(actor, p.deptId)) throw new NotFoundError(`No project ${projectId}`);
  return p;
}

/** The approved target a leaf is evaluated against: its own, else its level-1's. */
export async function approvedTarget(deps: AppDeps, p: Project): Promise<TargetForEvaluation> {
  const sources = deps.repos.evaluationSources;
  const own = await sources.target(p.projectId);
  const target = own ?? (p.parentId ? await sources.target(p.parentId) : undefined);
  if (target?.status !== 'approved') {
    throw new ConflictError('NO_APPROVED_TARGET', '该项目没有审核通过的绩效目标，不能自评 (the project has no approved performance target)', {
      targetStatus: target?.status ?? null,
    });
  }
  return target;
}

export function assertEvaluable(p: Project, today: string): void {
  if (!isLeaf(p)) throw new ConflictError('NOT_A_LEAF', '自评针对末级项目；该一级项目有二级项目 (self-evaluation is of leaf projects)');
  if (p.status === 'cancelled') throw new ConflictError('PROJECT_CANCELLED', 'The project is cancelled');
  if (today <= `${p.year}-12-31`) {
    throw new ConflictError('NOT_AFTER_YEAR_END', `${p.year} 年度结束后方可自评 (self-evaluation opens after ${p.year}-12-31)`);
  }
}

export function audit(
  deps: AppDeps,
  actor: Principal,
  e: StoredSelfEvaluation,
  action: string,
  before: Record<string, unknown> | null,
  at: string,
): AuditEntry {
  return {
    auditId: deps.ids.next(),
    entityType: 'SelfEvaluation',
    entityId: e.projectId,
    action,
    actor: actor.sub,
    at,
    before,
    after: { status: e.status, version: e.version, scoreCp: e.scoreCp, grade: e.grade },
  };
}

export function selfEvaluationView(e: StoredSelfEvaluation) {
  const { rev: _rev, ...rest } = e;
  return rest;
}

export function conflict(): never {
  throw new ConflictError('CONCURRENT_UPDATE', '自评在本次请求期间已被修改，请重试 (the self-evaluation changed while this request ran; try again)');
}
