import { afterEach, describe, expect, it, vi } from 'vitest';
import { SCHEDULES, type ScheduleSpec } from '../../infra/schedules';
import { nextFireTime, parseExpression, scheduleInput, startScheduler } from '../../local/scheduler';

const at = (iso: string) => new Date(iso);

describe('nextFireTime: daily cron in Asia/Shanghai (UTC+8, no DST)', () => {
  it('fires at the Shanghai wall time, which is 8 hours earlier in UTC', () => {
    // 01:10 Shanghai on 07-01 is 17:10 UTC on 06-30.
    expect(nextFireTime('cron(10 1 * * ? *)', at('2020-06-30T12:00:00Z')).toISOString()).toBe('2020-06-30T17:10:00.000Z');
    // 09:00 Shanghai is 01:00 UTC the same day.
    expect(nextFireTime('cron(0 9 * * ? *)', at('2020-06-22T20:00:00Z')).toISOString()).toBe('2020-06-23T01:00:00.000Z');
  });

  it('is strictly after: at the firing instant itself, the next day', () => {
    expect(nextFireTime('cron(10 1 * * ? *)', at('2020-06-30T17:10:00.000Z')).toISOString()).toBe('2020-07-01T17:10:00.000Z');
    expect(nextFireTime('cron(10 1 * * ? *)', at('2020-06-30T17:09:59.999Z')).toISOString()).toBe('2020-06-30T17:10:00.000Z');
  });

  it('takes the Shanghai day, not the UTC day, around midnight', () => {
    // 23:59 UTC on 06-30 is already 07:59 on 07-01 in Shanghai: 01:10 has passed, so 07-02 01:10.
    expect(nextFireTime('cron(10 1 * * ? *)', at('2020-06-30T23:59:00Z')).toISOString()).toBe('2020-07-01T17:10:00.000Z');
    // 15:59 UTC is 23:59 Shanghai on the same day: 00:30 Shanghai of the next day is 16:30 UTC.
    expect(nextFireTime('cron(30 0 * * ? *)', at('2020-06-30T15:59:00Z')).toISOString()).toBe('2020-06-30T16:30:00.000Z');
  });

  it('crosses month ends, leap days and years', () => {
    expect(nextFireTime('cron(0 0 * * ? *)', at('2020-02-28T16:00:00Z')).toISOString()).toBe('2020-02-29T16:00:00.000Z');
    expect(nextFireTime('cron(40 1 * * ? *)', at('2020-12-31T18:00:00Z')).toISOString()).toBe('2021-01-01T17:40:00.000Z');
    expect(nextFireTime('cron(59 23 * * ? *)', at('2020-12-31T15:58:00Z')).toISOString()).toBe('2020-12-31T15:59:00.000Z');
  });

  it('keeps every firing on the same Shanghai wall time all year (no daylight saving)', () => {
    let t = at('2020-01-01T00:00:00Z');
    for (let i = 0; i < 366; i++) {
      t = nextFireTime('cron(20 1 * * ? *)', t);
      expect(t.getUTCHours() * 60 + t.getUTCMinutes()).toBe(17 * 60 + 20);
    }
    expect(t.toISOString()).toBe('2020-12-31T17:20:00.000Z');
  });
});

describe('nextFireTime: rate(N minutes)', () => {
  it('fires on multiples of N minutes since the epoch, strictly after', () => {
    expect(nextFireTime('rate(5 minutes)', at('2020-01-01T00:02:30Z')).toISOString()).toBe('2020-01-01T00:05:00.000Z');
    expect(nextFireTime('rate(5 minutes)', at('2020-01-01T00:05:00Z')).toISOString()).toBe('2020-01-01T00:10:00.000Z');
    expect(nextFireTime('rate(1 minute)', at('2020-01-01T00:00:59.999Z')).toISOString()).toBe('2020-01-01T00:01:00.000Z');
  });
});

describe('parseExpression', () => {
  it('understands every expression the schedules use', () => {
    for (const s of SCHEDULES) expect(() => parseExpression(s.expression)).not.toThrow();
    expect(parseExpression('cron(10 1 * * ? *)')).toEqual({ kind: 'daily', hour: 1, minute: 10 });
    expect(parseExpression('rate(5 minutes)')).toEqual({ kind: 'rate', minutes: 5 });
  });

  it.each([
    'cron(0 9 ? * MON *)',
    'cron(0 9 1 * ? *)',
    'cron(0/5 * * * ? *)',
    'cron(60 1 * * ? *)',
    'cron(0 24 * * ? *)',
    'rate(1 minutes)',
    'rate(2 minute)',
    'rate(0 minutes)',
    'rate(1 hour)',
    'at(2020-09-30T01:00:00)',
    '',
  ])('throws on %j, outside the subset', (expression) => {
    expect(() => parseExpression(expression)).toThrow();
    expect(() => nextFireTime(expression, new Date())).toThrow();
  });
});

