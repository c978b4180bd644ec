import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { type IndicatorToScore, scoreSelfEvaluation } from '../../shared/domain/rules/self-evaluation';
import { expertScore, growthBp, keyEvaluationScore } from '../../shared/domain/rules/key-evaluation';
import { gradeOfRecord, proposalFor, resultsCut } from '../../shared/domain/rules/results';
import { toDecimal } from '../../shared/domain/fraction';

const policy = DEFAULT_POLICY.selfEvaluation;
let seq = 0;
const ind = (
  level1: IndicatorToScore['level1'],
  direction: IndicatorToScore['direction'],
  targetValue: number | string | undefined,
  actual: IndicatorToScore['actual'],
): IndicatorToScore => {
  const index = seq++;
  return {
    index,
    name: `指标${index}`,
    level1,
    direction,
    ...(targetValue !== undefined ? { targetValue } : {}),
    ...(actual ? { actual } : {}),
    path: `body.indicators[${index}]`,
  };
};
const score = (indicators: IndicatorToScore[], budgetFen = 10_000_000, spentFen = 10_000_000) =>
  scoreSelfEvaluation({ budgetFen, spentFen, indicators }, policy);
const scored = (indicators: IndicatorToScore[], budgetFen?: number, spentFen?: number) => {
  const r = score(indicators, budgetFen, spentFen);
  if (r.outcome !== 'scored') throw new Error(JSON.stringify(r.problems));
  return r;
};
/** Points of the one indicator of `level`, given full execution and other levels at full marks. */
const one = (direction: IndicatorToScore['direction'], t: number, a: number) =>
  scored([ind('output', direction, t, { value: a }), ind('benefit', '>=', 1, { value: 1 }), ind('satisfaction', '>=', 1, { value: 1 })]).breakdown[1]!.points;

