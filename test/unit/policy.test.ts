import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, mergePolicy, policyOverrideSchema, policyProblems, policySchema } from '../../shared/domain/policy';

describe('policy', () => {
  it('the defaults are exactly SPEC §3.12 and valid', () => {
    expect(policySchema.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
    expect(policyProblems(DEFAULT_POLICY)).toEqual([]);
    expect(DEFAULT_POLICY.progressReclaim).toEqual({ date: '09-30', thresholdBp: 8000, ratioBp: 10000, exemptFundSources: [] });
    expect(DEFAULT_POLICY.exAnte.minBudgetFen).toBe(500_000_000);
    expect(DEFAULT_POLICY.idleFunds.quarterEnds).toEqual(['03-31', '06-30', '09-30', '12-31']);
  });

  it('overrides field by field; arrays replace whole', () => {
    const merged = mergePolicy(DEFAULT_POLICY, {
      progressReclaim: { thresholdBp: 7500 },
      idleFunds: { carryoverYears: 2 },
      monitoring: { checkpoints: [{ date: '06-30', benchmarkBp: 4500 }] },
    });
    expect(merged.progressReclaim).toEqual({ date: '09-30', thresholdBp: 7500, ratioBp: 10000, exemptFundSources: [] });
    expect(merged.idleFunds.carryoverYears).toBe(2);
    expect(merged.idleFunds.payableYears).toBe(3);
    expect(merged.monitoring.checkpoints).toEqual([{ date: '06-30', benchmarkBp: 4500 }]);
    expect(DEFAULT_POLICY.progressReclaim.thresholdBp).toBe(8000);
  });

  it('the override schema lists every problem and refuses unknown fields', () => {
    const r = policyOverrideSchema.safeParse({ progressReclaim: { thresholdBp: 12000, date: '9-30' }, bogus: 1 });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['progressReclaim.thresholdBp', 'progressReclaim.date', '']));
  });

  it('finds cross-field problems', () => {
    const bad = mergePolicy(DEFAULT_POLICY, {
      exAnte: { weights: { standard: 30 } },
      monitoring: {
        checkpoints: [
          { date: '09-30', benchmarkBp: 7500 },
          { date: '06-30', benchmarkBp: 5000 },
        ],
      },
    });
    expect(policyProblems(bad).map((p) => p.path)).toEqual(['exAnte.weights', 'monitoring.checkpoints']);
  });
});
