import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../shared/domain/email';
import { departmentLine, reminderLine, warningLine } from '../../shared/domain/email-lines';
import { reportBody, resolveReport, type TargetIndicatorRef } from '../../shared/domain/monitoring';
import { DEFAULT_POLICY, mergePolicy } from '../../shared/domain/policy';
import {
  assessProject,
  exactDecimal,
  grandTotals,
  indicatorRatio,
  reminderCheckpoint,
  reminderDates,
  rollUp,
  shouldSuspend,
  snapshotDates,
  targetAchievement,
} from '../../shared/domain/rules/monitoring';

const M = DEFAULT_POLICY.monitoring; // benchmark 5000 at 06-30, 7500 at 09-30; red gap 2000; deviation 1000
const JUNE = 5000;
const ge = (actualValue: number, targetValue: number, outlook: 'certain' | 'possible' | 'impossible' = 'certain') => ({
  direction: '>=' as const,
  actualValue,
  targetValue,
  outlook,
});
const certain = { indicators: [{ direction: 'qualitative' as const, actualValue: '按计划推进', targetValue: '完成', outlook: 'certain' as const }] };
const assess = (budgetFen: number, spentFen: number, report: Parameters<typeof assessProject>[0]['report'], status: 'active' | 'suspended' = 'active') =>
  assessProject({ budgetFen, spentFen, status, report }, JUNE, M);

describe('target achievement', () => {
  it('reads numbers as the decimals they were written as', () => {
    expect(exactDecimal(0.1)).toEqual({ n: 1n, d: 10n });
    expect(exactDecimal(-2.5)).toEqual({ n: -25n, d: 10n });
    expect(exactDecimal(1e21)).toEqual({ n: 10n ** 21n, d: 1n });
    expect(exactDecimal(1.5e-7)).toEqual({ n: 15n, d: 10n ** 8n });
  });

  it('takes min(actual/target, 1), never below 0; a target of 0 is met by any actual ≥ 0', () => {
    expect(indicatorRatio(80, 100)).toEqual({ n: 4n, d: 5n });
    expect(indicatorRatio(30, 20)).toEqual({ n: 1n, d: 1n });
    expect(indicatorRatio(-5, 20)).toEqual({ n: 0n, d: 1n });
    expect(indicatorRatio(0, 0)).toEqual({ n: 1n, d: 1n });
    expect(indicatorRatio(-1, 0)).toEqual({ n: 0n, d: 1n });
  });

  it('is the mean over quantitative >= indicators, rounded down: the worked example gives 7111 bp (32/45)', () => {
    const a = targetAchievement([ge(80, 100), ge(30, 20), ge(1, 3)]);
    expect(a).toEqual({ bp: 7111, exact: { n: 32n, d: 45n }, indicators: 3 });
  });

  it('ignores <=, = and qualitative indicators, and has no value without a >= indicator', () => {
    const others = [
      { direction: '<=' as const, actualValue: 5, targetValue: 10 },
      { direction: '=' as const, actualValue: 1, targetValue: 2 },
      { direction: 'qualitative' as const, actualValue: '良好', targetValue: '良好' },
    ];
    expect(targetAchievement(others)).toBeUndefined();
    expect(targetAchievement([...others, ge(1, 4)])?.bp).toBe(2500);
  });

  it('is exact where floating point is not: 0.57 of 1 is 5700 bp (0.57 × 10000 = 5699.999… in doubles)', () => {
    expect(Math.floor(0.57 * 10000)).toBe(5699);
    expect(targetAchievement([ge(0.57, 1)])?.bp).toBe(5700);
    expect(targetAchievement([ge(3e15, 9e15)])?.bp).toBe(3333);
    expect(targetAchievement([ge(0.1, 0.3), ge(0.2, 0.3)])?.bp).toBe(5000);
  });

  it('equals floor(10000 × Σ min(a, t)·(D/t) / (D·n)) with D the product of the targets (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 })), { minLength: 1, maxLength: 8 }),
        (pairs) => {
          const D = pairs.reduce((p, [, t]) => p * BigInt(t), 1n);
          const S = pairs.reduce((s, [a, t]) => s + BigInt(Math.min(a, t)) * (D / BigInt(t)), 0n);
          const expected = Number((10_000n * S) / (D * BigInt(pairs.length)));
          const got = targetAchievement(pairs.map(([a, t]) => ge(a, t)));
          expect(got?.bp).toBe(expected);
          expect(got?.bp).toBeGreaterThanOrEqual(0);
          expect(got?.bp).toBeLessThanOrEqual(10_000);
        },
      ),
    );
  });
});

