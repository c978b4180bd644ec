/**
 * SPEC §3.11 — the annual report, in the shape of the reference report (厦门市2020年预算绩效
 * 管理工作情况): every figure computed from stored data, each with where it came from (the
 * query or the rule), so a reader can check it. Pure: the use case reads the data through the
 * repositories and hands it here.
 */
import type { Deduction } from '../ledger';
import { RULE_WORDS } from '../ledger';
import type { LibraryStats } from '../indicators';
import type { StoredTarget } from '../targets';

/** One figure and where it came from. */
export interface Figure<V extends number | null = number> {
  value: V;
  source: string;
}

const fig = <V extends number | null>(value: V, source: string): Figure<V> => ({ value, source });

export interface ReportInputs {
  year: number;
  generatedAt: string;
  departments: number;
  cleanup: { projects: number; cutFen: number; reversed: { projects: number; fen: number } };
  library: LibraryStats;
  targets: Pick<StoredTarget, 'kind' | 'level' | 'status' | 'returnCount' | 'lastReview' | 'cut' | 'deptId'>[];
  publishedDepartments: number;
  snapshots: { checkpoint: string; asOf: string; projects: number; red: number; yellow: number; green: number; suspended: number }[];
  /** The year's ledger (pool year = the as-of year). */
  ledger: Pick<Deduction, 'rule' | 'asOf' | 'amountFen' | 'deductionId' | 'reversesDeductionId' | 'deptId'>[];
  pool: { inFen: number; outFen: number; reversedFen: number; balanceFen: number; allocations: { count: number; amountFen: number } };
  /** Leaves funded by business income: budgets as arranged (original), now (after the year's cuts), spent. */
  businessIncome: { projects: number; budgetFen: number; currentBudgetFen: number; spentFen: number };
  selfEvaluations: { leaves: number; items: { status: string; grade: string; deptId: string }[]; publishedDepartments: number };
  keyEvaluations: {
    count: number;
    fundsFen: number;
    lastYearFundsFen: number;
    growthBp: number | null;
    panelMembers: number;
    suggestions: number;
    rectified: number;
    byStatus: Record<string, number>;
  };
}

export const RECLAIM_RULES = [
  'PROGRESS_RECLAIM',
  'CARRYOVER_RECLAIM',
  'STALE_PAYABLE_RECLAIM',
  'IDLE_BALANCE_RECLAIM',
  'DEFERRABLE_RECLAIM',
  'NEXT_YEAR_CAP',
  'TARGET_REVIEW_CUT',
  'CLEANUP_CUT',
  'RESULTS_CUT',
] as const;
export const GRADES = ['优', '良', '中', '差'] as const;

const DEDS = (year: number, rule?: string) => `GET /v1/deductions?year=${year}${rule ? `&rule=${rule}` : ''}`;

function targetsSection(i: ReportInputs) {
  const y = i.year;
  const group = (label: string, pick: (t: ReportInputs['targets'][number]) => boolean) => {
    const ts = i.targets.filter(pick);
    const src = `GET /v1/targets?year=${y}`;
    return {
      label,
      filed: fig(ts.length, `${src}: targets saved (${label}), of projects not cancelled`),
      reviewed: fig(ts.filter((t) => t.lastReview).length, `${src}: with a review (SPEC §3.4)`),
      approved: fig(ts.filter((t) => t.status === 'approved').length, `${src}&status=approved`),
      returned: fig(ts.filter((t) => t.returnCount > 0).length, `${src}: returnCount > 0 (returned at least once)`),
      rejected: fig(ts.filter((t) => t.status === 'rejected').length, `${src}&status=rejected`),
      cut: fig(ts.filter((t) => t.cut).length, `${src}: TARGET_REVIEW_CUT recorded on the target`),
    };
  };
  const cutFen = i.ledger.filter((d) => d.rule === 'TARGET_REVIEW_CUT').reduce((s, d) => s + d.amountFen, 0);
  return {
    groups: [
      group('一级项目', (t) => t.kind === 'project' && t.level === 1),
      group('二级项目', (t) => t.kind === 'project' && t.level === 2),
      group('部门整体', (t) => t.kind === 'department'),
    ],
    cutFen: fig(cutFen, `${DEDS(y, 'TARGET_REVIEW_CUT')}: Σ amountFen`),
  };
}

