/**
 * How a demo leaf project spends its year. Each leaf follows a spending profile: cumulative
 * targets (in basis points of the budget in force) at the end of five periods. As the year
 * goes, the money rules of the policy (§3.6 September reclaim, §3.8 deferrable sweeps) are
 * applied to a *modelled* budget, and later payments stay within it. So the seeded year is
 * what departments would have spent had the rules been applied on time: replaying the jobs
 * over it reclaims exactly what each rule says, and spending never has to exceed a budget.
 *
 * The seeded project itself keeps its original budget; only the jobs change budgets.
 */
import { type IsoDate, addDays, daysBetween } from '../../shared/domain/dates';
import type { Policy } from '../../shared/domain/policy';
import type { FundSource } from '../../shared/domain/project';
import { REFUND_NOTES } from './names-zh';
import type { Rng } from './prng';

export const PROFILES = ['onTrack', 'slowStart', 'lagSeptember', 'lagBoth', 'lagNovember', 'zero'] as const;
export type Profile = (typeof PROFILES)[number];

/** The period ends (MM-DD) the targets below refer to. */
export const PERIOD_ENDS = ['03-31', '06-30', '09-30', '11-30', '12-31'] as const;

/** [min, max] target bp at each period end. */
const TARGETS: Record<Profile, readonly (readonly [number, number])[]> = {
  /** ≥ 50% by June, ≥ 80% by September, ≥ 90% by November. */
  onTrack: [
    [1500, 3500],
    [5000, 6500],
    [8000, 9000],
    [9000, 9700],
    [9500, 10000],
  ],
  /** Behind in June, caught up by September. */
  slowStart: [
    [500, 1500],
    [3000, 4900],
    [8000, 8600],
    [9000, 9500],
    [9300, 10000],
  ],
  /** Below 80% at September (reclaimed), then ≥ 90% of what is left by November. */
  lagSeptember: [
    [1000, 2500],
    [3000, 4900],
    [6000, 7900],
    [9000, 9600],
    [9500, 10000],
  ],
  /** Below 80% at September and below 90% at November. */
  lagBoth: [
    [500, 2000],
    [2000, 4500],
    [3000, 7900],
    [5000, 8900],
    [6000, 9500],
  ],
  /** On track until September, below 90% at November. */
  lagNovember: [
    [1500, 3000],
    [5000, 6000],
    [8000, 8500],
    [8000, 8900],
    [8500, 9500],
  ],
  /** Nothing spent all year. */
  zero: [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ],
};

export interface Payment {
  date: IsoDate;
  amountFen: number;
  kind: 'payment' | 'refund';
  note?: string;
}

/** A change the modelled rules made to the budget in force. */
export interface ModelEvent {
  date: IsoDate;
  rule: 'PROGRESS_RECLAIM' | 'DEFERRABLE_RECLAIM';
  budgetBeforeFen: number;
  spentFen: number;
  amountFen: number;
}

export interface SpendingPlan {
  payments: Payment[];
  events: ModelEvent[];
  /** Budget in force and spending at each period end, before that date's rules apply. */
  atPeriodEnd: { date: IsoDate; budgetFen: number; spentFen: number }[];
}

export interface LeafInput {
  budgetFen: number;
  deferrable: boolean;
  fundSource: FundSource;
}

/**
 * Payments per period. Kept low on purpose: DynamoDB Local on disk commits every item on its
 * own (about 2 ms each), and the seed should load in seconds.
 */
const PAYMENTS_PER_PERIOD = { '1': 80, '2': 17, '3': 3 } as const;

/** ceil(budget × bp / 10000), exact. */
function share(budgetFen: number, bp: number): number {
  const n = BigInt(budgetFen) * BigInt(bp);
  return Number((n + 9999n) / 10000n);
}

interface RuleAt {
  monthDay: string;
  /** Same-day order: the schedules' order (progress-reclaim 01:20 before idle-funds-sweep 01:40). */
  order: number;
  apply(state: { budgetFen: number; spentFen: number }, leaf: LeafInput): number;
}