describe('lights at 06-30 (benchmark 5000 bp, red gap 2000 bp, deviation 1000 bp)', () => {
  it('is green with progress exactly at the benchmark, yellow 1 fen below it', () => {
    expect(assess(1_000_000, 500_000, certain)).toEqual({ progressBp: 5000, light: 'green', flags: [], outlook: 'certain' });
    expect(assess(1_000_000, 499_999, certain)).toEqual({ progressBp: 4999, light: 'yellow', flags: ['BELOW_BENCHMARK'], outlook: 'certain' });
  });

  it('compares progress exactly, not its rounded bp: 15,000,001 of 30,000,001 is not below 50%', () => {
    expect(assess(30_000_001, 15_000_001, certain).light).toBe('green');
    expect(assess(30_000_001, 15_000_000, certain)).toMatchObject({ progressBp: 4999, light: 'yellow' });
  });

  it('is yellow exactly redGapBp below the benchmark and red 1 fen further down', () => {
    expect(assess(1_000_000, 300_000, certain)).toMatchObject({ progressBp: 3000, light: 'yellow', flags: ['BELOW_BENCHMARK'] });
    expect(assess(1_000_000, 299_999, certain)).toMatchObject({ progressBp: 2999, light: 'red', flags: ['PROGRESS_RED_GAP', 'BELOW_BENCHMARK'] });
  });

  it('does not flag a deviation of exactly deviationBp, either way, and flags one a hair beyond', () => {
    // progress 0.5; achievement 0.6 and 0.4: |A − P| = 0.1 exactly.
    expect(assess(1_000_000, 500_000, { indicators: [ge(60, 100)] })).toEqual({
      progressBp: 5000,
      achievementBp: 6000,
      light: 'green',
      flags: [],
      outlook: 'certain',
    });
    expect(assess(1_000_000, 500_000, { indicators: [ge(40, 100)] })).toMatchObject({ achievementBp: 4000, light: 'green' });
    expect(assess(1_000_000, 500_000, { indicators: [ge(60.01, 100)] })).toMatchObject({ achievementBp: 6001, light: 'yellow', flags: ['DEVIATION'] });
    expect(assess(1_000_000, 500_000, { indicators: [ge(39.99, 100)] })).toMatchObject({ achievementBp: 3999, light: 'yellow', flags: ['DEVIATION'] });
    // Exact, not on the rounded figures: 0.60005 shows as 6000 bp but deviates by 0.10005.
    expect(assess(1_000_000, 500_000, { indicators: [ge(60.005, 100)] })).toMatchObject({ achievementBp: 6000, light: 'yellow', flags: ['DEVIATION'] });
  });

  it('is red with no report, or any impossible outlook; yellow with any possible outlook', () => {
    expect(assess(1_000_000, 900_000, undefined)).toEqual({ progressBp: 9000, light: 'red', flags: ['NO_REPORT'] });
    expect(assess(1_000_000, 600_000, { indicators: [ge(60, 100), ge(6, 10, 'impossible')] })).toMatchObject({
      light: 'red',
      flags: ['OUTLOOK_IMPOSSIBLE'],
      outlook: 'impossible',
    });
    expect(assess(1_000_000, 600_000, { indicators: [ge(60, 100), ge(6, 10, 'possible')] })).toMatchObject({
      light: 'yellow',
      flags: ['OUTLOOK_POSSIBLE'],
      outlook: 'possible',
    });
  });

  it('works the documented example: budget 10,000,000, spent 4,000,000, achievement 7111 → yellow', () => {
    const a = assess(10_000_000, 4_000_000, { indicators: [ge(80, 100), ge(30, 20), ge(1, 3)] });
    expect(a).toEqual({ progressBp: 4000, achievementBp: 7111, light: 'yellow', flags: ['BELOW_BENCHMARK', 'DEVIATION'], outlook: 'certain' });
  });

  it('counts a zero budget as fully spent, and flags a suspended project', () => {
    expect(assess(0, 0, { indicators: [ge(9, 10)] })).toEqual({ progressBp: 10000, achievementBp: 9000, light: 'green', flags: [], outlook: 'certain' });
    expect(assess(1_000_000, 600_000, certain, 'suspended')).toMatchObject({ light: 'green', flags: ['SUSPENDED'] });
  });

  it('uses the policy of the year: a bureau that moves the red gap moves the boundary', () => {
    const strict = mergePolicy(DEFAULT_POLICY, { monitoring: { redGapBp: 1000 } }).monitoring;
    expect(assessProject({ budgetFen: 100, spentFen: 39, status: 'active', report: certain }, JUNE, strict).light).toBe('red');
    expect(assessProject({ budgetFen: 100, spentFen: 39, status: 'active', report: certain }, JUNE, M).light).toBe('yellow');
  });
});