function reclaimSection(i: ReportInputs) {
  const y = i.year;
  const reversed = new Map<string, number>();
  for (const d of i.ledger) if (d.rule === 'REVERSAL' && d.reversesDeductionId) reversed.set(d.reversesDeductionId, -d.amountFen);
  const byRule = RECLAIM_RULES.map((rule) => {
    const ds = i.ledger.filter((d) => d.rule === rule);
    const fen = ds.reduce((s, d) => s + d.amountFen, 0);
    const back = ds.reduce((s, d) => s + (reversed.get(d.deductionId) ?? 0), 0);
    return {
      rule,
      zh: RULE_WORDS[rule].zh,
      count: fig(ds.length, `${DEDS(y, rule)}: entries`),
      amountFen: fig(fen, `${DEDS(y, rule)}: Σ amountFen`),
      reversedFen: fig(back, `${DEDS(y, 'REVERSAL')}: reversing ${rule}`),
      netFen: fig(fen - back, 'amountFen − reversedFen'),
    };
  });
  const months = Array.from({ length: 12 }, (_, m) => `${y}-${String(m + 1).padStart(2, '0')}`);
  const byMonth = months.map((month) => ({
    month,
    amountFen: fig(
      i.ledger.filter((d) => d.rule !== 'REVERSAL' && d.asOf.startsWith(month)).reduce((s, d) => s + d.amountFen, 0),
      `${DEDS(y)}: Σ amountFen with asOf in ${month} (reversals excluded)`,
    ),
  }));
  const total = byRule.reduce((s, r) => s + r.amountFen.value, 0);
  return {
    byRule,
    byMonth,
    totalFen: fig(total, `${DEDS(y)}: Σ amountFen of every rule`),
    pool: {
      inFen: fig(i.pool.inFen, `GET /v1/pool/${y}: inFen`),
      outFen: fig(i.pool.outFen, `GET /v1/pool/${y}: outFen (allocations)`),
      reversedFen: fig(i.pool.reversedFen, `GET /v1/pool/${y}: reversedFen`),
      balanceFen: fig(i.pool.balanceFen, `GET /v1/pool/${y}: inFen − outFen − reversedFen`),
      allocations: fig(i.pool.allocations.count, `GET /v1/pool/${y}/allocations: count`),
      allocatedFen: fig(i.pool.allocations.amountFen, `GET /v1/pool/${y}/allocations: Σ amountFen`),
    },
  };
}

function selfEvaluationSection(i: ReportInputs) {
  const y = i.year;
  const src = `GET /v1/self-evaluations?year=${y}`;
  const items = i.selfEvaluations.items;
  const confirmed = items.filter((e) => e.status === 'confirmed');
  return {
    leaves: fig(i.selfEvaluations.leaves, `GET /v1/projects?year=${y}: leaf projects not cancelled`),
    evaluated: fig(items.length, `${src}: total`),
    confirmed: fig(confirmed.length, `${src}&status=confirmed`),
    coverageBp: fig(i.selfEvaluations.leaves === 0 ? 0 : Math.floor((items.length * 10000) / i.selfEvaluations.leaves), 'floor(evaluated × 10000 / leaves)'),
    grades: GRADES.map((g) => ({ grade: g, count: fig(confirmed.filter((e) => e.grade === g).length, `${src}&status=confirmed&grade=${g}`) })),
    publishedDepartments: fig(i.selfEvaluations.publishedDepartments, `GET /v1/public/${y}/self-evaluations: coverage.departments`),
  };
}