/** The money rules of the policy that change a leaf's budget during the year. */
function rulesOf(policy: Policy): RuleAt[] {
  const rules: RuleAt[] = [];
  const pr = policy.progressReclaim;
  rules.push({
    monthDay: pr.date,
    order: 0,
    apply: ({ budgetFen, spentFen }, leaf) => {
      if (pr.exemptFundSources.includes(leaf.fundSource)) return 0;
      const lag = BigInt(budgetFen) * BigInt(pr.thresholdBp) - BigInt(spentFen) * 10000n;
      return lag > 0n ? Number((lag * BigInt(pr.ratioBp)) / 100_000_000n) : 0;
    },
  });
  const idle = policy.idleFunds;
  idle.quarterEnds.forEach((monthDay, i) => {
    const quarter = i + 1;
    rules.push({
      monthDay,
      order: 1,
      apply: ({ budgetFen, spentFen }, leaf) => {
        if (!leaf.deferrable) return 0;
        if (spentFen === 0 && quarter >= idle.deferrableZeroSpendFromQuarter) return budgetFen;
        const bench = Math.min(quarter * idle.deferrableQuarterBp, 10000);
        const lag = BigInt(budgetFen) * BigInt(bench) - BigInt(spentFen) * 10000n;
        return lag > 0n ? Number(lag / 10000n) : 0;
      },
    });
  });
  for (const rule of rules) {
    if (!(PERIOD_ENDS as readonly string[]).includes(rule.monthDay)) {
      throw new Error(`the demo spending model needs rule dates among ${PERIOD_ENDS.join(', ')}; got ${rule.monthDay}`);
    }
  }
  return rules.sort((a, b) => a.order - b.order);
}

export function planSpending(rng: Rng, leaf: LeafInput, profile: Profile, year: number, policy: Policy, withRefund: boolean): SpendingPlan {
  const rules = rulesOf(policy);
  const payments: Payment[] = [];
  const events: ModelEvent[] = [];
  const atPeriodEnd: SpendingPlan['atPeriodEnd'] = [];
  let budgetFen = leaf.budgetFen;
  let spentFen = 0;
  let periodStart: IsoDate = `${year}-01-01`;
  // The refund goes in a period whose target leaves room under the budget for it.
  const refundPeriod = withRefund ? rng.int(0, 2) : -1;

  PERIOD_ENDS.forEach((monthDay, p) => {
    const periodEnd: IsoDate = `${year}-${monthDay}`;
    const [lo, hi] = TARGETS[profile][p] as readonly [number, number];
    const target = Math.max(spentFen, share(budgetFen, rng.int(lo, hi)));
    const amount = target - spentFen;
    if (amount > 0) {
      const count = Math.min(amount, Number(rng.weighted(PAYMENTS_PER_PERIOD)));
      const days = daysBetween(periodStart, periodEnd);
      const dates = Array.from({ length: count }, () =>
        // Spending bunches up before a period closes, as it does in a budget year.
        rng.chance(0.3) ? addDays(periodEnd, -rng.int(0, Math.min(4, days))) : addDays(periodStart, rng.int(0, days)),
      ).sort();
      const weights = dates.map(() => 0.2 + rng.next());
      const total = weights.reduce((s, w) => s + w, 0);
      let left = amount;
      const parts = weights.map((w, i) => {
        const part = i === weights.length - 1 ? left : Math.max(1, Math.min(left - (weights.length - 1 - i), Math.floor((amount * w) / total)));
        left -= part;
        return part;
      });
      const mine: Payment[] = dates.map((date, i) => ({ date, amountFen: parts[i] as number, kind: 'payment' as const }));
      if (p === refundPeriod) {
        const candidate = mine.find((m) => m.date < periodEnd);
        if (candidate) {
          const refund = Math.floor((candidate.amountFen * rng.int(5, 20)) / 100);
          // Paid too much, got it back later in the period: net spending is unchanged.
          if (refund > 0 && target + refund <= budgetFen) {
            candidate.amountFen += refund;
            const date = addDays(candidate.date, rng.int(1, daysBetween(candidate.date, periodEnd)));
            mine.push({ date, amountFen: refund, kind: 'refund', note: rng.pick(REFUND_NOTES) });
          }
        }
      }
      payments.push(...mine);
      spentFen = target;
    }
    atPeriodEnd.push({ date: periodEnd, budgetFen, spentFen });
    for (const rule of rules) {
      if (rule.monthDay !== monthDay) continue;
      const taken = Math.min(rule.apply({ budgetFen, spentFen }, leaf), budgetFen - spentFen);
      if (taken > 0) {
        events.push({
          date: periodEnd,
          rule: rule.order === 0 ? 'PROGRESS_RECLAIM' : 'DEFERRABLE_RECLAIM',
          budgetBeforeFen: budgetFen,
          spentFen,
          amountFen: taken,
        });
        budgetFen -= taken;
      }
    }
    periodStart = addDays(periodEnd, 1);
  });
  payments.sort((a, b) => (a.date === b.date ? (a.kind === b.kind ? 0 : a.kind === 'payment' ? -1 : 1) : a.date.localeCompare(b.date)));
  return { payments, events, atPeriodEnd };
}