describe('suspension', () => {
  const red = assess(1_000_000, 100_000, { indicators: [ge(1, 10, 'impossible')] });
  const noReport = assess(1_000_000, 100_000, undefined);
  it('suspends only a red, impossible, active project at the last checkpoint when the policy says so', () => {
    const on = { lastCheckpoint: true, suspendOnImpossible: true, status: 'active' as const };
    expect(shouldSuspend(red, on)).toBe(true);
    expect(shouldSuspend(red, { ...on, lastCheckpoint: false })).toBe(false);
    expect(shouldSuspend(red, { ...on, suspendOnImpossible: false })).toBe(false);
    expect(shouldSuspend(red, { ...on, status: 'suspended' })).toBe(false);
    expect(shouldSuspend(noReport, on)).toBe(false);
  });
});

describe('department roll-ups', () => {
  it('sums budgets and spending, takes progress of the sums, and counts lights', () => {
    const out = rollUp([
      { deptId: 'D02', budgetFen: 100, spentFen: 100, light: 'green', flags: [] },
      { deptId: 'D01', budgetFen: 1_000_000, spentFen: 100_000, light: 'red', flags: ['PROGRESS_RED_GAP', 'SUSPENDED'] },
      { deptId: 'D01', budgetFen: 3, spentFen: 2, light: 'yellow', flags: ['OUTLOOK_POSSIBLE'] },
    ]);
    expect(out).toEqual([
      { deptId: 'D01', projects: 2, budgetFen: 1_000_003, spentFen: 100_002, progressBp: 1000, red: 1, yellow: 1, green: 0, suspended: 1 },
      { deptId: 'D02', projects: 1, budgetFen: 100, spentFen: 100, progressBp: 10000, red: 0, yellow: 0, green: 1, suspended: 0 },
    ]);
    expect(grandTotals(out)).toEqual({
      departments: 2,
      projects: 3,
      budgetFen: 1_000_103,
      spentFen: 100_102,
      progressBp: 1000,
      red: 1,
      yellow: 1,
      green: 1,
      suspended: 1,
    });
  });

  it('keeps every project and every fen (property)', () => {
    const item = fc.record({
      deptId: fc.constantFrom('A', 'B', 'C'),
      budgetFen: fc.integer({ min: 0, max: 10_000_000_000 }),
      spentFen: fc.integer({ min: 0, max: 10_000_000_000 }),
      light: fc.constantFrom('red' as const, 'yellow' as const, 'green' as const),
      flags: fc.constant([] as string[]),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 50 }), (items) => {
        const t = grandTotals(rollUp(items));
        expect(t.projects).toBe(items.length);
        expect(t.red + t.yellow + t.green).toBe(items.length);
        expect(t.budgetFen).toBe(items.reduce((s, i) => s + i.budgetFen, 0));
        expect(t.spentFen).toBe(items.reduce((s, i) => s + i.spentFen, 0));
      }),
    );
  });
});

describe('dates', () => {
  it('snapshots at each checkpoint, reminds reminderDays before, per the year’s policy', () => {
    expect(snapshotDates(DEFAULT_POLICY, 2020)).toEqual(['2020-06-30', '2020-09-30']);
    expect(reminderDates(DEFAULT_POLICY, 2020)).toEqual(['2020-06-23', '2020-09-23']);
    expect(reminderCheckpoint(DEFAULT_POLICY, '2020-09-23')).toEqual({ date: '09-30', benchmarkBp: 7500 });
    expect(reminderCheckpoint(DEFAULT_POLICY, '2020-09-24')).toBeUndefined();
    const p = mergePolicy(DEFAULT_POLICY, { notifications: { reminderDays: 3 }, monitoring: { checkpoints: [{ date: '03-02', benchmarkBp: 1000 }] } });
    expect(reminderDates(p, 2020)).toEqual(['2020-02-28']); // 2020 is a leap year: 02-29 then 02-28
  });
});

