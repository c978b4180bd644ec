import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../shared/domain/indicators';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { costMatch, type LintSubject, lintBlocks, lintTarget, scaledQuantity } from '../../shared/domain/rules/target-review';
import { resolveIndicators, type TargetIndicator } from '../../shared/domain/targets';

const policy = DEFAULT_POLICY.targetReview; // costToleranceBp 1000, satisfaction for policy/operations

const output: TargetIndicator = {
  source: 'custom',
  level1: 'output',
  level2: 'quantity',
  name: '维修校舍面积',
  unit: '平方米',
  direction: '>=',
  targetValue: 12000,
};
const benefit: TargetIndicator = { source: 'custom', level1: 'benefit', level2: 'social', name: '学位增加数', unit: '个', direction: '>=', targetValue: 800 };
const satisfaction: TargetIndicator = {
  source: 'custom',
  level1: 'satisfaction',
  level2: 'service-object',
  name: '家长满意度',
  unit: '%',
  direction: '>=',
  targetValue: 90,
};

const subject = (over: Partial<LintSubject> = {}): LintSubject => ({
  kind: 'project',
  category: 'infrastructure',
  goal: '完成 12 所中小学校舍维修，新增学位 800 个',
  indicators: [output, benefit],
  budgetFen: 100_000_000,
  ...over,
});
const codes = (s: LintSubject, p = policy) => lintTarget(s, p).map((l) => l.code);

describe('lint: required indicators (SPEC §3.4)', () => {
  it('passes a target with a goal, one output and one benefit indicator', () => {
    expect(lintTarget(subject(), policy)).toEqual([]);
  });

  it('needs a goal, an output and a benefit indicator', () => {
    expect(codes(subject({ goal: '  ', indicators: [] }))).toEqual(['NO_GOAL', 'NO_OUTPUT', 'NO_BENEFIT']);
    expect(codes(subject({ indicators: [benefit] }))).toEqual(['NO_OUTPUT']);
    expect(codes(subject({ indicators: [output] }))).toEqual(['NO_BENEFIT']);
  });

  it('needs satisfaction for the categories the policy names (policy, operations), not for others', () => {
    expect(codes(subject({ category: 'policy' }))).toEqual(['NO_SATISFACTION']);
    expect(codes(subject({ category: 'operations' }))).toEqual(['NO_SATISFACTION']);
    expect(codes(subject({ category: 'operations', indicators: [output, benefit, satisfaction] }))).toEqual([]);
    expect(codes(subject({ category: 'it' }))).toEqual([]);
    // A year's policy decides: here `it` serves the public and `policy` does not.
    expect(codes(subject({ category: 'it' }), { ...policy, satisfactionCategories: ['it'] })).toEqual(['NO_SATISFACTION']);
    expect(codes(subject({ category: 'policy' }), { ...policy, satisfactionCategories: ['it'] })).toEqual([]);
    // A department-overall target has no category.
    expect(codes(subject({ kind: 'department', category: undefined }))).toEqual([]);
  });

  it('needs unit, direction and a number on each quantitative indicator, words on a qualitative one', () => {
    const { unit: _u, ...noUnit } = output;
    const { direction: _d, ...noDirection } = output;
    const { targetValue: _t, ...noValue } = output;
    const lint = lintTarget(
      subject({
        indicators: [
          { ...noUnit, name: 'a' },
          { ...noDirection, name: 'b' },
          { ...noValue, name: 'c' },
          { ...output, name: 'd', targetValue: '95%' },
          { ...benefit, direction: 'qualitative', unit: undefined, targetValue: '明显改善' },
          { ...benefit, name: '社会影响', direction: 'qualitative', unit: undefined, targetValue: undefined },
        ],
      }),
      policy,
    );
    expect(lint.map((l) => [l.code, l.path])).toEqual([
      ['MISSING_UNIT', 'indicators[0].unit'],
      ['MISSING_DIRECTION', 'indicators[1].direction'],
      ['MISSING_TARGET_VALUE', 'indicators[2].targetValue'],
      ['TARGET_NOT_A_NUMBER', 'indicators[3].targetValue'],
      ['MISSING_TARGET_VALUE', 'indicators[5].targetValue'],
    ]);
    expect(lint.every((l) => l.severity === 'error')).toBe(true);
  });

  it('warns (without blocking) about duplicates, benchmarks and half-given cost figures', () => {
    const lint = lintTarget(
      subject({
        indicators: [
          { ...output, code: 'G001', source: 'library', benchmark: 15000 },
          { ...output, code: 'G001', source: 'library', benchmark: 15000 },
          { ...benefit, direction: '<=', benchmark: 500 },
          { ...output, name: '采购台数', unitCostFen: 500_000 },
        ],
      }),
      policy,
    );
    expect(lint.map((l) => [l.code, l.severity, l.path])).toEqual([
      ['BELOW_BENCHMARK', 'warning', 'indicators[0].targetValue'],
      ['DUPLICATE_INDICATOR', 'warning', 'indicators[1].code'],
      ['BELOW_BENCHMARK', 'warning', 'indicators[1].targetValue'],
      ['BELOW_BENCHMARK', 'warning', 'indicators[2].targetValue'],
      ['COST_INCOMPLETE', 'warning', 'indicators[3].quantity'],
    ]);
    expect(lintBlocks(lint)).toBe(false);
  });
});