describe('SPEC §3.9 self-evaluation score (pure)', () => {
  it('reproduces the worked example: 9 + 40 + 24 + 10 = 83.00 → 良', () => {
    const r = scored(
      [ind('output', '>=', 10, { value: 8 }), ind('benefit', '<=', 100, { value: 120 }), ind('satisfaction', '>=', 90, { value: 95 })],
      10_000_000,
      9_000_000,
    );
    expect(r.scoreCp).toBe(8300);
    expect(r.grade).toBe('良');
    expect(r.breakdown.map((l) => [l.part, l.weight, l.points])).toEqual([
      ['execution', '10', '9'],
      ['output', '50', '40'],
      ['benefit', '30', '24'],
      ['satisfaction', '10', '10'],
    ]);
  });

  it('>= boundaries: exactly the target, target 0, negative actual, above the target', () => {
    expect(one('>=', 10, 10)).toBe('50');
    expect(one('>=', 10, 12)).toBe('50');
    expect(one('>=', 0, -5)).toBe('50');
    expect(one('>=', 10, -3)).toBe('0');
    expect(one('>=', 3, 1)).toBe('16.6666');
  });

  it('<= boundaries: exactly the target, exactly twice, between, target 0', () => {
    expect(one('<=', 100, 100)).toBe('50');
    expect(one('<=', 100, 200)).toBe('0');
    expect(one('<=', 100, 150)).toBe('25');
    expect(one('<=', 100, 199)).toBe('0.5');
    expect(one('<=', 100, -10)).toBe('50');
    expect(one('<=', 0, 0)).toBe('50');
    expect(one('<=', 0, 1)).toBe('0');
  });

  it('= scores w when equal, else as >=', () => {
    expect(one('=', 10, 10)).toBe('50');
    expect(one('=', 10, 5)).toBe('25');
    expect(one('=', 10, 11)).toBe('50');
  });

  it('decimals are exact: 0.95 of 0.9 is full, 0.1 + 0.2 style inputs are not floats', () => {
    expect(one('>=', 0.9, 0.95)).toBe('50');
    expect(one('>=', 0.3, 0.1)).toBe('16.6666');
  });

  it('qualitative band edges 59/60/79/80 and a mismatch listed', () => {
    const q = (band: 'achieved' | 'partial' | 'missed', pct: number) => score([ind('output', 'qualitative', '良好', { band, pct })]);
    expect(q('missed', 59)).toMatchObject({ outcome: 'scored' });
    expect(q('partial', 60)).toMatchObject({ outcome: 'scored' });
    expect(q('partial', 79)).toMatchObject({ outcome: 'scored' });
    expect(q('achieved', 80)).toMatchObject({ outcome: 'scored' });
    const bad = score([
      ind('output', 'qualitative', undefined, { band: 'missed', pct: 60 }),
      ind('benefit', 'qualitative', undefined, { band: 'achieved', pct: 79 }),
    ]);
    expect(bad.outcome).toBe('invalid');
    expect(bad.outcome === 'invalid' && bad.problems.map((p) => p.path)).toEqual([expect.stringMatching(/\.pct$/), expect.stringMatching(/\.pct$/)]);
    // Output and benefit only: weights 56.25 and 33.75; achieved 80% of output → 45 points.
    const r = scored([ind('output', 'qualitative', undefined, { band: 'achieved', pct: 80 }), ind('benefit', '>=', 1, { value: 1 })]);
    expect(r.breakdown[1]!.points).toBe('45');
    expect(r.scoreCp).toBe(10 * 100 + 4500 + 3375);
  });

  it('moves a missing satisfaction weight pro rata: 56.25 and 33.75', () => {
    const r = scored([ind('output', '>=', 1, { value: 1 }), ind('cost', '>=', 1, { value: 1 }), ind('benefit', '>=', 1, { value: 1 })]);
    expect(r.weights).toEqual({ execution: '10', output: '56.25', benefit: '33.75', satisfaction: '0' });
    expect(r.breakdown.slice(1).map((l) => l.weight)).toEqual(['28.125', '28.125', '33.75']);
    expect(r.scoreCp).toBe(10000);
  });

  it('execution: zero budget full, over-spending capped, negative spending 0', () => {
    const out = [ind('output', '>=', 1, { value: 1 })];
    expect(scored(out, 0, 0).breakdown[0]!.points).toBe('10');
    expect(scored(out, 100, 100).breakdown[0]!.points).toBe('10');
    expect(scored(out, 100, -5).breakdown[0]!.points).toBe('0');
    expect(scored(out, 3, 1).breakdown[0]!.points).toBe('3.3333');
  });

  it('grade band edges on the exact total: 89.99 is 良, 90 is 优, 59.99 is 差', () => {
    // execution 10 of 10 plus output alone (weight 90): 90 × a / 9000 points.
    const total = (outputActual: number) => scored([ind('output', '>=', 9000, { value: outputActual })], 100, 100);
    expect(total(8000)).toMatchObject({ scoreCp: 9000, grade: '优' });
    expect(total(7999)).toMatchObject({ scoreCp: 8999, grade: '良' });
    expect(total(7000)).toMatchObject({ scoreCp: 8000, grade: '良' });
    expect(total(5000)).toMatchObject({ scoreCp: 6000, grade: '中' });
    expect(total(4999)).toMatchObject({ scoreCp: 5999, grade: '差' });
    // 89.9999… is still 良: the grade is taken on the exact total, not the rounded one.
    expect(scored([ind('output', '>=', 90_000, { value: 79_999.99 })], 100, 100)).toMatchObject({ scoreCp: 8999, grade: '良' });
  });

  it('a quantitative indicator with a text target or no actual is listed', () => {
    const r = score([ind('output', '>=', '较好', { value: 1 }), ind('benefit', '>=', 10, undefined)]);
    expect(r.outcome === 'invalid' && r.problems.length).toBe(2);
  });

  const arbIndicator = fc.record({
    level1: fc.constantFrom('cost', 'output', 'benefit', 'satisfaction' as const),
    direction: fc.constantFrom('>=', '<=', '=' as const),
    t: fc.integer({ min: -1000, max: 1000 }),
    a: fc.integer({ min: -2000, max: 3000 }),
  });

  it('property: score within 0–100 and never more than the sum of weights', () => {
    fc.assert(
      fc.property(
        fc.array(arbIndicator, { minLength: 1, maxLength: 8 }),
        fc.nat(1_000_000),
        fc.integer({ min: -10, max: 2_000_000 }),
        (list, budget, spent) => {
          const r = scored(
            list.map((x) => ind(x.level1 as never, x.direction as never, x.t, { value: x.a })),
            budget,
            spent,
          );
          expect(r.scoreCp).toBeGreaterThanOrEqual(0);
          expect(r.scoreCp).toBeLessThanOrEqual(10000);
          for (const l of r.breakdown) expect(Number(l.points)).toBeLessThanOrEqual(Number(l.weight));
        },
      ),
    );
  });

  it('property: monotone in each >= actual', () => {
    fc.assert(
      fc.property(fc.array(arbIndicator, { minLength: 1, maxLength: 6 }), fc.nat(5), fc.nat(500), (list, pick, bump) => {
        const i = pick % list.length;
        const build = (extra: number) =>
          list.map((x, k) => ind(x.level1 as never, k === i ? '>=' : (x.direction as never), x.t, { value: x.a + (k === i ? extra : 0) }));
        expect(scored(build(bump)).scoreCp).toBeGreaterThanOrEqual(scored(build(0)).scoreCp);
      }),
    );
  });
});