describe('monitoring reports against the target', () => {
  const target: TargetIndicatorRef[] = [
    { code: 'OUT-001', name: '改造校舍面积', unit: '平方米', direction: '>=', targetValue: 12000 },
    { name: '工程质量', direction: 'qualitative', targetValue: '验收合格' },
  ];

  it('copies the target’s direction and value into the report', () => {
    const out = resolveReport(
      [
        { code: 'OUT-001', actualValue: 6000, outlook: 'certain' },
        { name: '工程质量', actualValue: '分项验收合格', outlook: 'certain' },
      ],
      target,
    );
    expect(out.problems).toEqual([]);
    expect(out.indicators).toEqual([
      { code: 'OUT-001', name: '改造校舍面积', unit: '平方米', direction: '>=', targetValue: 12000, actualValue: 6000, outlook: 'certain' },
      { name: '工程质量', direction: 'qualitative', targetValue: '验收合格', actualValue: '分项验收合格', outlook: 'certain' },
    ]);
  });

  it('lists every problem: unknown, duplicate, wrong kind, contradicting the target, missing', () => {
    const out = resolveReport(
      [
        { code: 'OUT-001', actualValue: '一半', outlook: 'certain', targetValue: 10000 },
        { code: 'OUT-001', actualValue: 1, outlook: 'certain' },
        { name: '不存在的指标', actualValue: 1, outlook: 'certain' },
      ],
      target,
    );
    expect(out.problems).toEqual([
      { path: 'body.indicators[0].targetValue', message: 'the target says 12000' },
      { path: 'body.indicators[0].actualValue', message: 'a >= indicator is reported as a number' },
      { path: 'body.indicators[1]', message: 'the same indicator as body.indicators[0]' },
      { path: 'body.indicators[2]', message: "不存在的指标 is not an indicator of the project's target" },
      { path: 'body.indicators', message: 'missing target indicator 工程质量 (target indicator 2)' },
    ]);
  });

  it('takes a report as it is when the project has no target', () => {
    const out = resolveReport(
      [{ name: '培训人次', actualValue: 300, outlook: 'possible', deviationCause: 'staffing', measures: '增开班次', direction: '>=', targetValue: 500 }],
      undefined,
    );
    expect(out.problems).toEqual([]);
    expect(targetAchievement(out.indicators)?.bp).toBe(6000);
  });

  it('needs the cause and the measures when an outlook is not certain', () => {
    const r = reportBody.safeParse({
      indicators: [
        { name: 'x', actualValue: 1, outlook: 'impossible' },
        { actualValue: 2, outlook: 'certain' },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['indicators.0.deviationCause', 'indicators.0.measures', 'indicators.1.code']);
  });
});

describe('emails', () => {
  it('renders a department warning: the department first, then each red or yellow project with its figures', () => {
    const a = assess(12_345_678, 2_000_000, { indicators: [ge(100, 500, 'impossible')] });
    const d = rollUp([{ deptId: 'D01', budgetFen: 12_345_678, spentFen: 2_000_000, light: a.light, flags: a.flags }])[0]!;
    const lines = [
      departmentLine(d, '市教育局', '2020-09-30', 7500),
      warningLine(
        {
          projectId: 'P-1',
          name: '教师培训',
          asOf: '2020-09-30',
          benchmarkBp: 7500,
          budgetFen: 12_345_678,
          spentFen: 2_000_000,
          suspendedNow: true,
          concerns: [{ name: '培训人次', outlook: 'impossible', deviationCause: 'staffing' }],
        },
        assessProject({ budgetFen: 12_345_678, spentFen: 2_000_000, status: 'active', report: { indicators: [ge(100, 500, 'impossible')] } }, 7500, M),
        M,
      ),
    ];
    const email = renderEmail({ departmentName: '市教育局', runTitle: '2020-09-30 绩效运行监控预警', appUrl: 'http://localhost:3000' }, lines);
    expect(email.subject).toBe('【绩效管理】2020-09-30 绩效运行监控预警：2 项通知');
    expect(email.text).toContain('支出进度 16.20%（时间进度 75.00%）');
    expect(email.text).toContain('红灯 1 个，黄灯 0 个，绿灯 0 个');
    expect(email.text).toContain('【绩效监控预警·红灯】教师培训（P-1）');
    expect(email.text).toContain('预算：123,456.78 元；截至 2020-09-30 支出：20,000.00 元');
    expect(email.text).toContain('目标完成度：20.00%');
    expect(email.text).toContain('预警原因：有指标预计年底“完全不可能”完成；支出进度低于时间进度（75.00%）超过 20.00%\n');
    expect(email.text).toContain('· 培训人次：完全不可能（偏差原因：人员保障）');
    expect(email.text).toContain('处理：按规定暂停项目执行，暂停支付');
  });

  it('lists every project still without a report in one reminder line', () => {
    const line = reminderLine('2020-06-30', [
      { projectId: 'P-1', name: '校舍维修' },
      { projectId: 'P-2', name: '教师培训' },
    ]);
    expect(line).toEqual({
      kind: 'notice',
      title: '监控表填报提醒',
      subject: '2020-06-30 绩效运行监控表',
      details: [
        '以下 2 个项目尚未填报 2020-06-30 绩效运行监控表，请在监控时点前填报（逾期未填报的项目监控结果为红灯）：',
        '  1. 校舍维修（P-1）',
        '  2. 教师培训（P-2）',
      ],
    });
  });
});
