import { describe, expect, it } from 'vitest';
import { compactSummary, replayCalendar } from '../../local/replay';
import { DEFAULT_POLICY, type Policy } from '../../shared/domain/policy';

describe('replayCalendar', () => {
  it('lays out the year of the default policy in the order the schedules would run it', () => {
    const calendar = replayCalendar(2020, DEFAULT_POLICY).map((r) => [r.asOf, r.job, r.firesAt]);
    expect(calendar).toEqual([
      ['2020-03-31', 'idle-funds-sweep', '2020-03-31T17:40:00.000Z'],
      ['2020-06-23', 'reminders', '2020-06-23T01:00:00.000Z'],
      ['2020-06-30', 'monitoring-snapshot', '2020-06-30T17:10:00.000Z'],
      ['2020-06-30', 'idle-funds-sweep', '2020-06-30T17:40:00.000Z'],
      ['2020-09-23', 'reminders', '2020-09-23T01:00:00.000Z'],
      ['2020-09-30', 'monitoring-snapshot', '2020-09-30T17:10:00.000Z'],
      ['2020-09-30', 'progress-reclaim', '2020-09-30T17:20:00.000Z'],
      ['2020-09-30', 'idle-funds-sweep', '2020-09-30T17:40:00.000Z'],
      ['2020-11-30', 'progress-cap', '2020-11-30T17:30:00.000Z'],
      ['2020-12-31', 'progress-cap', '2020-12-31T17:30:00.000Z'],
      ['2020-12-31', 'idle-funds-sweep', '2020-12-31T17:40:00.000Z'],
    ]);
  });

  it('follows the policy of the year', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      monitoring: { ...DEFAULT_POLICY.monitoring, checkpoints: [{ date: '09-30', benchmarkBp: 7500 }] },
      progressCap: { date: '12-31', thresholdBp: 9000 },
      idleFunds: { ...DEFAULT_POLICY.idleFunds, quarterEnds: ['12-31'] },
      notifications: { ...DEFAULT_POLICY.notifications, reminderDays: 3 },
    };
    expect(replayCalendar(2021, policy).map((r) => `${r.asOf} ${r.job}`)).toEqual([
      '2021-09-27 reminders',
      '2021-09-30 monitoring-snapshot',
      '2021-09-30 progress-reclaim',
      '2021-12-31 progress-cap',
      '2021-12-31 idle-funds-sweep',
    ]);
  });
});

describe('compactSummary', () => {
  it('prints what a run changed on one line: zeros dropped, fen also in yuan, big maps counted', () => {
    const summary = {
      asOf: '2020-09-30',
      projects: 1700,
      deductions: 196,
      alreadyApplied: 0,
      amountFen: 24191820789,
      byRule: { PROGRESS_RECLAIM: { deductions: 196 } },
      byDept: Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`D${i}`, { deductions: 1, amountFen: 100 }])),
      exemptFundSources: [],
      ids: ['a', 'b', 'c', 'd'],
      rerun: false,
    };
    expect(compactSummary(summary)).toBe('projects=1700 deductions=196 amountFen=241,918,207.89元 byRule.PROGRESS_RECLAIM.deductions=196 byDept={70} ids=[4]');
    expect(compactSummary(undefined)).toBe('');
  });
});
