import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { progressReclaim, type ProgressReclaimInput } from '../../shared/domain/rules/progress-reclaim';

const policy = DEFAULT_POLICY.progressReclaim;
const base: ProgressReclaimInput = { budgetFen: 0, spentAsOfFen: 0, spentNowFen: 0, fundSource: 'general', exempted: false };
const run = (budgetFen: number, spentAsOfFen: number, extra: Partial<ProgressReclaimInput> = {}, p = policy) =>
  progressReclaim({ ...base, budgetFen, spentAsOfFen, spentNowFen: spentAsOfFen, ...extra }, p);

describe('SPEC §3.6 progress reclaim (pure)', () => {
  it('reproduces the worked example: 100,000,000 budget, 60,000,000 spent → 20,000,000 reclaimed, 80,000,000 after', () => {
    const r = run(100_000_000, 60_000_000);
    expect(r).toEqual({
      outcome: 'reclaim',
      amountFen: 20_000_000,
      budgetAfterFen: 80_000_000,
      figures: {
        budgetFen: 100_000_000,
        spentAsOfFen: 60_000_000,
        spentNowFen: 60_000_000,
        progressBp: 6000,
        thresholdBp: 8000,
        ratioBp: 10000,
        lagFen: 20_000_000,
        formulaFen: 20_000_000,
      },
    });
  });

  it('takes nothing at exactly 80%, and 1 fen one fen below it', () => {
    expect(run(100_000_000, 80_000_000)).toMatchObject({ outcome: 'on-track', amountFen: 0, budgetAfterFen: 100_000_000 });
    // (100,000,000 × 8000 − 79,999,999 × 10000) × 10000 / 10^8 = 10,000 × 10^4 / 10^8 = 1
    expect(run(100_000_000, 79_999_999)).toMatchObject({ outcome: 'reclaim', amountFen: 1, budgetAfterFen: 99_999_999, figures: { progressBp: 7999 } });
    // A lag below one fen after the ratio rounds down to nothing: budget 1, nothing spent → 0.8 fen.
    expect(run(1, 0)).toMatchObject({ outcome: 'under-one-fen', amountFen: 0 });
    // Budget 5: 80% is exactly 4 fen; 3 spent → 1 fen.
    expect(run(5, 3)).toMatchObject({ outcome: 'reclaim', amountFen: 1, budgetAfterFen: 4 });
    expect(run(5, 4)).toMatchObject({ outcome: 'on-track', amountFen: 0 });
  });

  it('rounds down: 123,456,789 budget, 55,555,555 spent → floor(43,209,876.2) = 43,209,876', () => {
    // 123,456,789 × 0.8 = 98,765,431.2; minus 55,555,555 = 43,209,876.2
    expect(run(123_456_789, 55_555_555)).toMatchObject({ amountFen: 43_209_876, budgetAfterFen: 80_246_913 });
  });

  it('applies the reclaim ratio of the policy, rounding down', () => {
    // lag 20,000,000 × 55.55% = 11,110,000
    const r = run(100_000_000, 60_000_000, {}, { ...policy, ratioBp: 5555 });
    expect(r).toMatchObject({ amountFen: 11_110_000, budgetAfterFen: 88_890_000 });
    // lag 1 fen × 50% = 0.5 fen → 0
    expect(run(100_000_000, 79_999_999, {}, { ...policy, ratioBp: 5000 })).toMatchObject({ outcome: 'under-one-fen', amountFen: 0 });
    expect(run(100_000_000, 60_000_000, {}, { ...policy, thresholdBp: 7000 })).toMatchObject({ amountFen: 10_000_000 });
  });

  it('counts refunds: spent as of the date is payments minus refunds', () => {
    // 70,000,000 paid, 10,000,000 refunded by 09-30 → 60,000,000 as of the date
    expect(run(100_000_000, 70_000_000 - 10_000_000)).toMatchObject({ amountFen: 20_000_000 });
  });

  it('ignores payments dated after the as-of date for the rule, but never leaves the budget below what is spent now', () => {
    // As of 09-30: 10,000,000 spent → lag 70,000,000. By the run, 95,000,000 has been paid (dated 10-xx).
    const r = run(100_000_000, 10_000_000, { spentNowFen: 95_000_000 });
    expect(r).toMatchObject({ outcome: 'reclaim', amountFen: 5_000_000, budgetAfterFen: 95_000_000, figures: { formulaFen: 70_000_000, progressBp: 1000 } });
    expect(run(100_000_000, 10_000_000, { spentNowFen: 100_000_000 })).toMatchObject({ outcome: 'nothing-left', amountFen: 0, budgetAfterFen: 100_000_000 });
  });

  it('never takes from a zero budget, exempt fund sources or approved exemptions', () => {
    expect(run(0, 0)).toMatchObject({ outcome: 'zero-budget', amountFen: 0, figures: { progressBp: 10000 } });
    expect(run(100_000_000, 0, { fundSource: 'central-transfer' }, { ...policy, exemptFundSources: ['central-transfer'] })).toMatchObject({
      outcome: 'exempt-fund-source',
      amountFen: 0,
    });
    expect(run(100_000_000, 0, { fundSource: 'general' }, { ...policy, exemptFundSources: ['central-transfer'] })).toMatchObject({ amountFen: 80_000_000 });
    expect(run(100_000_000, 0, { exempted: true })).toMatchObject({ outcome: 'exempted', amountFen: 0 });
  });

  it('is exact above 2^53: a budget of 9,000,000,000,000,000 fen', () => {
    const budget = 9_000_000_000_000_000; // budget × 8000 is far above 2^53
    const spent = 1_234_567_891_234_567;
    const expected = (BigInt(budget) * 8000n - BigInt(spent) * 10000n) / 10000n;
    expect(BigInt(run(budget, spent).amountFen)).toBe(expected);
  });

  const amounts = fc.record({
    budget: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    spentAsOfBp: fc.integer({ min: 0, max: 10000 }),
    laterBp: fc.integer({ min: 0, max: 10000 }),
    thresholdBp: fc.integer({ min: 0, max: 10000 }),
    ratioBp: fc.integer({ min: 0, max: 10000 }),
  });

  it('property: never more than the rule allows, never below what is spent, before − amount = after', () => {
    fc.assert(
      fc.property(amounts, ({ budget, spentAsOfBp, laterBp, thresholdBp, ratioBp }) => {
        const spentAsOf = Number((BigInt(budget) * BigInt(spentAsOfBp)) / 10000n);
        const spentNow = spentAsOf + Number((BigInt(budget - spentAsOf) * BigInt(laterBp)) / 10000n);
        const p = { ...policy, thresholdBp, ratioBp };
        const r = progressReclaim({ ...base, budgetFen: budget, spentAsOfFen: spentAsOf, spentNowFen: spentNow }, p);
        const allowed = (BigInt(budget) * BigInt(thresholdBp) - BigInt(spentAsOf) * 10000n) * BigInt(ratioBp);
        expect(r.amountFen).toBeGreaterThanOrEqual(0);
        // amount × 10^8 ≤ (budget × threshold − spent × 10000) × ratio: never more than allowed
        expect(BigInt(r.amountFen) * 100_000_000n <= (allowed > 0n ? allowed : 0n)).toBe(true);
        expect(r.budgetAfterFen).toBeGreaterThanOrEqual(spentNow);
        expect(r.budgetAfterFen + r.amountFen).toBe(budget);
        // and it takes all it may: the formula, or down to what is spent now
        const formula = allowed > 0n ? Number(allowed / 100_000_000n) : 0;
        expect(r.amountFen).toBe(budget === 0 ? 0 : Math.min(formula, budget - spentNow));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: spending more never makes the reclaim larger', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e13 }), fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 10000 }), (budget, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const s1 = Math.floor((budget * lo) / 10000);
        const s2 = Math.floor((budget * hi) / 10000);
        expect(run(budget, s2).amountFen).toBeLessThanOrEqual(run(budget, s1).amountFen);
      }),
    );
  });
});
