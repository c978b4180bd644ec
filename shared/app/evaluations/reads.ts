/** Reading key evaluations: one, a year's list, the year's figures (SPEC §3.10). */
import { hasRole, type Principal, readsEverything } from '../../domain/access';
import { keyEvaluationScore, growthBp } from '../../domain/rules/key-evaluation';
import type { AppDeps } from '../context';
import { canSee, evaluationView, visibleEvaluation } from './common';

export async function getEvaluation(deps: AppDeps, actor: Principal, evaluationId: string) {
  const e = await visibleEvaluation(deps, actor, evaluationId);
  const all = await deps.repos.keyEvaluations.scores(evaluationId);
  const mine = readsEverything(actor) ? all : all.filter((s) => hasRole(actor, 'expert') && s.sub === actor.sub);
  const policy = await deps.repos.evaluationSources.policy(e.year);
  const running = readsEverything(actor) ? keyEvaluationScore(all, policy.keyEvaluation, policy.selfEvaluation.grades) : undefined;
  return { ...evaluationView(e, actor), scores: mine, ...(running ? { currentScore: running } : {}) };
}

export async function listEvaluations(deps: AppDeps, actor: Principal, year: number) {
  const items = (await deps.repos.keyEvaluations.list(year)).filter((e) => canSee(actor, e));
  return { items: items.map((e) => evaluationView(e, actor)), total: items.length };
}

/** count, fundsFen, growthBp over the year before, distinct panel members, suggestions, rectified. */
export async function evaluationSummary(deps: AppDeps, year: number) {
  const [now, before, suggestions] = await Promise.all([
    deps.repos.keyEvaluations.list(year),
    deps.repos.keyEvaluations.list(year - 1),
    deps.repos.suggestions.list(year),
  ]);
  const fundsFen = now.reduce((s, e) => s + e.fundsFen, 0);
  const lastFen = before.reduce((s, e) => s + e.fundsFen, 0);
  const members = new Set(now.flatMap((e) => e.panel.map((m) => `${m.name}|${m.org}`)));
  const byKind: Record<string, number> = {};
  for (const e of now) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
  const byStatus: Record<string, number> = { open: 0, 'in-progress': 0, done: 0, accepted: 0 };
  for (const s of suggestions) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
  return {
    year,
    count: now.length,
    finalized: now.filter((e) => e.status === 'finalized').length,
    byKind,
    fundsFen,
    lastYear: { count: before.length, fundsFen: lastFen },
    growthBp: growthBp(fundsFen, lastFen),
    panelMembers: members.size,
    suggestions: suggestions.length,
    rectified: byStatus.accepted,
    suggestionsByStatus: byStatus,
  };
}