describe('lint: unit cost × quantity within ±costToleranceBp of the budget (与资金相匹配)', () => {
  const withCost = (unitCostFen: number, quantity: number, budgetFen = 100_000_000) =>
    lintTarget(subject({ budgetFen, indicators: [{ ...output, unitCostFen, quantity }, benefit] }), policy);

  it('accepts exactly +10% and exactly −10%, refuses one fen beyond either', () => {
    expect(withCost(1_100_000, 100)).toEqual([]); // 110,000,000 = budget + 10%
    expect(withCost(900_000, 100)).toEqual([]); // 90,000,000 = budget − 10%
    const over = withCost(110_000_001, 1);
    expect(over.map((l) => l.code)).toEqual(['COST_MISMATCH']);
    expect(over[0]?.figures).toEqual({ costFen: 110_000_001, budgetFen: 100_000_000, deviationBp: 1000, toleranceBp: 1000 });
    expect(withCost(89_999_999, 1).map((l) => l.code)).toEqual(['COST_MISMATCH']);
  });

  it('sums every indicator that gives both figures and computes decimal quantities exactly', () => {
    // 8,000,000 × 12.5 + 30,000 × 300 = 109,000,000 fen: exactly the budget.
    const lint = lintTarget(
      subject({
        indicators: [{ ...output, unitCostFen: 8_000_000, quantity: 12.5 }, { ...output, name: '培训人次', unitCostFen: 30_000, quantity: 300 }, benefit],
        budgetFen: 109_000_000,
      }),
      policy,
    );
    expect(lint).toEqual([]);
    const m = costMatch(
      [
        { ...output, unitCostFen: 8_000_000, quantity: 12.5 },
        { ...output, unitCostFen: 30_000, quantity: 300 },
      ],
      109_000_000,
      1000,
    );
    expect(m).toMatchObject({ costFen: 109_000_000, deviationBp: 0, within: true });
    expect(scaledQuantity(0.0001)).toBe(1n);
    expect(scaledQuantity(12.5)).toBe(125_000n);
    expect(() => scaledQuantity(0.00001)).toThrow(RangeError);
  });

  it('is exact at BigInt sizes where floating point would pass a cost one fen over', () => {
    // Budget 9,000,000,000,000,000 fen: +10% is 9,900,000,000,000,000. 999,899,000,101 × 9,901
    // is one fen more — in doubles the product rounds to the limit itself.
    expect(999_899_000_101 * 9901).toBe(9_900_000_000_000_000);
    expect(withCost(4_950_000_000_000_000, 2, 9_000_000_000_000_000)).toEqual([]);
    expect(withCost(999_899_000_101, 9901, 9_000_000_000_000_000).map((l) => l.code)).toEqual(['COST_MISMATCH']);
    // At Number.MAX_SAFE_INTEGER the −10% limit falls between two fen: 8,106,479,329,266,891.9.
    const B = Number.MAX_SAFE_INTEGER;
    expect(withCost(8_106_479_329_266_892, 1, B)).toEqual([]);
    expect(withCost(8_106_479_329_266_891, 1, B).map((l) => l.code)).toEqual(['COST_MISMATCH']);
    expect(withCost(990_791_918_021_509, 10, B)).toEqual([]); // 9,907,919,180,215,090 ≤ B × 1.1
  });

  it('compares with a zero budget: no cost passes, any cost does not', () => {
    expect(costMatch([{ ...output, unitCostFen: 0, quantity: 5 }], 0, 1000)).toMatchObject({ within: true, deviationBp: 0 });
    expect(costMatch([{ ...output, unitCostFen: 1, quantity: 1 }], 0, 1000)).toMatchObject({ within: false, deviationBp: 10000 });
    expect(costMatch([output], 100, 1000)).toBeUndefined();
  });

  it('takes its tolerance from the policy', () => {
    const p = { ...policy, costToleranceBp: 500 };
    const lint = (uc: number) => lintTarget(subject({ indicators: [{ ...output, unitCostFen: uc, quantity: 1 }, benefit] }), p).map((l) => l.code);
    expect(lint(105_000_000)).toEqual([]);
    expect(lint(105_000_001)).toEqual(['COST_MISMATCH']);
  });
});