describe('SPEC §3.10 key evaluation and results (pure)', () => {
  const kp = DEFAULT_POLICY.keyEvaluation;
  it('reproduces the worked example: 73 and 86 → 79.50, 中', () => {
    expect(toDecimal(expertScore({ decision: 90, process: 80, output: 70, benefit: 60 }, kp))).toBe('73');
    const r = keyEvaluationScore(
      [
        { sub: 'a', scores: { decision: 90, process: 80, output: 70, benefit: 60 } },
        { sub: 'b', scores: { decision: 100, process: 90, output: 80, benefit: 80 } },
      ],
      kp,
      policy.grades,
    );
    expect(r).toMatchObject({ outcome: 'scored', scoreCp: 7950, grade: '中', experts: 2 });
    expect(keyEvaluationScore([], kp, policy.grades)).toEqual({ outcome: 'unscored', experts: 0 });
  });
  it('a mean of thirds rounds down once: 80, 80, 81 → 80.33', () => {
    const s = (v: number) => ({ decision: v, process: v, output: v, benefit: v });
    expect(
      keyEvaluationScore(
        [
          { sub: 'a', scores: s(80) },
          { sub: 'b', scores: s(80) },
          { sub: 'c', scores: s(81) },
        ],
        kp,
        policy.grades,
      ),
    ).toMatchObject({ scoreCp: 8033, grade: '良' });
  });
  it('growth in bp rounds down; none without a year before', () => {
    expect(growthBp(344_000_000_000_00, 201_300_000_000_00)).toBe(7088);
    expect(growthBp(100, 100)).toBe(0);
    expect(growthBp(50, 100)).toBe(-5000);
    expect(growthBp(100, 0)).toBeNull();
  });
  it('results: grade of record, proposals and cuts never below spent', () => {
    const self = { grade: '良' as const, source: 'self-evaluation' as const, sourceId: 'P' };
    const key = { grade: '差' as const, source: 'key-evaluation' as const, sourceId: 'E' };
    expect(gradeOfRecord(key, self)).toBe(key);
    expect(gradeOfRecord(undefined, self)).toBe(self);
    const rp = DEFAULT_POLICY.results;
    expect(proposalFor('中', rp)).toEqual({ action: 'cut', cutBp: 1000 });
    expect(proposalFor('差', rp)).toEqual({ action: 'cut', cutBp: 10000 });
    expect(proposalFor('优', rp).action).toBe('priority');
    expect(proposalFor('良', rp).action).toBe('keep');
    expect(resultsCut({ budgetFen: 20_000_000, spentFen: 19_000_000 }, 1000)).toEqual({ amountFen: 1_000_000, budgetAfterFen: 19_000_000 });
    expect(resultsCut({ budgetFen: 5_000_000, spentFen: 0 }, 10000)).toEqual({ amountFen: 5_000_000, budgetAfterFen: 0 });
    expect(resultsCut({ budgetFen: 999, spentFen: 0 }, 1000)).toEqual({ amountFen: 99, budgetAfterFen: 900 });
    fc.assert(
      fc.property(fc.nat(1e12), fc.nat(1e12), fc.nat(10000), (b, s, bp) => {
        const spent = Math.min(s, b);
        const r = resultsCut({ budgetFen: b, spentFen: spent }, bp);
        expect(r.budgetAfterFen).toBeGreaterThanOrEqual(spent);
        expect(r.amountFen).toBeLessThanOrEqual(Math.floor((b * bp) / 10000) + 1);
        expect(r.amountFen + r.budgetAfterFen).toBe(b);
      }),
    );
  });
});
