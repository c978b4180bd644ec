/**
 * SPEC §3.5 — double monitoring at June and September (双监控).
 *
 * At each checkpoint of the policy [06-30: 5000 bp, 09-30: 7500 bp] every leaf project gets:
 *
 *   progress     P = spent / budget, spent counted as of the checkpoint date (a zero budget
 *                counts as fully spent); shown as progressBp = floor(P × 10000)
 *   achievement  A = mean over the report's quantitative `>=` indicators of min(actual/target, 1)
 *                (a ratio below 0 counts as 0; a target ≤ 0 is met by any actual ≥ it); shown as
 *                achievementBp = floor(A × 10000); none when the report has no such indicator
 *
 * and a light, every comparison exact (rational arithmetic in BigInt, nothing rounded first):
 *
 *   red     no report was filed                          NO_REPORT
 *           any indicator's outlook is `impossible`       OUTLOOK_IMPOSSIBLE
 *           P < (benchmark − redGapBp) / 10000            PROGRESS_RED_GAP   ("more than redGapBp below")
 *   yellow  any indicator's outlook is `possible`         OUTLOOK_POSSIBLE
 *           P < benchmark / 10000                         BELOW_BENCHMARK
 *           |A − P| > deviationBp / 10000                 DEVIATION
 *   green   otherwise.
 *
 * `flags` lists every condition that holds (so a red-gap project also carries BELOW_BENCHMARK),
 * plus SUSPENDED for a suspended project. The light is the worst condition's colour.
 *
 * Worked example (defaults, 06-30, benchmark 5000, red gap 2000, deviation 1000):
 *   budget 10,000,000 fen, spent 4,000,000 → P = 0.4, progressBp 4000 (below 5000, above 3000);
 *   indicators `>=`: 80 of 100 (0.8), 30 of 20 (1.5 → 1), 1 of 3 (0.3333…) →
 *   A = (0.8 + 1 + 1/3) / 3 = 0.71111…, achievementBp 7111; |A − P| = 0.3111… > 0.1 →
 *   flags [BELOW_BENCHMARK, DEVIATION], light yellow.
 *
 * At the LAST checkpoint of the year, when `suspendOnImpossible` is on, a red project whose
 * outlook is `impossible` is suspended (no expenditure until the performance office lifts it).
 *
 * Pure: the project, its report and the policy come in as arguments.
 */
import { addDays, yearOf } from '../dates';
import { type Bp, type Fen, FULL_BP, isBelowBp, progressBp } from '../money';
import { type Outlook, type ReportIndicator, worstOutlook } from '../monitoring';
import type { Policy } from '../policy';
import type { ProjectStatus } from '../project';

export type MonitoringPolicy = Policy['monitoring'];
export type Light = 'red' | 'yellow' | 'green';
export const LIGHTS: readonly Light[] = ['red', 'yellow', 'green'];
export const LIGHT_ZH: Record<Light, string> = { red: '红灯', yellow: '黄灯', green: '绿灯' };

export const MONITORING_FLAGS = [
  'NO_REPORT',
  'OUTLOOK_IMPOSSIBLE',
  'PROGRESS_RED_GAP',
  'OUTLOOK_POSSIBLE',
  'BELOW_BENCHMARK',
  'DEVIATION',
  'SUSPENDED',
] as const;
export type MonitoringFlag = (typeof MONITORING_FLAGS)[number];

/** The project flag a suspension sets (and lifting removes). */
export const SUSPENDED_FLAG = 'SUSPENDED';

// ------------------------------------------------------------------ exact numbers

/** A non-reduced fraction n/d with d > 0. */
export interface Ratio {
  n: bigint;
  d: bigint;
}

/**
 * A JSON number as the exact decimal it was written as (JavaScript's shortest round-trip
 * form): 0.1 is 1/10, not the binary double nearest to it.
 */
export function exactDecimal(x: number): Ratio {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`cannot read ${x} as a decimal`);
  const frac = m[3] ?? '';
  let n = BigInt(`${m[2]}${frac}`);
  let d = 10n ** BigInt(frac.length);
  const exp = Number(m[4] ?? 0);
  if (exp > 0) n *= 10n ** BigInt(exp);
  if (exp < 0) d *= 10n ** BigInt(-exp);
  return { n: m[1] === '-' ? -n : n, d };
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
};

