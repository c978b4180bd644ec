/**
 * SPEC §3.8 — idle funds, swept at each quarter end (沉淀资金清理). Pure: the records, the
 * as-of date and the year's `idleFunds` policy come in; what to reclaim, with the figures it
 * was computed from, goes out. Every number comes from the policy.
 *
 * - Carryover funds (结转资金) are reclaimed whole by the first sweep on or after 12-31 of year
 *   `originYear + carryoverYears` (CARRYOVER_RECLAIM).
 * - Payables (往来款) unpaid for MORE than `payableYears` years are reclaimed whole
 *   (STALE_PAYABLE_RECLAIM): strictly after the `payableYears`-th anniversary of `since`.
 * - Unit account balances (单位实有账户资金) with no movement for `idleBalanceMonths` months or
 *   more are reclaimed whole (IDLE_BALANCE_RECLAIM): on or after that month-anniversary.
 * - Deferrable projects (可暂缓实施项目) of the year: at the end of quarter q the time benchmark
 *   is `min(q × deferrableQuarterBp, 10000)`; the lag of spending (as of) behind it, rounded
 *   down, is reclaimed (DEFERRABLE_RECLAIM); from quarter `deferrableZeroSpendFromQuarter` on, a
 *   project that has spent nothing loses its whole remaining budget. Never below what has been
 *   spent.
 */
import { addDays, type IsoDate, lastDayOfMonth, monthsBetween, yearOf, yearsBetween } from '../dates';
import { type Fen, FULL_BP, progressBp } from '../money';
import type { Policy } from '../policy';

export type IdleFundsPolicy = Policy['idleFunds'];

export interface Reclaim {
  amountFen: Fen;
  /** The figures it was computed from, for the ledger entry (and, in words, the email: email-lines.ts). */
  figures: Record<string, number | string | boolean>;
}

/** The quarter an as-of date ends: its position in `quarterEnds` (1-based), or undefined. */
export function quarterOf(asOf: IsoDate, policy: IdleFundsPolicy): number | undefined {
  const i = policy.quarterEnds.indexOf(asOf.slice(5));
  return i < 0 ? undefined : i + 1;
}

/** The sweep dates of a year. */
export function sweepDates(policy: IdleFundsPolicy, year: number): IsoDate[] {
  return policy.quarterEnds.map((md) => `${year}-${md}`);
}

// ---------------------------------------------------------------- carryovers

/** From this date on, a carryover of `originYear` is due. */
export function carryoverDueDate(originYear: number, policy: IdleFundsPolicy): IsoDate {
  return `${originYear + policy.carryoverYears}-12-31`;
}

/** The latest origin year due as of a date: the sweep reads origin years up to this one. */
export function maxDueOriginYear(asOf: IsoDate, policy: IdleFundsPolicy): number {
  const year = yearOf(asOf);
  const lastFullYear = asOf >= `${year}-12-31` ? year : year - 1;
  return lastFullYear - policy.carryoverYears;
}

export function carryoverReclaim(c: { originYear: number; balanceFen: Fen }, asOf: IsoDate, policy: IdleFundsPolicy): Reclaim | undefined {
  const dueDate = carryoverDueDate(c.originYear, policy);
  if (asOf < dueDate || c.balanceFen <= 0) return undefined;
  return {
    amountFen: c.balanceFen,
    figures: { originYear: c.originYear, carryoverYears: policy.carryoverYears, dueDate, balanceFen: c.balanceFen },
  };
}

// ---------------------------------------------------------------- payables

