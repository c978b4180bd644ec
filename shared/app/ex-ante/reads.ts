/**
 * GET /v1/projects/{projectId}/ex-ante[/history] (SPEC §3.1): the current assessment and every
 * version. The target's reviewer (finance, performance) reads it here; with outcome `adjust`
 * its `adjustments` are the assessment's comments. A department reads its own projects' only.
 */
import { canReadDepartment, type Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { ExAnteAssessmentRecord } from '../../domain/front';
import { OUTCOME_WORDS } from '../../domain/rules/ex-ante';
import type { AppDeps } from '../context';

export function assessmentView(a: ExAnteAssessmentRecord) {
  return {
    ...a,
    outcomeZh: OUTCOME_WORDS[a.outcome],
    ...(a.outcome === 'adjust' ? { adjustments: a.comments } : {}),
  };
}

async function readable(deps: AppDeps, actor: Principal, projectId: string) {
  const p = await deps.repos.exAnte.projects.get(projectId);
  if (!p || !canReadDepartment(actor, p.deptId)) throw new NotFoundError(`No project ${projectId}`);
  return p;
}

export async function getAssessment(deps: AppDeps, actor: Principal, projectId: string) {
  await readable(deps, actor, projectId);
  const a = await deps.repos.exAnte.assessments.get(projectId);
  if (!a) throw new NotFoundError(`Project ${projectId} has no ex-ante assessment`, 'EX_ANTE_NOT_FOUND');
  return assessmentView(a);
}

export async function assessmentHistory(deps: AppDeps, actor: Principal, projectId: string) {
  await readable(deps, actor, projectId);
  const versions = await deps.repos.exAnte.assessments.versions(projectId);
  if (versions.length === 0) throw new NotFoundError(`Project ${projectId} has no ex-ante assessment`, 'EX_ANTE_NOT_FOUND');
  return { items: versions.map(assessmentView) };
}