export function annualReport(i: ReportInputs) {
  const y = i.year;
  const ke = i.keyEvaluations;
  const evalSrc = `GET /v1/evaluations/summary/${y}`;
  return {
    year: y,
    generatedAt: i.generatedAt,
    cleanup: {
      projects: fig(i.cleanup.projects, `GET /v1/cleanup/${y}/totals: projects (CLEANUP_CUT not reversed)`),
      cutFen: fig(i.cleanup.cutFen, `GET /v1/cleanup/${y}/totals: cutFen`),
      reversedProjects: fig(i.cleanup.reversed.projects, `GET /v1/cleanup/${y}/totals: reversed.projects`),
    },
    library: {
      total: fig(i.library.total, 'GET /v1/indicators/summary: stats.total'),
      general: fig(i.library.general, 'GET /v1/indicators/summary: stats.general (共性指标)'),
      generalCategories: fig(i.library.generalCategories, 'GET /v1/indicators/summary: stats.generalCategories'),
      core: fig(i.library.core, 'GET /v1/indicators/summary: stats.core (个性指标)'),
      domains: fig(i.library.domains, 'GET /v1/indicators/summary: stats.domains'),
      coreCategories: fig(i.library.coreCategories, 'GET /v1/indicators/summary: stats.coreCategories'),
      fundUses: fig(i.library.fundUses, 'GET /v1/indicators/summary: stats.fundUses'),
    },
    targets: targetsSection(i),
    publication: {
      departments: fig(i.departments, 'GET /v1/departments: count'),
      published: fig(i.publishedDepartments, `GET /v1/public/${y}/targets: coverage.published`),
    },
    monitoring: i.snapshots.map((s) => {
      const src = `GET /v1/snapshots/${y}/${s.checkpoint}`;
      return {
        checkpoint: s.checkpoint,
        asOf: s.asOf,
        projects: fig(s.projects, `${src}: projects`),
        red: fig(s.red, `${src}: red (SPEC §3.5)`),
        yellow: fig(s.yellow, `${src}: yellow`),
        green: fig(s.green, `${src}: green`),
        suspended: fig(s.suspended, `${src}: suspended`),
      };
    }),
    reclaimed: reclaimSection(i),
    businessIncome: {
      projects: fig(i.businessIncome.projects, `GET /v1/projects?year=${y}: leaves with fundSource business-income`),
      budgetFen: fig(i.businessIncome.budgetFen, 'Σ originalBudgetFen of those leaves: the spending arranged (单位事业收入等安排的支出)'),
      currentBudgetFen: fig(i.businessIncome.currentBudgetFen, "Σ budgetFen of those leaves: after the year's cuts and allocations"),
      spentFen: fig(i.businessIncome.spentFen, 'Σ spentFen of those leaves'),
    },
    selfEvaluation: selfEvaluationSection(i),
    keyEvaluations: {
      count: fig(ke.count, `${evalSrc}: count`),
      fundsFen: fig(ke.fundsFen, `${evalSrc}: fundsFen`),
      lastYearFundsFen: fig(ke.lastYearFundsFen, `GET /v1/evaluations/summary/${y}: lastYear.fundsFen`),
      growthBp: fig(ke.growthBp, `${evalSrc}: growthBp = floor((funds − last year) × 10000 / last year)`),
      panelMembers: fig(ke.panelMembers, `${evalSrc}: panelMembers (distinct name + org)`),
      suggestions: fig(ke.suggestions, `${evalSrc}: suggestions`),
      rectified: fig(ke.rectified, `${evalSrc}: rectified (accepted)`),
      byStatus: Object.fromEntries(Object.entries(ke.byStatus).map(([k, v]) => [k, fig(v, `GET /v1/suggestions?year=${y}&status=${k}`)])),
    },
  };
}

export type AnnualReport = ReturnType<typeof annualReport>;
