/**
 * Publication (SPEC §3.9): the performance office publishes a department's confirmed
 * self-evaluations of a year; GET /v1/public/{year}/self-evaluations shows, without a token,
 * the confirmed reports of the published departments, and nothing else.
 */
import type { Principal } from '../../domain/access';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { AppDeps } from '../context';

export async function publishSelfEvaluations(deps: AppDeps, actor: Principal, deptId: string, year: number) {
  const sources = deps.repos.evaluationSources;
  if (!(await sources.departmentName(deptId))) throw new NotFoundError(`No department ${deptId}`);
  const confirmed = (await deps.repos.selfEvaluations.list(year, deptId)).filter((e) => e.status === 'confirmed');
  if (confirmed.length === 0) throw new ConflictError('NOTHING_CONFIRMED', `${deptId} 没有已确认的 ${year} 年度自评 (no confirmed self-evaluation to publish)`);
  const at = deps.clock.now().toISOString();
  const outcome = await deps.repos.selfEvaluations.publish(year, deptId, at, actor.sub, {
    auditId: deps.ids.next(),
    entityType: 'SelfEvaluationPublication',
    entityId: `${year}~${deptId}`,
    action: 'self-evaluations.published',
    actor: actor.sub,
    at,
    before: null,
    after: { deptId, year, confirmed: confirmed.length },
  });
  return { status: outcome === 'ok' ? 201 : 200, body: { deptId, year, published: true, confirmed: confirmed.length } };
}

export async function publicSelfEvaluations(deps: AppDeps, year: number) {
  const depts = (await deps.repos.selfEvaluations.publishedDepartments(year)).sort();
  const items = [];
  for (const deptId of depts) {
    const departmentName = (await deps.repos.evaluationSources.departmentName(deptId)) ?? deptId;
    for (const e of await deps.repos.selfEvaluations.list(year, deptId)) {
      if (e.status !== 'confirmed') continue;
      items.push({
        deptId,
        departmentName,
        projectId: e.projectId,
        name: e.name,
        scoreCp: e.scoreCp,
        grade: e.grade,
        summary: e.summary,
        problems: e.problems,
        measures: e.measures,
        breakdown: e.breakdown,
      });
    }
  }
  return { year, items, coverage: { departments: depts.length, reports: items.length } };
}