function reduce(r: Ratio): Ratio {
  const g = gcd(r.n, r.d);
  return { n: r.n / g, d: r.d / g };
}

// ------------------------------------------------------------------ achievement

export interface Achievement {
  /** floor(A × 10000). */
  bp: Bp;
  /** A exactly, reduced. */
  exact: Ratio;
  /** How many quantitative `>=` indicators it is the mean of. */
  indicators: number;
}

type Measured = Pick<ReportIndicator, 'direction' | 'targetValue' | 'actualValue'>;

/** min(actual/target, 1), never below 0; a target ≤ 0 is met (1) by any actual ≥ it, else 0. */
export function indicatorRatio(actual: number, target: number): Ratio {
  const a = exactDecimal(actual);
  const t = exactDecimal(target);
  if (t.n <= 0n) return { n: a.n * t.d >= t.n * a.d ? 1n : 0n, d: 1n };
  if (a.n <= 0n) return { n: 0n, d: 1n };
  const r = { n: a.n * t.d, d: a.d * t.n };
  return r.n >= r.d ? { n: 1n, d: 1n } : reduce(r);
}

/** Mean of min(actual/target, 1) over the quantitative `>=` indicators; undefined if none. */
export function targetAchievement(indicators: readonly Measured[]): Achievement | undefined {
  let sum: Ratio = { n: 0n, d: 1n };
  let count = 0;
  for (const i of indicators) {
    if (i.direction !== '>=' || typeof i.targetValue !== 'number' || typeof i.actualValue !== 'number') continue;
    const r = indicatorRatio(i.actualValue, i.targetValue);
    sum = reduce({ n: sum.n * r.d + r.n * sum.d, d: sum.d * r.d });
    count++;
  }
  if (count === 0) return undefined;
  const exact = reduce({ n: sum.n, d: sum.d * BigInt(count) });
  return { bp: Number((exact.n * BigInt(FULL_BP)) / exact.d), exact, indicators: count };
}

// ------------------------------------------------------------------ lights

export interface AssessInput {
  budgetFen: Fen;
  /** Payments minus refunds dated on or before the checkpoint. */
  spentFen: Fen;
  status: ProjectStatus;
  /** The report filed for the checkpoint, if any. */
  report?: { indicators: readonly (Measured & Pick<ReportIndicator, 'outlook'>)[] } | undefined;
}

export interface Assessment {
  progressBp: Bp;
  achievementBp?: Bp;
  light: Light;
  flags: MonitoringFlag[];
  outlook?: Outlook;
}

/** |A − P| > deviationBp / 10000, exactly. P = spent/budget (1 for a zero budget). */
export function deviates(a: Ratio, spentFen: Fen, budgetFen: Fen, deviationBp: Bp): boolean {
  const [s, b] = budgetFen <= 0 ? [1n, 1n] : [BigInt(spentFen), BigInt(budgetFen)];
  let diff = a.n * b - s * a.d;
  if (diff < 0n) diff = -diff;
  return diff * BigInt(FULL_BP) > BigInt(deviationBp) * a.d * b;
}

export function assessProject(input: AssessInput, benchmarkBp: Bp, policy: Pick<MonitoringPolicy, 'redGapBp' | 'deviationBp'>): Assessment {
  const flags: MonitoringFlag[] = [];
  const report = input.report;
  const outlook = report ? worstOutlook([...report.indicators]) : undefined;
  const achievement = report ? targetAchievement(report.indicators) : undefined;

  if (!report) flags.push('NO_REPORT');
  if (outlook === 'impossible') flags.push('OUTLOOK_IMPOSSIBLE');
  if (isBelowBp(input.spentFen, input.budgetFen, Math.max(0, benchmarkBp - policy.redGapBp))) flags.push('PROGRESS_RED_GAP');
  if (report?.indicators.some((i) => i.outlook === 'possible')) flags.push('OUTLOOK_POSSIBLE');
  if (isBelowBp(input.spentFen, input.budgetFen, benchmarkBp)) flags.push('BELOW_BENCHMARK');
  if (achievement && deviates(achievement.exact, input.spentFen, input.budgetFen, policy.deviationBp)) flags.push('DEVIATION');
  if (input.status === 'suspended') flags.push('SUSPENDED');

  const has = (...f: MonitoringFlag[]) => f.some((x) => flags.includes(x));
  const light: Light = has('NO_REPORT', 'OUTLOOK_IMPOSSIBLE', 'PROGRESS_RED_GAP')
    ? 'red'
    : has('OUTLOOK_POSSIBLE', 'BELOW_BENCHMARK', 'DEVIATION')
      ? 'yellow'
      : 'green';
  const out: Assessment = { progressBp: progressBp(input.spentFen, input.budgetFen), light, flags };
  if (achievement) out.achievementBp = achievement.bp;
  if (outlook) out.outlook = outlook;
  return out;
}

