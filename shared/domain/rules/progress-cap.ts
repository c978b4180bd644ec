/**
 * SPEC §3.7 — the November 90% rule (11月支出进度低于90%，下一年按实际执行数安排预算).
 *
 * 1. As of the policy's date [11-30], a leaf project whose spending as of that date is below
 *    the threshold (`spent × 10000 < budget × thresholdBp`, exact) is flagged
 *    `NEXT_YEAR_AT_ACTUAL`. A zero budget is never flagged (its progress is 100%).
 * 2. As of 12-31 the flag becomes a cap: the year's actual spending (payments minus refunds
 *    dated in the year, i.e. spent as of 12-31).
 * 3. A next-year project that continues a capped one (`continuesProjectId`) and has a budget
 *    above the cap is cut to the cap (`NEXT_YEAR_CAP`), never below what it has spent. When the
 *    continuing project is a level-1 with children, the cap is shared among its leaves in
 *    proportion to their budgets (largest remainder, so the shares add up to the cap exactly)
 *    and each leaf is cut to its share.
 *
 * Worked example (defaults): budget 50,000,000, spent 44,999,999 as of 11-30 → 8999 bp, below
 * 9000 → flagged; spent 46,000,000 by 12-31 → cap 46,000,000; next year's continuation asks
 * 60,000,000 → cut 14,000,000 to 46,000,000.
 */
import type { Policy } from '../policy';
import { type Fen, isBelowBp, progressBp } from '../money';

export const NEXT_YEAR_AT_ACTUAL = 'NEXT_YEAR_AT_ACTUAL';

export type ProgressCapPolicy = Policy['progressCap'];

export interface ProgressCapFlag {
  flag: boolean;
  figures: { budgetFen: Fen; spentAsOfFen: Fen; progressBp: number; thresholdBp: number };
}

/** Step 1: is this leaf below the threshold as of the flag date? */
export function progressCapFlag(input: { budgetFen: Fen; spentAsOfFen: Fen }, policy: ProgressCapPolicy): ProgressCapFlag {
  const budget = Math.max(0, input.budgetFen);
  const spent = Math.max(0, input.spentAsOfFen);
  return {
    flag: isBelowBp(spent, budget, policy.thresholdBp),
    figures: { budgetFen: budget, spentAsOfFen: spent, progressBp: progressBp(spent, budget), thresholdBp: policy.thresholdBp },
  };
}

/** Step 2: the cap a flagged project leaves to its continuation: the year's actual spending. */
export function nextYearCap(spentAsOfYearEndFen: Fen): Fen {
  return Math.max(0, spentAsOfYearEndFen);
}

export interface CapCut {
  amountFen: Fen;
  budgetAfterFen: Fen;
}

/** Step 3 for one leaf: cut to the allowance, never below what it has spent. */
export function capCut(input: { budgetFen: Fen; spentFen: Fen; allowanceFen: Fen }): CapCut {
  const floor = Math.max(input.allowanceFen, input.spentFen, 0);
  if (input.budgetFen <= floor) return { amountFen: 0, budgetAfterFen: input.budgetFen };
  return { amountFen: input.budgetFen - floor, budgetAfterFen: floor };
}

/**
 * Step 3 for a level-1 with children: the cap shared among the leaves in proportion to their
 * budgets. Largest remainder (ties: the order given), so the shares add up to exactly
 * min(cap, total) and no leaf's share is above its budget.
 */
export function shareCap(capFen: Fen, budgetsFen: Fen[]): Fen[] {
  const total = budgetsFen.reduce((s, b) => s + Math.max(0, b), 0);
  if (total <= capFen) return budgetsFen.map((b) => Math.max(0, b));
  if (total === 0) return budgetsFen.map(() => 0);
  const cap = BigInt(Math.max(0, capFen));
  const t = BigInt(total);
  const shares = budgetsFen.map((b) => (cap * BigInt(Math.max(0, b))) / t);
  const remainders = budgetsFen.map((b, i) => ({ i, r: (cap * BigInt(Math.max(0, b))) % t }));
  let left = Number(cap - shares.reduce((s, x) => s + x, 0n));
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0) break;
    shares[i] = (shares[i] as bigint) + 1n;
    left--;
  }
  return shares.map(Number);
}
