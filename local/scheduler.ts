/**
 * The local EventBridge Scheduler: fires the schedules of infra/schedules.ts at their
 * Asia/Shanghai times and invokes the target function in-process with the input the real
 * schedule sends: `{job, scheduledTime, asOfOffsetDays}`, `scheduledTime` being the ISO UTC
 * instant the firing was scheduled for (not when it ran), so a late timer computes the same
 * as-of date.
 *
 * Only the expressions the schedules use are understood: daily `cron(M H * * ? *)` and
 * `rate(N minutes)`; anything else throws, at start.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { JOB_FUNCTIONS } from '../infra/catalog';
import { SCHEDULE_TIMEZONE, SCHEDULES, type ScheduleSpec } from '../infra/schedules';
import { lambdaContext, loadHandler } from './invoke';

/** Asia/Shanghai is UTC+8 all year: no daylight saving since 1991. */
const SHANGHAI_OFFSET_MINUTES = 8 * 60;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export type ParsedExpression = { kind: 'daily'; hour: number; minute: number } | { kind: 'rate'; minutes: number };

export function parseExpression(expression: string): ParsedExpression {
  const cron = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/.exec(expression.trim());
  if (cron) {
    const minute = Number(cron[1]);
    const hour = Number(cron[2]);
    if (minute > 59 || hour > 23) throw new Error(`schedule expression out of range: ${expression}`);
    return { kind: 'daily', hour, minute };
  }
  const rate = /^rate\((\d+) (minute|minutes)\)$/.exec(expression.trim());
  if (rate) {
    const minutes = Number(rate[1]);
    if (minutes < 1 || (minutes === 1) !== (rate[2] === 'minute')) throw new Error(`schedule expression not valid: ${expression}`);
    return { kind: 'rate', minutes };
  }
  throw new Error(`the local scheduler understands only daily cron(M H * * ? *) and rate(N minutes); got ${expression}`);
}

/**
 * The first firing strictly after `after`. Daily crons are in Asia/Shanghai; rates fire on
 * multiples of N minutes since the Unix epoch (EventBridge starts a rate when the schedule is
 * created; the epoch is a start that does not depend on when `npm start` ran).
 */
export function nextFireTime(expression: string, after: Date): Date {
  const parsed = parseExpression(expression);
  const t = after.getTime();
  if (parsed.kind === 'rate') {
    const step = parsed.minutes * MINUTE;
    return new Date((Math.floor(t / step) + 1) * step);
  }
  // Today's firing in Shanghai, as a UTC instant; tomorrow's if that is not after `after`.
  const offset = SHANGHAI_OFFSET_MINUTES * MINUTE;
  const shanghaiMidnight = Math.floor((t + offset) / DAY) * DAY - offset;
  let fire = shanghaiMidnight + (parsed.hour * 60 + parsed.minute) * MINUTE;
  if (fire <= t) fire += DAY;
  return new Date(fire);
}

/** What a schedule sends its target. */
export function scheduleInput(schedule: ScheduleSpec, scheduledTime: Date): Record<string, unknown> {
  return {
    ...(schedule.job ? { job: schedule.job } : {}),
    scheduledTime: scheduledTime.toISOString(),
    asOfOffsetDays: schedule.asOfOffsetDays,
  };
}

export interface LocalScheduler {
  /** The next firing of each schedule. */
  next(): { name: string; at: string }[];
  stop(): void;
}

export interface SchedulerOptions {
  schedules?: ScheduleSpec[];
  /** Invokes a target; in-process by default. */
  invoke?: (target: ScheduleSpec['target'], event: Record<string, unknown>) => Promise<unknown>;
  log?: (line: string) => void;
  now?: () => Date;
}

const ROOT = resolve(import.meta.dirname, '..');

async function invokeInProcess(target: ScheduleSpec['target'], event: Record<string, unknown>): Promise<unknown> {
  const { entry, timeoutSeconds } = JOB_FUNCTIONS[target];
  const handler = await loadHandler(entry);
  return handler(event, lambdaContext(target, `schedule-${Date.now().toString(36)}`, timeoutSeconds * 1000));
}

export function startScheduler(options: SchedulerOptions = {}): LocalScheduler {
  if (SCHEDULE_TIMEZONE !== 'Asia/Shanghai') throw new Error(`the local scheduler knows Asia/Shanghai only, not ${SCHEDULE_TIMEZONE}`);
  const schedules = options.schedules ?? SCHEDULES;
  for (const s of schedules) parseExpression(s.expression);
  const invoke = options.invoke ?? invokeInProcess;
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? (() => new Date());
  const timers = new Map<string, NodeJS.Timeout>();
  const upcoming = new Map<string, Date>();
  const missing = new Set<string>();
  let stopped = false;

  const arm = (schedule: ScheduleSpec, after: Date) => {
    if (stopped) return;
    const at = nextFireTime(schedule.expression, after);
    upcoming.set(schedule.name, at);
    // setTimeout takes at most 2^31-1 ms; a daily schedule is well within it.
    const timer = setTimeout(() => fire(schedule, at), Math.max(0, at.getTime() - now().getTime()));
    timer.unref();
    timers.set(schedule.name, timer);
  };

  const fire = (schedule: ScheduleSpec, at: Date) => {
    arm(schedule, at);
    if (!options.invoke) {
      const entry = JOB_FUNCTIONS[schedule.target].entry;
      if (!existsSync(resolve(ROOT, entry))) {
        if (!missing.has(schedule.name)) log(`scheduler: ${schedule.name} skipped: ${entry} does not exist yet`);
        missing.add(schedule.name);
        return;
      }
    }
    const event = scheduleInput(schedule, at);
    const started = Date.now();
    invoke(schedule.target, event).then(
      (result) => log(`scheduler: ${schedule.name} ${at.toISOString()} done in ${Date.now() - started} ms ${compact(result)}`),
      (error: unknown) => log(`scheduler: ${schedule.name} ${at.toISOString()} failed: ${(error as Error)?.message ?? String(error)}`),
    );
  };

  const start = now();
  for (const schedule of schedules) arm(schedule, start);

  return {
    next: () => [...upcoming.entries()].map(([name, at]) => ({ name, at: at.toISOString() })).sort((a, b) => a.at.localeCompare(b.at)),
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

function compact(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