/**
 * Suspended at this checkpoint? Only at the year's last checkpoint, only when the policy says
 * so, only a red project with an `impossible` outlook that is still active.
 */
export function shouldSuspend(a: Assessment, o: { lastCheckpoint: boolean; suspendOnImpossible: boolean; status: ProjectStatus }): boolean {
  return o.suspendOnImpossible && o.lastCheckpoint && o.status === 'active' && a.light === 'red' && a.flags.includes('OUTLOOK_IMPOSSIBLE');
}

// ------------------------------------------------------------------ roll-ups

export interface LightCounts {
  red: number;
  yellow: number;
  green: number;
}

export interface DepartmentRollUp extends LightCounts {
  deptId: string;
  projects: number;
  budgetFen: Fen;
  spentFen: Fen;
  progressBp: Bp;
  suspended: number;
}

/**
 * A department as a whole: all its leaf projects. Budget and spending are sums; progress is
 * the sums' ratio (not a mean of the projects' progress), rounded down.
 */
export function rollUp(items: readonly { deptId: string; budgetFen: Fen; spentFen: Fen; light: Light; flags: readonly string[] }[]): DepartmentRollUp[] {
  const byDept = new Map<string, DepartmentRollUp>();
  for (const i of items) {
    let d = byDept.get(i.deptId);
    if (!d) {
      d = { deptId: i.deptId, projects: 0, budgetFen: 0, spentFen: 0, progressBp: 0, red: 0, yellow: 0, green: 0, suspended: 0 };
      byDept.set(i.deptId, d);
    }
    d.projects++;
    d.budgetFen += i.budgetFen;
    d.spentFen += i.spentFen;
    d[i.light]++;
    if (i.flags.includes('SUSPENDED')) d.suspended++;
  }
  const out = [...byDept.values()].sort((a, b) => (a.deptId < b.deptId ? -1 : a.deptId > b.deptId ? 1 : 0));
  for (const d of out) d.progressBp = progressBp(d.spentFen, d.budgetFen);
  return out;
}

export function grandTotals(departments: readonly DepartmentRollUp[]): Omit<DepartmentRollUp, 'deptId'> & { departments: number } {
  const t = { departments: departments.length, projects: 0, budgetFen: 0, spentFen: 0, progressBp: 0, red: 0, yellow: 0, green: 0, suspended: 0 };
  for (const d of departments) {
    t.projects += d.projects;
    t.budgetFen += d.budgetFen;
    t.spentFen += d.spentFen;
    t.red += d.red;
    t.yellow += d.yellow;
    t.green += d.green;
    t.suspended += d.suspended;
  }
  t.progressBp = progressBp(t.spentFen, t.budgetFen);
  return t;
}

// ------------------------------------------------------------------ dates

/** The snapshot dates of a year: each checkpoint. */
export function snapshotDates(policy: Pick<Policy, 'monitoring'>, year: number): string[] {
  return policy.monitoring.checkpoints.map((c) => `${year}-${c.date}`);
}

/** The reminder dates of a year: each checkpoint minus reminderDays (those that fall in the year). */
export function reminderDates(policy: Pick<Policy, 'monitoring' | 'notifications'>, year: number): string[] {
  return policy.monitoring.checkpoints.map((c) => addDays(`${year}-${c.date}`, -policy.notifications.reminderDays)).filter((d) => yearOf(d) === year);
}

/** The checkpoint a reminder sent on `asOf` is for. */
export function reminderCheckpoint(policy: Pick<Policy, 'monitoring' | 'notifications'>, asOf: string): { date: string; benchmarkBp: number } | undefined {
  const year = yearOf(asOf);
  return policy.monitoring.checkpoints.find((c) => addDays(`${year}-${c.date}`, -policy.notifications.reminderDays) === asOf);
}
