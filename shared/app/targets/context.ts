/**
 * What a target hangs on — the project (or department-year), the leaves that carry its money
 * and its budget now — and who may read or write it.
 */
import { assertReadDepartment, assertWriteDepartment, type Principal } from '../../domain/access';
import { departmentTargetSubject } from '../../domain/email';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { Policy } from '../../domain/policy';
import { isLeaf, type Project } from '../../domain/project';
import { lintTarget } from '../../domain/rules/target-review';
import type { LintProblem, StoredTarget, TargetIndicator, TargetRef } from '../../domain/targets';
import type { AppDeps } from '../context';
import { readableProject } from '../projects';

export interface TargetContext {
  ref: TargetRef;
  year: number;
  deptId: string;
  project?: Project;
  /** Leaves that carry the project's money: itself, or a level-1's children. */
  leaves: Project[];
  budgetFen: number;
  category?: string;
  /** The target in words, for emails. */
  subject: string;
}

export type Access = 'read' | 'write' | 'review';

async function projectContext(deps: AppDeps, actor: Principal, projectId: string): Promise<TargetContext> {
  const project = await readableProject(deps, actor, projectId);
  const leaves = isLeaf(project) ? [project] : await deps.repos.projects.children(project);
  return {
    ref: { kind: 'project', projectId },
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
  const dept = await deps.repos.departments.get(deptId);
  if (!dept) throw new NotFoundError(`No department ${deptId}`);
  // The department's budget for the cost match: the sum of its leaf projects of the year.
  const leaves = (await deps.repos.projects.ofDepartment(year, deptId)).filter(isLeaf);
  return {
    ref: { kind: 'department', deptId, year },
    year,
    deptId,
    leaves,
    budgetFen: leaves.reduce((s, p) => s + p.budgetFen, 0),
    subject: departmentTargetSubject(dept.name, year),
  };
}

/**
 * Another department's project does not exist for a department officer (404, as everywhere);
 * another department's overall target is refused (403): the department's existence is public.
 */
export async function contextFor(deps: AppDeps, actor: Principal, ref: TargetRef, access: Access): Promise<TargetContext> {
  if (ref.kind === 'project') {
    const ctx = await projectContext(deps, actor, ref.projectId);
    if (access === 'write') assertWriteDepartment(actor, ctx.deptId);
    return ctx;
  }
  if (access === 'write') assertWriteDepartment(actor, ref.deptId);
  else assertReadDepartment(actor, ref.deptId);
  return departmentContext(deps, ref.deptId, ref.year);
}

export async function requireTarget(deps: AppDeps, ctx: TargetContext): Promise<StoredTarget> {
  const t = await deps.repos.targets.get(ctx.ref);
  if (!t) throw new NotFoundError('No target has been saved yet', 'TARGET_NOT_FOUND');
  return t;
}

export function lintFor(ctx: TargetContext, goal: string, indicators: TargetIndicator[], policy: Policy): LintProblem[] {
  return lintTarget(
    { kind: ctx.ref.kind, ...(ctx.category ? { category: ctx.category } : {}), goal, indicators, budgetFen: ctx.budgetFen },
    policy.targetReview,
  );
}

/** The audit record's subject: which target. */
export function auditSubject(ctx: TargetContext): { entityType: string; entityId: string } {
  return ctx.ref.kind === 'project'
    ? { entityType: 'ProjectTarget', entityId: ctx.ref.projectId }
    : { entityType: 'DepartmentTarget', entityId: `${ctx.deptId}/${ctx.year}` };
}

export const subjectId = (ctx: TargetContext) => auditSubject(ctx).entityId;

export function concurrent(): never {
  throw new ConflictError('CONCURRENT_UPDATE', 'The target changed while this request ran; read it again and retry');
}
