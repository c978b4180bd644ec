/**
 * PUT /v1/projects/{projectId}/self-evaluation (SPEC §3.9): the department enters the year's
 * actuals (what it leaves out is taken from its saved draft, else pre-filled from its latest
 * monitoring report), summary, problems and measures; the score is computed on every save with
 * its full derivation. A save that changes nothing keeps the version.
 */
import { assertWriteDepartment, type Principal } from '../../domain/access';
import { shanghaiDate } from '../../domain/dates';
import { type FieldProblem, ValidationError } from '../../domain/errors';
import { type SelfEvaluationBody, selfEvaluationTransition, type StoredSelfEvaluation } from '../../domain/evaluations';
import { type Project, spentAsOf } from '../../domain/project';
import { type Actual, type IndicatorToScore, scoreSelfEvaluation } from '../../domain/rules/self-evaluation';
import type { TargetIndicator } from '../../domain/targets';
import type { ReportIndicator } from '../../domain/monitoring';
import type { AppDeps } from '../context';
import { approvedTarget, assertEvaluable, audit, conflict, readableLeaf, selfEvaluationView } from './common';

type Entry = SelfEvaluationBody['indicators'][number];

const toActual = (e: Entry): Actual => ('actual' in e ? { value: e.actual } : { band: e.band, pct: e.pct });

/** The monitoring report's actual for a target indicator (same code, else same name), if numeric. */
function reported(t: TargetIndicator, report: ReportIndicator[] | undefined): Entry | undefined {
  const r = report?.find((x) => (t.code && x.code ? x.code === t.code : x.name === t.name));
  if (!r || t.direction === 'qualitative') return undefined;
  const v = typeof r.actualValue === 'number' ? r.actualValue : /^-?\d+(\.\d+)?$/.test(String(r.actualValue).trim()) ? Number(r.actualValue) : undefined;
  return v === undefined ? undefined : { index: -1, actual: v };
}

export async function prefill(deps: AppDeps, p: Project, indicators: TargetIndicator[]) {
  const report = await deps.repos.evaluationSources.latestReport(p.projectId);
  const entries = indicators.map((t, index) => {
    const r = reported(t, report?.indicators);
    return r ? { ...r, index } : undefined;
  });
  return { report, entries };
}

/**
 * What each target indicator is scored on: the body's entry, else the saved draft's, else the
 * pre-fill; with the problems of the body's entries (unknown or repeated index).
 */
function indicatorsToScore(indicators: TargetIndicator[], body: SelfEvaluationBody, existing: StoredSelfEvaluation | undefined, pre: (Entry | undefined)[]) {
  const problems: FieldProblem[] = [];
  const sent = new Map<number, { entry: Entry; path: string }>();
  body.indicators.forEach((entry, pos) => {
    const path = `body.indicators[${pos}]`;
    if (entry.index >= indicators.length)
      problems.push({ path: `${path}.index`, message: `目标只有 ${indicators.length} 个指标 (no indicator ${entry.index})` });
    else if (sent.has(entry.index)) problems.push({ path: `${path}.index`, message: `indicator ${entry.index} is given twice` });
    else sent.set(entry.index, { entry, path });
  });
  const kept = new Map((existing?.indicators ?? []).map((e) => [e.index, e]));
  const chosen: Entry[] = [];
  const toScore: IndicatorToScore[] = indicators.map((t, index) => {
    const entry = sent.get(index)?.entry ?? kept.get(index) ?? pre[index];
    if (entry) chosen.push({ ...entry, index });
    return {
      index,
      name: t.name,
      level1: t.level1,
      ...(t.direction ? { direction: t.direction } : {}),
      ...(t.targetValue !== undefined ? { targetValue: t.targetValue } : {}),
      ...(entry ? { actual: toActual(entry) } : {}),
      path: sent.get(index)?.path ?? `body.indicators[index=${index}]`,
    };
  });
  return { problems, chosen, toScore };
}

export async function saveSelfEvaluation(deps: AppDeps, actor: Principal, projectId: string, body: SelfEvaluationBody) {
  const p = await readableLeaf(deps, actor, projectId);
  assertWriteDepartment(actor, p.deptId);
  const now = deps.clock.now();
  assertEvaluable(p, shanghaiDate(now));
  const target = await approvedTarget(deps, p);
  const existing = await deps.repos.selfEvaluations.get(projectId);
  const status = selfEvaluationTransition(existing?.status, 'save');
  const policy = await deps.repos.evaluationSources.policy(p.year);
  const { report, entries: pre } = await prefill(deps, p, target.indicators);

  const { problems, chosen, toScore } = indicatorsToScore(target.indicators, body, existing, pre);
  const spentFen = spentAsOf(p.spentByDay ?? {}, `${p.year}-12-31`);
  const scored = scoreSelfEvaluation({ budgetFen: p.budgetFen, spentFen, indicators: toScore }, policy.selfEvaluation);
  if (scored.outcome === 'invalid') problems.push(...scored.problems);
  if (problems.length > 0 || scored.outcome === 'invalid') throw new ValidationError(problems);

  const content = { indicators: chosen, summary: body.summary, problems: body.problems, measures: body.measures };
  if (
    existing &&
    existing.status === 'draft' &&
    existing.scoreCp === scored.scoreCp &&
    JSON.stringify(content) ===
      JSON.stringify({ indicators: existing.indicators, summary: existing.summary, problems: existing.problems, measures: existing.measures })
  ) {
    return { status: 200, evaluation: selfEvaluationView(existing) };
  }
  const at = now.toISOString();
  const next: StoredSelfEvaluation = {
    projectId,
    deptId: p.deptId,
    year: p.year,
    name: p.name,
    status,
    version: (existing?.version ?? 0) + 1,
    rev: (existing?.rev ?? 0) + 1,
    ...content,
    budgetFen: p.budgetFen,
    spentFen,
    targetVersion: target.version,
    ...(report ? { prefilledFrom: { checkpoint: report.checkpoint, version: report.version } } : {}),
    scoreCp: scored.scoreCp,
    grade: scored.grade,
    total: scored.total,
    weights: scored.weights,
    breakdown: scored.breakdown,
    ...(existing?.lastReview ? { lastReview: existing.lastReview } : {}),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
    updatedBy: actor.sub,
  };
  const before = existing ? { status: existing.status, version: existing.version, scoreCp: existing.scoreCp, grade: existing.grade } : null;
  const out = await deps.repos.selfEvaluations.write(next, existing?.rev ?? 0, {
    saveVersion: true,
    audit: audit(deps, actor, next, 'self-evaluation.saved', before, at),
  });
  if (out === 'conflict') conflict();
  return { status: existing ? 200 : 201, evaluation: selfEvaluationView(next) };
}
