/**
 * SPEC §3.4 — target review (绩效目标审核; 财预〔2015〕88号): the lint every save and submit
 * runs, and the cut a failed review makes (修改不合格的直接压减预算安排, TARGET_REVIEW_CUT).
 *
 * Lint: a target needs a goal, an output and a benefit indicator (and a satisfaction one for
 * the policy's public-facing categories); every quantitative indicator a unit, a number and a
 * direction; and where unit cost × quantity is given, it must match the budget within
 * ±costToleranceBp — exactly, in BigInt: |cost − budget| × 10000 ≤ budget × toleranceBp.
 *
 * Cut: each leaf project loses floor(budget × cutBp / 10000), never going below what it has
 * spent. A level-1 target's cut falls on each of its leaves. Every number comes from the
 * year's policy `targetReview`.
 *
 * Worked example (defaults, cutBp 10000): budget 50,000,000 fen, spent 10,000,000, rejected →
 * wanted 50,000,000, room above spending 40,000,000 → cut 40,000,000, budget after 10,000,000.
 * At cutBp 5000 the same leaf loses 25,000,000 (budget after 25,000,000).
 */
import type { Level1 } from '../indicators';
import { type Bp, type Fen, FULL_BP, formatYuan, mulDivFloor } from '../money';
import type { Policy } from '../policy';
import { type LintProblem, QUANTITY_DECIMALS, QUANTITY_PATTERN, type TargetIndicator, type TargetKind } from '../targets';

export type TargetReviewPolicy = Policy['targetReview'];

const QUANTITY_SCALE = 10n ** BigInt(QUANTITY_DECIMALS);

// ------------------------------------------------------------------ lint

export interface LintSubject {
  kind: TargetKind;
  /** The project's category (projects only): decides whether satisfaction is required. */
  category?: string;
  goal: string;
  indicators: TargetIndicator[];
  /** The budget the cost match compares with: a leaf's budget, a level-1's children's sum. */
  budgetFen: Fen;
}

/** quantity × 10^4 as an exact integer (quantities have at most 4 decimals). */
export function scaledQuantity(q: number): bigint {
  const text = String(q);
  if (!QUANTITY_PATTERN.test(text)) throw new RangeError(`quantity ${text} has more than ${QUANTITY_DECIMALS} decimals`);
  const [whole, frac = ''] = text.split('.') as [string, string?];
  return BigInt(whole) * QUANTITY_SCALE + BigInt(frac.padEnd(QUANTITY_DECIMALS, '0'));
}

export interface CostMatch {
  /** Σ unit cost × quantity, exact, in 1/10^4 fen. */
  costScaled: bigint;
  /** The same, rounded down to a whole fen, for people. */
  costFen: Fen;
  budgetFen: Fen;
  /** |cost − budget| / budget in bp, rounded down (10000 for a zero budget with a cost). */
  deviationBp: Bp;
  within: boolean;
}

/**
 * Unit cost × quantity summed over the indicators that give both, against the budget:
 * within when |cost − budget| × 10000 ≤ budget × toleranceBp — exactly, in BigInt, so a cost
 * exactly 10% off passes and one fen further does not.
 */
export function costMatch(indicators: TargetIndicator[], budgetFen: Fen, toleranceBp: Bp): CostMatch | undefined {
  let cost = 0n;
  let any = false;
  for (const i of indicators) {
    if (i.unitCostFen === undefined || i.quantity === undefined) continue;
    cost += BigInt(i.unitCostFen) * scaledQuantity(i.quantity);
    any = true;
  }
  if (!any) return undefined;
  const budget = BigInt(budgetFen) * QUANTITY_SCALE;
  const diff = cost > budget ? cost - budget : budget - cost;
  const within = diff * BigInt(FULL_BP) <= budget * BigInt(toleranceBp);
  const deviationBp = budget === 0n ? (diff === 0n ? 0 : FULL_BP) : Number((diff * BigInt(FULL_BP)) / budget);
  return { costScaled: cost, costFen: Number(cost / QUANTITY_SCALE), budgetFen, deviationBp, within };
}

type Report = {
  error: (code: string, path: string, message: string, figures?: LintProblem['figures']) => void;
  warning: (code: string, path: string, message: string) => void;
};

export function lintTarget(t: LintSubject, policy: TargetReviewPolicy): LintProblem[] {
  const out: LintProblem[] = [];
  const report: Report = {
    error: (code, path, message, figures) => out.push({ code, path, message, severity: 'error', ...(figures ? { figures } : {}) }),
    warning: (code, path, message) => out.push({ code, path, message, severity: 'warning' }),
  };
  lintShape(t, policy, report);
  const seen = new Map<string, number>();
  t.indicators.forEach((ind, n) => {
    lintIndicator(ind, n, seen, report);
  });
  lintCost(t, policy, report);
  return out;
}

function lintShape(t: LintSubject, policy: TargetReviewPolicy, { error }: Report): void {
  if (t.goal.trim() === '') error('NO_GOAL', 'goal', 'the target needs a goal (绩效目标)');
  const has = (level1: Level1) => t.indicators.some((i) => i.level1 === level1);
  if (!has('output')) error('NO_OUTPUT', 'indicators', 'at least one output indicator (产出指标) is needed');
  if (!has('benefit')) error('NO_BENEFIT', 'indicators', 'at least one benefit indicator (效益指标) is needed');
  if (t.kind === 'project' && t.category && (policy.satisfactionCategories as string[]).includes(t.category) && !has('satisfaction')) {
    error('NO_SATISFACTION', 'indicators', `a ${t.category} project serves the public: a satisfaction indicator (满意度指标) is needed`);
  }
}

