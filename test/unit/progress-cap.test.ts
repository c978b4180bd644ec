import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { capCut, nextYearCap, progressCapFlag, shareCap } from '../../shared/domain/rules/progress-cap';

const policy = DEFAULT_POLICY.progressCap;

describe('SPEC §3.7 progress cap (pure)', () => {
  it('flags below 90% only, compared exactly: exactly 90% is not flagged, one fen below is', () => {
    expect(progressCapFlag({ budgetFen: 50_000_000, spentAsOfFen: 45_000_000 }, policy)).toEqual({
      flag: false,
      figures: { budgetFen: 50_000_000, spentAsOfFen: 45_000_000, progressBp: 9000, thresholdBp: 9000 },
    });
    expect(progressCapFlag({ budgetFen: 50_000_000, spentAsOfFen: 44_999_999 }, policy)).toEqual({
      flag: true,
      figures: { budgetFen: 50_000_000, spentAsOfFen: 44_999_999, progressBp: 8999, thresholdBp: 9000 },
    });
    // 8999.99 bp shows as 8999 but is below: 1 fen short on a budget of 1,000,000 fen is 8999.99 bp
    expect(progressCapFlag({ budgetFen: 1_000_000, spentAsOfFen: 899_999 }, policy).flag).toBe(true);
    expect(progressCapFlag({ budgetFen: 0, spentAsOfFen: 0 }, policy)).toMatchObject({ flag: false, figures: { progressBp: 10000 } });
    expect(progressCapFlag({ budgetFen: 50_000_000, spentAsOfFen: 40_000_000 }, { ...policy, thresholdBp: 8000 }).flag).toBe(false);
  });

  it('the worked example: flagged at 8999 bp, cap 46,000,000, next year 60,000,000 → cut 14,000,000', () => {
    expect(nextYearCap(46_000_000)).toBe(46_000_000);
    expect(capCut({ budgetFen: 60_000_000, spentFen: 0, allowanceFen: 46_000_000 })).toEqual({ amountFen: 14_000_000, budgetAfterFen: 46_000_000 });
    expect(capCut({ budgetFen: 46_000_000, spentFen: 0, allowanceFen: 46_000_000 })).toEqual({ amountFen: 0, budgetAfterFen: 46_000_000 });
    expect(capCut({ budgetFen: 40_000_000, spentFen: 0, allowanceFen: 46_000_000 })).toEqual({ amountFen: 0, budgetAfterFen: 40_000_000 });
    // never below what the next-year project has already spent
    expect(capCut({ budgetFen: 60_000_000, spentFen: 50_000_000, allowanceFen: 46_000_000 })).toEqual({ amountFen: 10_000_000, budgetAfterFen: 50_000_000 });
    expect(nextYearCap(-5)).toBe(0);
  });

  it('shares a cap among a level-1’s leaves by budget, adding up to the cap exactly', () => {
    // 30,000,000 + 10,000,000 + 20,000,001 = 60,000,001 asked; cap 46,000,000
    const shares = shareCap(46_000_000, [30_000_000, 10_000_000, 20_000_001]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(46_000_000);
    // exact shares 22,999,999.62 / 7,666,666.54 / 15,333,333.84: floors add up to 45,999,998 and the
    // 2 fen left go to the largest remainders (.84, then .62)
    expect(shares).toEqual([23_000_000, 7_666_666, 15_333_334]);
    expect(shareCap(100, [30, 20])).toEqual([30, 20]);
    expect(shareCap(0, [30, 20])).toEqual([0, 0]);
    expect(shareCap(1, [1, 1, 1])).toEqual([1, 0, 0]);
  });

  it('property: a cut never takes more than down to the allowance, never below spent, before − amount = after', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (budget, spentBp, allowance) => {
          const spent = Number((BigInt(budget) * BigInt(spentBp)) / 10000n);
          const r = capCut({ budgetFen: budget, spentFen: spent, allowanceFen: allowance });
          expect(r.amountFen).toBeGreaterThanOrEqual(0);
          expect(r.amountFen).toBeLessThanOrEqual(Math.max(0, budget - allowance));
          expect(r.budgetAfterFen).toBeGreaterThanOrEqual(spent);
          expect(r.budgetAfterFen + r.amountFen).toBe(budget);
          if (budget > Math.max(allowance, spent)) expect(r.budgetAfterFen).toBe(Math.max(allowance, spent));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: shares add up to min(cap, total) and none is above its budget', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 2e13 }), (budgets, cap) => {
        const shares = shareCap(cap, budgets);
        const total = budgets.reduce((a, b) => a + b, 0);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(Math.min(cap, total));
        shares.forEach((s, i) => {
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(budgets[i] as number);
        });
      }),
      { numRuns: 1000 },
    );
  });
});
