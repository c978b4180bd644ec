/**
 * PUT/GET /v1/departments/{deptId}/rankings/{year} (SPEC §3.2): a department orders exactly its
 * new projects of the year — new leaf projects, not cancelled. A missing, foreign or duplicate id
 * is a 400 listing each, and nothing is written; the same order again changes nothing.
 */
import { assertReadDepartment, assertWriteDepartment, type Principal } from '../../domain/access';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { DepartmentRanking } from '../../domain/front';
import { isLeaf, type Project } from '../../domain/project';
import { departmentRankingProblems } from '../../domain/rules/ranking';
import type { AppDeps } from '../context';

/** The projects a department ranks: its new leaf projects of the year that are not cancelled. */
export function rankable(p: Project): boolean {
  return p.isNew && isLeaf(p) && p.status !== 'cancelled';
}

export async function putDepartmentRanking(deps: AppDeps, actor: Principal, deptId: string, year: number, projectIds: string[]) {
  assertWriteDepartment(actor, deptId);
  const { rankings, projects } = deps.repos.ranking;
  const mine = (await projects.ofDepartment(year, deptId))
    .filter((p) => p.deptId === deptId && rankable(p))
    .map((p) => p.projectId)
    .sort();
  const problems = departmentRankingProblems(mine, projectIds);
  if (problems.length > 0) throw new ValidationError(problems, 'The ranking must list exactly the department’s new projects of the year, once each');
  const current = await rankings.get(deptId, year);
  if (current && current.projectIds.join('\u0000') === projectIds.join('\u0000')) return { status: 200, body: current };
  const at = deps.clock.now().toISOString();
  const next: DepartmentRanking = { deptId, year, projectIds, version: (current?.version ?? 0) + 1, by: actor.sub, at };
  const saved = await rankings.save(next, current?.version ?? 0, {
    auditId: deps.ids.next(),
    entityType: 'DepartmentRanking',
    entityId: `${deptId}~${year}`,
    action: 'ranking.saved',
    actor: actor.sub,
    at,
    before: current ? { projectIds: current.projectIds, version: current.version } : null,
    after: { projectIds, version: next.version },
  });
  if (saved === 'conflict') throw new ConflictError('CONCURRENT_UPDATE', 'The ranking changed while this request ran; try again');
  return { status: current ? 200 : 201, body: next };
}

export async function getDepartmentRanking(deps: AppDeps, actor: Principal, deptId: string, year: number) {
  assertReadDepartment(actor, deptId);
  const r = await deps.repos.ranking.rankings.get(deptId, year);
  if (!r) throw new NotFoundError(`Department ${deptId} has not ranked its ${year} projects`, 'RANKING_NOT_FOUND');
  return r;
}
