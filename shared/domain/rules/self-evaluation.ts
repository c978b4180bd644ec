/**
 * SPEC §3.9 — self-evaluation scoring (绩效自评, 财预〔2020〕10号).
 *
 * Score out of 100 = budget execution + output + benefit + satisfaction:
 * - execution [10] = 10 × min(spent / budget, 1), spending and budget as at year end (after every
 *   deduction); a zero budget scores the full weight; negative spending counts as 0;
 * - output [50] (cost indicators count under output), benefit [30], satisfaction [10], each
 *   weight shared equally among that level-1's indicators. A level-1 with no indicator gives its
 *   weight to the level-1s that have some, pro rata to their weights (no satisfaction: 50 : 30 →
 *   56.25 and 33.75). SPEC names only satisfaction; the same move for a missing benefit or output
 *   is our reading, written into the README.
 * Per indicator with weight w, actual a, target t:
 * - `>=`: t = 0 → w; a ≥ t → w; else w × max(a, 0) / t (a negative target that is missed: 0);
 * - `<=`: t = 0 → w if a ≤ 0, else 0; a ≤ t → w; t < a < 2t → w × (2t − a) / t; a ≥ 2t → 0;
 * - `=`: a = t → w, else as `>=`;
 * - qualitative: a band and a percentage within it — achieved 80–100, partial 60–79, missed
 *   0–59 — scores w × pct / 100; a percentage outside its band is a problem (400).
 * Everything is exact (BigInt fractions); the total is rounded down once, to hundredths
 * (`scoreCp`, 0–10000). Grades on the exact total: 优 ≥ [90], 良 ≥ [80], 中 ≥ [60], else 差.
 *
 * Worked example (defaults): execution 9,000,000 of 10,000,000 → 9; output one `>=` indicator
 * 8 of 10 → 40; benefit one `<=` indicator 120 against 100 → 30 × (200 − 120) / 100 = 24;
 * satisfaction one `>=` 95 of 90 → 10; total 83 → scoreCp 8300, 良.
 */
import type { FieldProblem } from '../errors';
import { add, cmp, div, type Fraction, floorTimes, frac, fromNumber, mul, sub, sum, toDecimal, toExact, ZERO } from '../fraction';
import type { Direction, Level1 } from '../indicators';
import type { Policy } from '../policy';

export type SelfEvaluationPolicy = Policy['selfEvaluation'];
export type GradePolicy = SelfEvaluationPolicy['grades'];

export const BANDS = { achieved: [80, 100], partial: [60, 79], missed: [0, 59] } as const;
export type Band = keyof typeof BANDS;
export const BAND_ZH: Record<Band, string> = { achieved: '达成', partial: '部分达成', missed: '未达成' };

export type ScoreGrade = '优' | '良' | '中' | '差';
export type ScoredLevel = 'output' | 'benefit' | 'satisfaction';
const LEVELS: ScoredLevel[] = ['output', 'benefit', 'satisfaction'];

export type Actual = { value: number } | { band: Band; pct: number };

export interface IndicatorToScore {
  index: number;
  name: string;
  level1: Level1;
  direction?: Direction;
  targetValue?: number | string;
  actual?: Actual;
  /** Where a problem with this indicator is reported (e.g. body.indicators[2]). */
  path: string;
}

export interface DerivationLine {
  part: 'execution' | ScoredLevel;
  index?: number;
  name: string;
  /** Exact ("50/3") and for people ("16.6666"). */
  weight: string;
  weightExact: string;
  actual?: number | string;
  target?: number | string;
  formula: string;
  points: string;
  pointsExact: string;
}

export type SelfEvaluationOutcome =
  | { outcome: 'scored'; scoreCp: number; grade: ScoreGrade; total: string; weights: Record<'execution' | ScoredLevel, string>; breakdown: DerivationLine[] }
  | { outcome: 'invalid'; problems: FieldProblem[] };

/** 优/良/中/差 of an exact total, from the policy's thresholds (points out of 100). */
export function gradeOf(total: Fraction, grades: GradePolicy): ScoreGrade {
  if (cmp(total, frac(grades.excellent)) >= 0) return '优';
  if (cmp(total, frac(grades.good)) >= 0) return '良';
  if (cmp(total, frac(grades.fair)) >= 0) return '中';
  return '差';
}

/** The weight of each level-1 after missing ones moved pro rata. */
export function levelWeights(present: Set<ScoredLevel>, w: SelfEvaluationPolicy['weights']): Record<ScoredLevel, Fraction> {
  const base: Record<ScoredLevel, Fraction> = { output: frac(w.output), benefit: frac(w.benefit), satisfaction: frac(w.satisfaction) };
  const missing = sum(LEVELS.filter((l) => !present.has(l)).map((l) => base[l]));
  const kept = sum(LEVELS.filter((l) => present.has(l)).map((l) => base[l]));
  const out = { output: ZERO, benefit: ZERO, satisfaction: ZERO };
  for (const l of LEVELS) {
    if (!present.has(l)) continue;
    out[l] = kept.n === 0n ? base[l] : add(base[l], div(mul(missing, base[l]), kept));
  }
  return out;
}

export const levelOf = (level1: Level1): ScoredLevel => (level1 === 'cost' ? 'output' : level1);

function numeric(v: number | string | undefined): Fraction | undefined {
  if (typeof v === 'number') return fromNumber(v);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return fromNumber(Number(v.trim()));
  return undefined;
}

