import { describe, expect, it } from 'vitest';
import { buildReport } from '../../local/seed/monitoring';
import { reportBody, resolveReport, type TargetIndicatorRef } from '../../shared/domain/monitoring';

const target: TargetIndicatorRef[] = [
  { code: 'G-OUT-001', name: '培训人次', level1: 'output', unit: '人次', direction: '>=', targetValue: 5000 },
  { name: '群众满意度', level1: 'satisfaction', unit: '%', direction: '>=', targetValue: 90 },
  { name: '社会效益', level1: 'benefit', direction: 'qualitative', targetValue: '明显提升' },
];

/** What a department would send to file the seeded report through the API. */
function asInput(indicators: NonNullable<ReturnType<typeof buildReport>>['indicators'], withTarget: boolean) {
  return indicators.map(({ level1: _l1, unit, direction, targetValue, ...rest }) =>
    withTarget ? rest : { ...rest, ...(unit ? { unit } : {}), ...(direction ? { direction } : {}), ...(targetValue !== undefined ? { targetValue } : {}) },
  );
}

describe('demo monitoring reports', () => {
  it('are reports the API would accept, deterministic, with mostly certain outlooks and some missing', () => {
    let missing = 0;
    const worst = { certain: 0, possible: 0, impossible: 0 };
    for (let i = 0; i < 400; i++) {
      const withTarget = i % 2 === 0;
      const p = { projectId: `P-${i}`, deptId: 'D', year: 2020, budgetFen: 1_000_000, spentByDay: { '2020-05-01': (i * 2_500) % 1_000_000 } };
      const cp = { date: '09-30', benchmarkBp: 7500, last: true };
      const t = withTarget ? { version: 2, status: 'approved', indicators: target } : undefined;
      const r = buildReport(p, cp, t);
      expect(buildReport(p, cp, t)).toEqual(r);
      if (!r) {
        missing++;
        continue;
      }
      const input = asInput(r.indicators, withTarget);
      expect(reportBody.safeParse({ indicators: input }).success).toBe(true);
      const resolved = resolveReport(reportBody.parse({ indicators: input }).indicators, t?.indicators);
      expect(resolved.problems).toEqual([]);
      expect(resolved.indicators).toEqual(r.indicators);
      const o = r.indicators.some((x) => x.outlook === 'impossible')
        ? 'impossible'
        : r.indicators.some((x) => x.outlook === 'possible')
          ? 'possible'
          : 'certain';
      worst[o]++;
    }
    expect(missing).toBeGreaterThan(5);
    expect(missing).toBeLessThan(40);
    expect(worst.certain).toBeGreaterThan(worst.possible);
    expect(worst.possible).toBeGreaterThan(worst.impossible);
    expect(worst.impossible).toBeGreaterThan(0);
  });
});