/** The `years`-th anniversary of a date (02-29 → 02-28 in a common year). */
export function anniversary(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = Math.min(d, lastDayOfMonth(y + years, m));
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * "Unpaid for more than N years" as of a date: N whole years had already passed the day
 * before, i.e. the N-th anniversary of `since` lies strictly before `asOf`. Exactly N years
 * (as-of on the anniversary) is not more than N.
 */
export function isStalePayable(since: IsoDate, asOf: IsoDate, years: number): boolean {
  return yearsBetween(since, addDays(asOf, -1)) >= years;
}

/**
 * Every payable stale as of `asOf` has `since` < this date (and some not yet stale do too:
 * the sweep's index is read up to here and the rule decides). Same month-day, N years back.
 */
export function payableCandidatesBefore(asOf: IsoDate, years: number): string {
  return `${String(yearOf(asOf) - years).padStart(4, '0')}${asOf.slice(4)}`;
}

export function stalePayableReclaim(p: { since: IsoDate; amountFen: Fen }, asOf: IsoDate, policy: IdleFundsPolicy): Reclaim | undefined {
  if (p.amountFen <= 0 || !isStalePayable(p.since, asOf, policy.payableYears)) return undefined;
  const limitDate = anniversary(p.since, policy.payableYears);
  return {
    amountFen: p.amountFen,
    figures: { since: p.since, payableYears: policy.payableYears, limitDate, yearsUnpaid: yearsBetween(p.since, asOf), amountFen: p.amountFen },
  };
}

// ---------------------------------------------------------------- account balances

/** "No movement for M months" as of a date: M whole months since the last movement. */
export function isIdleBalance(lastMovementDate: IsoDate, asOf: IsoDate, months: number): boolean {
  return monthsBetween(lastMovementDate, asOf) >= months;
}

/**
 * Every balance idle as of `asOf` moved last before this date (the first day of the month
 * after the month M months back); the rule decides within it.
 */
export function balanceCandidatesBefore(asOf: IsoDate, months: number): string {
  const index = yearOf(asOf) * 12 + (Number(asOf.slice(5, 7)) - 1) - months + 1;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

export function idleBalanceReclaim(a: { lastMovementDate: IsoDate; balanceFen: Fen }, asOf: IsoDate, policy: IdleFundsPolicy): Reclaim | undefined {
  if (a.balanceFen <= 0 || !isIdleBalance(a.lastMovementDate, asOf, policy.idleBalanceMonths)) return undefined;
  const monthsIdle = monthsBetween(a.lastMovementDate, asOf);
  return {
    amountFen: a.balanceFen,
    figures: { lastMovementDate: a.lastMovementDate, idleBalanceMonths: policy.idleBalanceMonths, monthsIdle, balanceFen: a.balanceFen },
  };
}

// ---------------------------------------------------------------- deferrable projects

export interface DeferrableProject {
  /** The budget in force (after earlier deductions). */
  budgetFen: Fen;
  /** Spending now: the deduction never takes the budget below it. */
  spentFen: Fen;
  /** Payments minus refunds dated on or before the as-of date. */
  spentAsOfFen: Fen;
}

/** The time benchmark at the end of quarter q: q × deferrableQuarterBp, at most 100%. */
export function deferrableBenchmarkBp(quarter: number, policy: IdleFundsPolicy): number {
  return Math.min(quarter * policy.deferrableQuarterBp, FULL_BP);
}

/**
 * What a deferrable project loses at the end of quarter q:
 *   lag = floor((budget × benchmark − spentAsOf × 10000) / 10^4), when positive;
 *   from quarter `deferrableZeroSpendFromQuarter` on, nothing spent (as of) → the whole
 *   remaining budget (budget − spent);
 * and never more than budget − spent, so the budget never falls below spending.
 */
export function deferrableReclaim(p: DeferrableProject, quarter: number, policy: IdleFundsPolicy): Reclaim | undefined {
  if (p.budgetFen <= 0) return undefined;
  const benchmarkBp = deferrableBenchmarkBp(quarter, policy);
  const lag = BigInt(p.budgetFen) * BigInt(benchmarkBp) - BigInt(p.spentAsOfFen) * BigInt(FULL_BP);
  const lagFen = lag > 0n ? Number(lag / BigInt(FULL_BP)) : 0;
  const zeroSpend = quarter >= policy.deferrableZeroSpendFromQuarter && p.spentAsOfFen === 0;
  const room = Math.max(0, p.budgetFen - p.spentFen);
  const wanted = zeroSpend ? room : lagFen;
  const amountFen = Math.min(wanted, room);
  if (amountFen <= 0) return undefined;
  const progress = progressBp(Math.max(0, p.spentAsOfFen), p.budgetFen);
  return {
    amountFen,
    figures: {
      quarter,
      benchmarkBp,
      budgetFen: p.budgetFen,
      spentAsOfFen: p.spentAsOfFen,
      spentFen: p.spentFen,
      progressBp: progress,
      lagFen,
      zeroSpend,
    },
  };
}