/** One indicator's points (or the problem that stops it being scored). */
export function indicatorPoints(i: IndicatorToScore, w: Fraction): { points: Fraction; formula: string } | FieldProblem {
  if (!i.actual) return { path: i.path, message: `指标“${i.name}”缺少实际值 (indicator ${i.index} has no actual value)` };
  if (i.direction === 'qualitative' || i.direction === undefined) {
    if (!('band' in i.actual))
      return { path: i.path, message: `指标“${i.name}”为定性指标：请给出档次 band 与百分比 pct (a qualitative indicator takes band and pct)` };
    const [lo, hi] = BANDS[i.actual.band];
    if (!Number.isInteger(i.actual.pct) || i.actual.pct < lo || i.actual.pct > hi) {
      return { path: `${i.path}.pct`, message: `${BAND_ZH[i.actual.band]}（${i.actual.band}）的百分比须在 ${lo}–${hi} 之间，收到 ${i.actual.pct}` };
    }
    return { points: div(mul(w, frac(i.actual.pct)), frac(100)), formula: `qualitative ${i.actual.band} ${i.actual.pct}%: w × ${i.actual.pct} / 100` };
  }
  if (!('value' in i.actual)) return { path: i.path, message: `指标“${i.name}”为定量指标：请给出实际值 actual (a quantitative indicator takes actual)` };
  const t = numeric(i.targetValue);
  if (!t)
    return { path: i.path, message: `指标“${i.name}”的目标值不是数值，无法按 ${i.direction} 计分 (target ${JSON.stringify(i.targetValue)} is not a number)` };
  const a = fromNumber(i.actual.value);
  const zero = t.n === 0n;
  const atLeast = (): { points: Fraction; formula: string } => {
    if (zero) return { points: w, formula: 't = 0 → w' };
    if (cmp(a, t) >= 0) return { points: w, formula: 'a ≥ t → w' };
    if (t.n < 0n) return { points: ZERO, formula: 'a < t < 0 → 0' };
    const kept = a.n < 0n ? ZERO : a;
    return { points: div(mul(w, kept), t), formula: 'a < t → w × max(a, 0) / t' };
  };
  switch (i.direction) {
    case '>=':
      return atLeast();
    case '=':
      return cmp(a, t) === 0 ? { points: w, formula: 'a = t → w' } : { ...atLeast(), formula: `a ≠ t, as >=: ${atLeast().formula}` };
    case '<=': {
      if (zero) return a.n <= 0n ? { points: w, formula: 't = 0, a ≤ 0 → w' } : { points: ZERO, formula: 't = 0, a > 0 → 0' };
      if (cmp(a, t) <= 0) return { points: w, formula: 'a ≤ t → w' };
      const twice = mul(t, frac(2));
      if (cmp(a, twice) >= 0) return { points: ZERO, formula: 'a ≥ 2t → 0' };
      return { points: div(mul(w, sub(twice, a)), t), formula: 't < a < 2t → w × (1 − (a − t) / t)' };
    }
  }
}

function executionLine(budgetFen: number, spentFen: number, weight: number): DerivationLine & { value: Fraction } {
  const w = frac(weight);
  const spent = Math.max(0, spentFen);
  let value: Fraction;
  let formula: string;
  if (budgetFen <= 0) [value, formula] = [w, 'budget 0 → w'];
  else if (spent >= budgetFen) [value, formula] = [w, 'spent ≥ budget → w'];
  else [value, formula] = [div(mul(w, frac(spent)), frac(budgetFen)), 'w × spent / budget'];
  return {
    part: 'execution',
    name: '预算执行率',
    weight: toDecimal(w),
    weightExact: toExact(w),
    actual: spentFen,
    target: budgetFen,
    formula,
    points: toDecimal(value),
    pointsExact: toExact(value),
    value,
  };
}

export function scoreSelfEvaluation(
  input: { budgetFen: number; spentFen: number; indicators: IndicatorToScore[] },
  policy: SelfEvaluationPolicy,
): SelfEvaluationOutcome {
  const present = new Set(input.indicators.map((i) => levelOf(i.level1)));
  const weights = levelWeights(present, policy.weights);
  const counts = { output: 0, benefit: 0, satisfaction: 0 };
  for (const i of input.indicators) counts[levelOf(i.level1)]++;
  const exec = executionLine(input.budgetFen, input.spentFen, policy.weights.execution);
  const { value: execPoints, ...execLine } = exec;
  const lines: DerivationLine[] = [execLine];
  const problems: FieldProblem[] = [];
  let total = execPoints;
  for (const i of input.indicators) {
    const level = levelOf(i.level1);
    const w = div(weights[level], frac(counts[level]));
    const r = indicatorPoints(i, w);
    if ('path' in r) {
      problems.push(r);
      continue;
    }
    total = add(total, r.points);
    const actual = i.actual && ('value' in i.actual ? i.actual.value : `${i.actual.band} ${i.actual.pct}%`);
    lines.push({
      part: level,
      index: i.index,
      name: i.name,
      weight: toDecimal(w),
      weightExact: toExact(w),
      ...(actual !== undefined ? { actual } : {}),
      ...(i.targetValue !== undefined ? { target: i.targetValue } : {}),
      formula: r.formula,
      points: toDecimal(r.points),
      pointsExact: toExact(r.points),
    });
  }
  if (problems.length > 0) return { outcome: 'invalid', problems };
  return {
    outcome: 'scored',
    scoreCp: Number(floorTimes(total, 100n)),
    grade: gradeOf(total, policy.grades),
    total: toExact(total),
    weights: {
      execution: toDecimal(frac(policy.weights.execution)),
      output: toDecimal(weights.output),
      benefit: toDecimal(weights.benefit),
      satisfaction: toDecimal(weights.satisfaction),
    },
    breakdown: lines,
  };
}
