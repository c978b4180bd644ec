/**
 * The schedules of SPEC §5, one list for EventBridge Scheduler (infra) and the local scheduler.
 *
 * Every job fires daily and takes its as-of date from the schedule's scheduled time (never from
 * "now"); the job itself checks that date against the policy of its year and does nothing on
 * other days. So a bureau that moves a checkpoint in its policy needs no redeploy, and a late
 * or retried invocation computes the same as-of date.
 *
 * Expressions are limited to what the local scheduler also understands: daily
 * `cron(M H * * ? *)` and `rate(N minutes)`; a test keeps it so.
 */
export const SCHEDULE_TIMEZONE = 'Asia/Shanghai';

export interface ScheduleSpec {
  name: string;
  /** The function it invokes (JOB_FUNCTIONS). */
  target: 'runner' | 'outbox';
  /** For the runner: which job. */
  job?: string;
  expression: string;
  /** as-of = the Shanghai date of the scheduled time plus this many days. */
  asOfOffsetDays: number;
  description: string;
}

export const SCHEDULES: ScheduleSpec[] = [
  {
    name: 'monitoring-snapshot',
    target: 'runner',
    job: 'monitoring-snapshot',
    expression: 'cron(10 1 * * ? *)',
    asOfOffsetDays: -1,
    description: 'After each monitoring checkpoint (06-30, 09-30): snapshot, lights, warnings, suspensions',
  },
  {
    name: 'progress-reclaim',
    target: 'runner',
    job: 'progress-reclaim',
    expression: 'cron(20 1 * * ? *)',
    asOfOffsetDays: -1,
    description: 'After 09-30: reclaim the lag behind 80% spending',
  },
  {
    name: 'progress-cap',
    target: 'runner',
    job: 'progress-cap',
    expression: 'cron(30 1 * * ? *)',
    asOfOffsetDays: -1,
    description: 'After 11-30: flag projects below 90%; after 12-31: cap next year at actual spending',
  },
  {
    name: 'idle-funds-sweep',
    target: 'runner',
    job: 'idle-funds-sweep',
    expression: 'cron(40 1 * * ? *)',
    asOfOffsetDays: -1,
    description: 'After each quarter end: carryovers, stale payables, idle balances, deferrable projects',
  },
  {
    name: 'reminders',
    target: 'runner',
    job: 'reminders',
    expression: 'cron(0 9 * * ? *)',
    asOfOffsetDays: 0,
    description: 'Daily: remind departments that have not filed their monitoring report N days before a checkpoint',
  },
  {
    name: 'outbox-dispatch',
    target: 'outbox',
    expression: 'rate(5 minutes)',
    asOfOffsetDays: 0,
    description: 'Send pending emails and retry failed sends',
  },
];