describe('startScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('invokes the target at the scheduled time with exactly the schedule input, and stops cleanly', async () => {
    // Prepare
    vi.useFakeTimers();
    vi.setSystemTime(at('2020-09-30T17:00:00Z'));
    const schedules: ScheduleSpec[] = [
      { name: 'progress-reclaim', target: 'runner', job: 'progress-reclaim', expression: 'cron(20 1 * * ? *)', asOfOffsetDays: -1, description: '' },
      { name: 'outbox-dispatch', target: 'outbox', expression: 'rate(5 minutes)', asOfOffsetDays: 0, description: '' },
    ];
    const calls: { target: string; event: Record<string, unknown> }[] = [];
    const scheduler = startScheduler({
      schedules,
      log: () => undefined,
      invoke: async (target, event) => {
        calls.push({ target, event });
        return { ok: true };
      },
    });

    // Act
    expect(scheduler.next()).toEqual([
      { name: 'outbox-dispatch', at: '2020-09-30T17:05:00.000Z' },
      { name: 'progress-reclaim', at: '2020-09-30T17:20:00.000Z' },
    ]);
    await vi.advanceTimersByTimeAsync(20 * 60_000);

    // Assess (two firings at 17:20 may run in either order)
    calls.sort((a, b) => String(a.event.scheduledTime).localeCompare(String(b.event.scheduledTime)) || a.target.localeCompare(b.target));
    expect(calls).toEqual([
      { target: 'outbox', event: { scheduledTime: '2020-09-30T17:05:00.000Z', asOfOffsetDays: 0 } },
      { target: 'outbox', event: { scheduledTime: '2020-09-30T17:10:00.000Z', asOfOffsetDays: 0 } },
      { target: 'outbox', event: { scheduledTime: '2020-09-30T17:15:00.000Z', asOfOffsetDays: 0 } },
      { target: 'outbox', event: { scheduledTime: '2020-09-30T17:20:00.000Z', asOfOffsetDays: 0 } },
      { target: 'runner', event: { job: 'progress-reclaim', scheduledTime: '2020-09-30T17:20:00.000Z', asOfOffsetDays: -1 } },
    ]);
    expect(scheduler.next().find((n) => n.name === 'progress-reclaim')?.at).toBe('2020-10-01T17:20:00.000Z');
    expect(vi.getTimerCount()).toBe(2);
    scheduler.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends the scheduled time even when the timer fires late', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(at('2020-06-30T17:09:00Z'));
    const events: Record<string, unknown>[] = [];
    const scheduler = startScheduler({
      schedules: [
        { name: 'monitoring-snapshot', target: 'runner', job: 'monitoring-snapshot', expression: 'cron(10 1 * * ? *)', asOfOffsetDays: -1, description: '' },
      ],
      log: () => undefined,
      invoke: async (_target, event) => void events.push(event),
    });
    // The laptop slept through the firing: the clock jumps, then the timer runs.
    vi.setSystemTime(at('2020-06-30T19:00:00Z'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events).toEqual([{ job: 'monitoring-snapshot', scheduledTime: '2020-06-30T17:10:00.000Z', asOfOffsetDays: -1 }]);
    scheduler.stop();
  });

  it('refuses a schedule outside the subset at start', () => {
    expect(() =>
      startScheduler({ schedules: [{ name: 'x', target: 'runner', job: 'x', expression: 'cron(0 9 ? * MON *)', asOfOffsetDays: 0, description: '' }] }),
    ).toThrow(/only daily cron/);
  });

  it('builds the input EventBridge Scheduler sends', () => {
    const reminders = SCHEDULES.find((s) => s.name === 'reminders') as ScheduleSpec;
    expect(scheduleInput(reminders, at('2020-06-23T01:00:00Z'))).toEqual({ job: 'reminders', scheduledTime: '2020-06-23T01:00:00.000Z', asOfOffsetDays: 0 });
  });
});
