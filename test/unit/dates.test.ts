import { describe, expect, it } from 'vitest';
import { asOfFromSchedule } from '../../shared/app/jobs/runner';
import { addDays, isValidDate, monthsBetween, shanghaiDate, yearsBetween } from '../../shared/domain/dates';

describe('dates in Asia/Shanghai', () => {
  it('takes the calendar date of an instant in UTC+8', () => {
    expect(shanghaiDate('2020-06-30T15:59:59Z')).toBe('2020-06-30');
    expect(shanghaiDate('2020-06-30T16:00:00Z')).toBe('2020-07-01');
  });

  it('derives a job’s as-of date from the schedule’s time, never from now', () => {
    // A 01:10 Shanghai firing on 07-01 is 17:10 UTC on 06-30: as of the day before, 06-30.
    expect(asOfFromSchedule('2020-06-30T17:10:00Z', -1)).toBe('2020-06-30');
    expect(asOfFromSchedule('2020-12-31T17:30:00Z', -1)).toBe('2020-12-31');
    expect(asOfFromSchedule('2020-12-31T01:00:00Z', 0)).toBe('2020-12-31');
  });

  it('validates calendar dates', () => {
    expect(isValidDate('2020-02-29')).toBe(true);
    expect(isValidDate('2021-02-29')).toBe(false);
    expect(isValidDate('2020-13-01')).toBe(false);
    expect(isValidDate('20200101')).toBe(false);
    expect(addDays('2020-12-31', 1)).toBe('2021-01-01');
  });

  it('counts whole months and years on their anniversaries', () => {
    expect(monthsBetween('2019-09-30', '2020-09-30')).toBe(12);
    expect(monthsBetween('2019-10-01', '2020-09-30')).toBe(11);
    expect(monthsBetween('2019-08-31', '2019-09-30')).toBe(1);
    expect(monthsBetween('2019-01-31', '2019-02-28')).toBe(1);
    expect(yearsBetween('2017-12-31', '2020-12-31')).toBe(3);
    expect(yearsBetween('2018-01-01', '2020-12-31')).toBe(2);
    expect(yearsBetween('2016-02-29', '2017-02-28')).toBe(1);
  });
});