function lintIndicator(ind: TargetIndicator, n: number, seen: Map<string, number>, { error, warning }: Report): void {
  const at = (field: string) => `indicators[${n}].${field}`;
  const key = ind.code ?? `${ind.level1}#${ind.level2}#${ind.name}`;
  const first = seen.get(key);
  if (first !== undefined) warning('DUPLICATE_INDICATOR', at(ind.code ? 'code' : 'name'), `the same indicator as indicators[${first}]`);
  else seen.set(key, n);

  if (ind.direction === undefined) {
    error('MISSING_DIRECTION', at('direction'), 'give a direction: >=, <=, = or qualitative');
    if (ind.targetValue === undefined) error('MISSING_TARGET_VALUE', at('targetValue'), 'give a target value');
    return;
  }
  if (ind.direction === 'qualitative') {
    if (ind.targetValue === undefined || ind.targetValue === '')
      error('MISSING_TARGET_VALUE', at('targetValue'), 'a qualitative indicator needs its target in words');
    return;
  }
  if (!ind.unit) error('MISSING_UNIT', at('unit'), 'a quantitative indicator needs a unit');
  if (ind.targetValue === undefined) error('MISSING_TARGET_VALUE', at('targetValue'), 'a quantitative indicator needs a target value');
  else if (typeof ind.targetValue !== 'number')
    error('TARGET_NOT_A_NUMBER', at('targetValue'), `a quantitative indicator needs a number, not "${ind.targetValue}"`);
  else if (ind.benchmark !== undefined) {
    if (ind.direction === '>=' && ind.targetValue < ind.benchmark)
      warning('BELOW_BENCHMARK', at('targetValue'), `below the library's benchmark ${ind.benchmark}`);
    if (ind.direction === '<=' && ind.targetValue > ind.benchmark)
      warning('BELOW_BENCHMARK', at('targetValue'), `worse than the library's benchmark ${ind.benchmark}`);
  }
  if ((ind.unitCostFen === undefined) !== (ind.quantity === undefined)) {
    warning(
      'COST_INCOMPLETE',
      at(ind.unitCostFen === undefined ? 'unitCostFen' : 'quantity'),
      'give both unitCostFen and quantity for the cost match, or neither',
    );
  }
}

function lintCost(t: LintSubject, policy: TargetReviewPolicy, { error }: Report): void {
  const match = costMatch(t.indicators, t.budgetFen, policy.costToleranceBp);
  if (!match || match.within) return;
  error(
    'COST_MISMATCH',
    'indicators',
    `unit cost × quantity is ${formatYuan(match.costFen)} against a budget of ${formatYuan(t.budgetFen)}: ${(match.deviationBp / 100).toFixed(2)}% off, more than the ±${(policy.costToleranceBp / 100).toFixed(2)}% allowed (与资金不匹配)`,
    { costFen: match.costFen, budgetFen: t.budgetFen, deviationBp: match.deviationBp, toleranceBp: policy.costToleranceBp },
  );
}

export const lintBlocks = (lint: LintProblem[]) => lint.some((l) => l.severity === 'error');

// ------------------------------------------------------------------ the cut

/**
 * The cut of one leaf: cutBp of its budget, rounded down, never below what has been spent.
 * Worked example: budget 12,345,678 fen, spent 2,000,000, cutBp 10000 → 10,345,678 fen cut,
 * budget after 2,000,000.
 */
export function leafCut(leaf: { budgetFen: Fen; spentFen: Fen }, cutBp: Bp): { amountFen: Fen; budgetAfterFen: Fen } {
  const wanted = mulDivFloor(leaf.budgetFen, cutBp, FULL_BP);
  const room = Math.max(0, leaf.budgetFen - leaf.spentFen);
  const amountFen = Math.min(wanted, room);
  return { amountFen, budgetAfterFen: leaf.budgetFen - amountFen };
}

export type TargetReviewCutOutcome = 'cut' | 'zero-budget' | 'nothing-left' | 'under-one-fen';

export interface TargetReviewCutResult {
  outcome: TargetReviewCutOutcome;
  amountFen: Fen;
  budgetAfterFen: Fen;
}

/** The cut of a leaf under the cutBp a review decided (the policy's at the time of the review). */
export function targetReviewCut(leaf: { budgetFen: Fen; spentFen: Fen }, policy: Pick<TargetReviewPolicy, 'cutBp'>): TargetReviewCutResult {
  const { amountFen, budgetAfterFen } = leafCut(leaf, policy.cutBp);
  if (amountFen > 0) return { outcome: 'cut', amountFen, budgetAfterFen };
  const outcome = leaf.budgetFen <= 0 ? 'zero-budget' : leaf.spentFen >= leaf.budgetFen ? 'nothing-left' : 'under-one-fen';
  return { outcome, amountFen: 0, budgetAfterFen: leaf.budgetFen };
}
