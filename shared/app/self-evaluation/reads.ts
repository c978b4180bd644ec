/** Reading self-evaluations: one (or its pre-fill), its history, the lists (SPEC §3.9). */
import { type Principal, scopeDepartment } from '../../domain/access';
import type { SelfEvaluationStatus } from '../../domain/evaluations';
import type { ScoreGrade } from '../../domain/rules/self-evaluation';
import type { AppDeps } from '../context';
import { approvedTarget, readableLeaf, selfEvaluationView } from './common';
import { prefill } from './save';

/** The saved self-evaluation, or (none yet) the target's indicators with pre-filled actuals. */
export async function getSelfEvaluation(deps: AppDeps, actor: Principal, projectId: string) {
  const p = await readableLeaf(deps, actor, projectId);
  const e = await deps.repos.selfEvaluations.get(projectId);
  if (e) return selfEvaluationView(e);
  const target = await approvedTarget(deps, p);
  const { report, entries } = await prefill(deps, p, target.indicators);
  return {
    projectId,
    deptId: p.deptId,
    year: p.year,
    status: 'none',
    indicators: target.indicators.map((t, index) => ({
      index,
      name: t.name,
      level1: t.level1,
      direction: t.direction,
      targetValue: t.targetValue,
      unit: t.unit,
      prefilled: entries[index] ? { actual: (entries[index] as { actual: number }).actual } : null,
    })),
    prefilledFrom: report ? { checkpoint: report.checkpoint, version: report.version } : null,
  };
}

export async function selfEvaluationHistory(deps: AppDeps, actor: Principal, projectId: string) {
  await readableLeaf(deps, actor, projectId);
  const h = await deps.repos.selfEvaluations.history(projectId);
  return { versions: h.versions.map(selfEvaluationView), reviews: h.reviews };
}

export async function listSelfEvaluations(
  deps: AppDeps,
  actor: Principal,
  q: { year: number; deptId?: string; grade?: ScoreGrade; status?: SelfEvaluationStatus },
) {
  const deptId = scopeDepartment(actor, q.deptId);
  const all = await deps.repos.selfEvaluations.list(q.year, deptId);
  const items = all.filter((e) => (!q.grade || e.grade === q.grade) && (!q.status || e.status === q.status));
  const grades: Record<ScoreGrade, number> = { 优: 0, 良: 0, 中: 0, 差: 0 };
  for (const e of items) grades[e.grade]++;
  return {
    items: items.map((e) => ({
      projectId: e.projectId,
      deptId: e.deptId,
      year: e.year,
      name: e.name,
      status: e.status,
      version: e.version,
      scoreCp: e.scoreCp,
      grade: e.grade,
      updatedAt: e.updatedAt,
    })),
    total: items.length,
    grades,
  };
}
