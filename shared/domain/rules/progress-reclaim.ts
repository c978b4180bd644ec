/**
 * SPEC §3.6 — the September 80% rule (9月底支出进度未达80%，按比例收回).
 *
 * As of the policy's date [09-30], a leaf project that is not exempt and whose spending lags
 * the threshold (`spent × 10000 < budget × thresholdBp`) loses
 *
 *     floor((budget × thresholdBp − spent × 10000) × ratioBp / 10^8)   fen
 *
 * — the lag behind the threshold times the reclaim ratio, rounded down. `spent` is the
 * spending as of the date (payments minus refunds dated on or before it). The amount is then
 * capped so that the budget after is never below what has been spent *now* (payments booked
 * after the as-of date count against the cap, not against the rule). A zero budget loses
 * nothing. Every number comes from the year's policy.
 *
 * Worked example (defaults): budget 100,000,000, spent 60,000,000 → progress 6000 bp;
 * (100,000,000 × 8000 − 60,000,000 × 10000) × 10000 / 10^8 = 20,000,000 reclaimed, budget after
 * 80,000,000.
 */
import type { Policy } from '../policy';
import type { FundSource } from '../project';
import { FULL_BP, type Fen, progressBp } from '../money';

export type ProgressReclaimPolicy = Policy['progressReclaim'];

export interface ProgressReclaimInput {
  budgetFen: Fen;
  /** Payments minus refunds dated on or before the as-of date. */
  spentAsOfFen: Fen;
  /** Everything spent so far, whatever its date: the budget after never goes below it. */
  spentNowFen: Fen;
  fundSource: FundSource;
  /** An approved exemption for PROGRESS_RECLAIM. */
  exempted: boolean;
}

export type ProgressReclaimOutcome =
  | 'reclaim'
  | 'exempt-fund-source'
  | 'exempted'
  | 'zero-budget'
  | 'on-track'
  /** Lagging by less than what rounds to one fen (after the ratio). */
  | 'under-one-fen'
  /** Lagging, but everything above what is spent now is already gone (the cap leaves 0). */
  | 'nothing-left';

export interface ProgressReclaimFigures {
  budgetFen: Fen;
  spentAsOfFen: Fen;
  spentNowFen: Fen;
  progressBp: number;
  thresholdBp: number;
  ratioBp: number;
  /** The lag behind the threshold in fen, rounded down: floor((budget × thresholdBp − spent × 10000) / 10000). */
  lagFen: Fen;
  /** What the formula gives before the cap at spent-now. */
  formulaFen: Fen;
}

export interface ProgressReclaimResult {
  outcome: ProgressReclaimOutcome;
  amountFen: Fen;
  budgetAfterFen: Fen;
  figures: ProgressReclaimFigures;
}

const BP2 = 100_000_000n; // 10^8 = 10000 (spent scale) × 10000 (ratio scale)

export function progressReclaim(input: ProgressReclaimInput, policy: ProgressReclaimPolicy): ProgressReclaimResult {
  const budget = Math.max(0, input.budgetFen);
  const spentAsOf = Math.max(0, input.spentAsOfFen);
  const spentNow = Math.max(0, input.spentNowFen);
  const gapScaled = BigInt(budget) * BigInt(policy.thresholdBp) - BigInt(spentAsOf) * BigInt(FULL_BP);
  const lagging = budget > 0 && gapScaled > 0n;
  const formulaFen = lagging ? Number((gapScaled * BigInt(policy.ratioBp)) / BP2) : 0;
  const figures: ProgressReclaimFigures = {
    budgetFen: budget,
    spentAsOfFen: spentAsOf,
    spentNowFen: spentNow,
    progressBp: progressBp(spentAsOf, budget),
    thresholdBp: policy.thresholdBp,
    ratioBp: policy.ratioBp,
    lagFen: lagging ? Number(gapScaled / BigInt(FULL_BP)) : 0,
    formulaFen,
  };
  const none = (outcome: ProgressReclaimOutcome): ProgressReclaimResult => ({ outcome, amountFen: 0, budgetAfterFen: budget, figures });

  if (policy.exemptFundSources.includes(input.fundSource)) return none('exempt-fund-source');
  if (input.exempted) return none('exempted');
  if (budget === 0) return none('zero-budget');
  if (!lagging) return none('on-track');
  if (formulaFen === 0) return none('under-one-fen');
  const amountFen = Math.min(formulaFen, Math.max(0, budget - spentNow));
  if (amountFen <= 0) return none('nothing-left');
  return { outcome: 'reclaim', amountFen, budgetAfterFen: budget - amountFen, figures };
}