describe('reading indicators in the taxonomy of the target year', () => {
  const library = new Map<string, Indicator>([
    [
      'C001',
      {
        code: 'C001',
        scope: 'general',
        category: '项目管理',
        level1: 'cost',
        level2: 'economic',
        name: '单位面积维修成本',
        unit: '元/平方米',
        direction: '<=',
        benchmark: 800,
      },
    ],
    ['B001', { code: 'B001', scope: 'general', category: '项目管理', level1: 'benefit', level2: 'social', name: '受益人数', unit: '人', direction: '>=' }],
  ]);

  it('before 2021 a cost indicator counts as output (output → cost); from 2021 it does not', () => {
    const inputs = [
      { code: 'C001', targetValue: 750 },
      { code: 'B001', targetValue: 5000 },
    ];
    const y2020 = resolveIndicators(2020, inputs, library);
    expect(y2020.problems).toEqual([]);
    expect(y2020.indicators[0]).toMatchObject({
      source: 'library',
      code: 'C001',
      level1: 'output',
      level2: 'cost',
      unit: '元/平方米',
      direction: '<=',
      targetValue: 750,
      benchmark: 800,
    });
    const y2021 = resolveIndicators(2021, inputs, library);
    expect(y2021.indicators[0]).toMatchObject({ level1: 'cost', level2: 'economic' });
    const lint = (indicators: TargetIndicator[]) => lintTarget(subject({ indicators }), policy).map((l) => l.code);
    expect(lint(y2020.indicators)).toEqual([]);
    expect(lint(y2021.indicators)).toEqual(['NO_OUTPUT']);
  });

  it('lists unknown codes, contradictions of the library and level-2s of another framework', () => {
    const out = resolveIndicators(
      2021,
      [
        { code: 'NOPE' },
        { code: 'B001', name: '别的名字', unit: '人' },
        { level1: 'output', level2: 'cost', name: '成本控制' },
        { level1: 'benefit', level2: 'quantity', name: '错层' },
        { level1: 'cost', level2: 'economic', name: '单位成本', unit: '元', direction: '<=', targetValue: 10 },
      ],
      library,
    );
    expect(out.problems.map((p) => p.path)).toEqual([
      'body.indicators[0].code',
      'body.indicators[1].name',
      'body.indicators[2].level2',
      'body.indicators[3].level2',
    ]);
    expect(out.problems[2]?.message).toContain('cost is a level-1');
    // Before 2021 output → cost is the way to say it, and level1 cost is read the same way.
    const old = resolveIndicators(
      2020,
      [
        { level1: 'output', level2: 'cost', name: '成本控制' },
        { level1: 'cost', level2: 'social', name: '社会成本' },
      ],
      library,
    );
    expect(old.problems).toEqual([]);
    expect(old.indicators.map((i) => [i.level1, i.level2])).toEqual([
      ['output', 'cost'],
      ['output', 'cost'],
    ]);
  });

  it('accepts a GET → PUT round trip: the library values sent back are the library’s', () => {
    const first = resolveIndicators(2020, [{ code: 'C001', targetValue: 750 }], library).indicators;
    const again = resolveIndicators(
      2020,
      first.map(({ benchmark: _b, ...i }) => i),
      library,
    );
    expect(again.problems).toEqual([]);
    expect(again.indicators).toEqual(first);
  });
});
