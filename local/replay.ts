/**
 * `npm run replay -- 2020`: a year of the bureau's scheduled work, against the running local
 * stack. Reads the year's policy, lays out every job run of the year in calendar order (each
 * as-of date its policy names), runs them one by one through the jobs API, and prints what
 * each changed.
 *
 *   PORT          the local API's port [3000]
 *   --dry-run     print the calendar only
 */
import { pathToFileURL } from 'node:url';
import { SCHEDULES } from '../infra/schedules';
import { addDays } from '../shared/domain/dates';
import { formatYuan } from '../shared/domain/money';
import type { Policy } from '../shared/domain/policy';
import { parseExpression } from './scheduler';
import { replayAllocations } from './seed/idle-funds';
import { replayEvaluationSeason } from './replay-evaluations';

export interface PlannedRun {
  job: string;
  asOf: string;
  /** When the schedule would fire for this as-of date (ISO UTC): the order of the calendar. */
  firesAt: string;
  why: string;
}

/** The firing instant of a job's daily schedule that computes `asOf`. */
function firesAt(job: string, asOf: string): string {
  const schedule = SCHEDULES.find((s) => s.job === job);
  if (!schedule) return `${asOf}T00:00:00.000Z`;
  const day = addDays(asOf, -schedule.asOfOffsetDays);
  const parsed = parseExpression(schedule.expression);
  const [h, m] = parsed.kind === 'daily' ? [parsed.hour, parsed.minute] : [0, 0];
  // Shanghai wall time on `day` as UTC: 8 hours earlier.
  return new Date(Date.parse(`${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+08:00`)).toISOString();
}

/** Every job run of a year, in the order the schedules would run them. */
export function replayCalendar(year: number, policy: Policy): PlannedRun[] {
  const runs: Omit<PlannedRun, 'firesAt'>[] = [];
  const on = (monthDay: string) => `${year}-${monthDay}`;
  for (const c of policy.monitoring.checkpoints) {
    runs.push({
      job: 'reminders',
      asOf: addDays(on(c.date), -policy.notifications.reminderDays),
      why: `${policy.notifications.reminderDays} days before the ${c.date} checkpoint`,
    });
    runs.push({ job: 'monitoring-snapshot', asOf: on(c.date), why: `checkpoint ${c.date}, benchmark ${c.benchmarkBp} bp` });
  }
  runs.push({ job: 'progress-reclaim', asOf: on(policy.progressReclaim.date), why: `below ${policy.progressReclaim.thresholdBp} bp` });
  runs.push({ job: 'progress-cap', asOf: on(policy.progressCap.date), why: `below ${policy.progressCap.thresholdBp} bp: flag` });
  runs.push({ job: 'progress-cap', asOf: on('12-31'), why: 'year end: flags become caps' });
  policy.idleFunds.quarterEnds.forEach((q, i) => {
    runs.push({ job: 'idle-funds-sweep', asOf: on(q), why: `quarter ${i + 1}` });
  });

  const seen = new Set<string>();
  return runs
    .filter((r) => r.asOf.startsWith(`${year}-`))
    .filter((r) => {
      const key = `${r.job}@${r.asOf}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((r) => ({ ...r, firesAt: firesAt(r.job, r.asOf) }))
    .sort((a, b) => a.firesAt.localeCompare(b.firesAt) || a.job.localeCompare(b.job));
}

/** Keys left out of a run's line: the line already says them, or they are not news. */
const QUIET_KEYS = new Set(['asOf', 'policyYear', 'durationMs', 'job', 'runId', 'status']);
/** The counters that say what a run changed; the totals add these up. */
export const CHANGE_KEYS = ['deductions', 'amountFen', 'emails', 'flagged', 'capped', 'suspended', 'reminded'] as const;

const fmt = (key: string, v: unknown) => (typeof v === 'number' && /Fen$/.test(key) ? `${key}=${formatYuan(v).replace(' 元', '元')}` : `${key}=${String(v)}`);
const isNothing = (v: unknown) => v === 0 || v === false || v === null || v === undefined || v === '';

function leaves(value: unknown, prefix: string, out: [string, unknown][] = []): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, `${prefix}.${k}`, out);
  } else if (!isNothing(value) && !(Array.isArray(value) && value.length === 0)) {
    out.push([prefix, value]);
  }
  return out;
}

/**
 * A run's summary on one line: `key=value`, zeros and false left out, fen also in yuan, small
 * nested objects dotted, large ones (per-department maps) as `key={N}`, lists as their length.
 */
export function compactSummary(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object' || Array.isArray(value)) return String(Array.isArray(value) ? `[${value.length}]` : value);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (QUIET_KEYS.has(k) || isNothing(v)) continue;
    if (Array.isArray(v)) {
      if (v.length > 0) parts.push(v.length <= 3 && v.every((x) => typeof x !== 'object') ? `${k}=[${v.join(',')}]` : `${k}=[${v.length}]`);
    } else if (typeof v === 'object') {
      const inner = leaves(v, k);
      if (inner.length > 0 && inner.length <= 4) parts.push(...inner.map(([key, x]) => (Array.isArray(x) ? `${key}=[${x.length}]` : fmt(key, x))));
      else if (inner.length > 4) parts.push(`${k}={${Object.keys(v as object).length}}`);
    } else {
      parts.push(fmt(k, v));
    }
  }
  return parts.join(' ');
}

/** The change counters of a summary (top level only). */
function changes(summary: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (summary && typeof summary === 'object') {
    for (const key of CHANGE_KEYS) {
      const v = (summary as Record<string, unknown>)[key];
      if (typeof v === 'number') out.set(key, v);
    }
  }
  return out;
}

function addInto(into: Map<string, number>, from: Map<string, number>): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
}

const changeLine = (m: Map<string, number>) =>
  CHANGE_KEYS.filter((k) => m.has(k))
    .map((k) => fmt(k, m.get(k)))
    .join(' ');

/** A request to the API: the local stack over HTTP (`npm run replay`) or the handlers in process (tests). */
export type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

type Outcome = { status: 'succeeded' | 'failed' | 'unavailable' | 'error'; seconds: number; summary?: unknown; message?: string };

class Api {
  token = '';
  constructor(readonly base: string) {}

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runJob(call: Call, run: PlannedRun): Promise<Outcome> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const res = await call('POST', `/v1/jobs/${encodeURIComponent(run.job)}/runs`, { asOf: run.asOf });
  const code = res.body?.error?.code;
  if (res.status === 404 && (code === 'UNKNOWN_JOB' || code === 'ROUTE_NOT_FOUND')) return { status: 'unavailable', seconds: seconds() };
  if (res.status === 202) {
    const runId = res.body?.runId as string | undefined;
    if (!runId) return { status: 'error', seconds: seconds(), message: '202 without a runId' };
    for (let delay = 250; ; delay = Math.min(2000, delay * 1.5)) {
      await sleep(delay);
      const poll = await call('GET', `/v1/jobs/runs/${encodeURIComponent(runId)}`);
      if (poll.status !== 200) return { status: 'error', seconds: seconds(), message: `GET /v1/jobs/runs/${runId} answered ${poll.status}` };
      if (poll.body?.status !== 'running') return outcomeOf(poll.body, seconds());
    }
  }
  if (res.status === 200) return outcomeOf(res.body, seconds());
  return { status: 'error', seconds: seconds(), message: `${res.status} ${code ?? ''} ${res.body?.error?.message ?? JSON.stringify(res.body)}`.trim() };
}

function outcomeOf(run: { status?: string; summary?: unknown; error?: unknown }, seconds: number): Outcome {
  const status = run?.status === 'succeeded' ? 'succeeded' : 'failed';
  return { status, seconds, summary: run?.summary, ...(run?.error ? { message: JSON.stringify(run.error) } : {}) };
}

function bar(done: number, total: number, label: string): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r\x1b[2K[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${label}`);
}

/**
 * Runs a year's calendar through the jobs API one by one, with the pool allocations after the
 * first sweep, then the clean-up totals and the evaluation season; logs a line per run and the
 * totals. Shared by `npm run replay` and the tests that replay the demo year in process.
 */
export async function replayYear(
  year: number,
  policy: Policy,
  call: Call,
  log: (line: string) => void,
  progress?: (done: number, total: number, label: string) => void,
): Promise<{ failures: number; tally: Record<Outcome['status'], number>; overall: Map<string, number> }> {
  const calendar = replayCalendar(year, policy);
  const jobWidth = Math.max(...calendar.map((r) => r.job.length));
  const started = Date.now();
  const tally: Record<Outcome['status'], number> = { succeeded: 0, failed: 0, unavailable: 0, error: 0 };
  const totals = new Map<string, { runs: number; sums: Map<string, number> }>();
  const overall = new Map<string, number>();
  for (const [i, run] of calendar.entries()) {
    progress?.(i, calendar.length, `${run.asOf} ${run.job}`);
    let outcome: Outcome;
    try {
      outcome = await runJob(call, run);
    } catch (error) {
      outcome = { status: 'error', seconds: 0, message: (error as Error).message };
    }
    tally[outcome.status]++;
    if (outcome.status === 'succeeded' || outcome.status === 'failed') {
      const entry = totals.get(run.job) ?? { runs: 0, sums: new Map<string, number>() };
      totals.set(run.job, entry);
      entry.runs++;
      addInto(entry.sums, changes(outcome.summary));
      addInto(overall, changes(outcome.summary));
    }
    const what =
      outcome.status === 'unavailable'
        ? 'not available yet'
        : [outcome.status, `${outcome.seconds.toFixed(1)} s`, compactSummary(outcome.summary), outcome.message ?? ''].filter(Boolean).join('  ');
    if (process.stderr.isTTY && progress) process.stderr.write('\r\x1b[2K');
    log(`${run.asOf}  ${run.job.padEnd(jobWidth)}  ${what}`);
    // Once the first sweep has filled the pool, the performance office allocates from it.
    if (run.job === 'idle-funds-sweep' && outcome.status === 'succeeded' && !calendar.slice(0, i).some((r) => r.job === run.job)) {
      for (const line of await replayAllocations(year, call)) log(line);
    }
  }
  progress?.(calendar.length, calendar.length, 'done');
  if (process.stderr.isTTY && progress) process.stderr.write('\n');

  log(
    `\n${calendar.length} runs in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      (Object.entries(tally) as [string, number][])
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', '),
  );
  for (const [job, { runs, sums }] of totals) {
    log(`  ${job.padEnd(jobWidth)}  ${String(runs).padStart(2)} run${runs === 1 ? ' ' : 's'}  ${changeLine(sums)}`);
  }
  if (totals.size > 1) log(`  ${'all jobs'.padEnd(jobWidth)}  ${String(calendar.length).padStart(2)} runs  ${changeLine(overall)}`);
  // The clean-up of the year (SPEC §3.3), from the ledger: made before the year's jobs, not by them.
  const cleanup = await call('GET', `/v1/cleanup/${year}/totals`);
  if (cleanup.status === 200) {
    const c = cleanup.body as { projects: number; cutFen: number; reversed: { projects: number; fen: number } };
    log(
      `clean-up ${year} (政策清理, CLEANUP_CUT in the ledger): ${c.projects} projects cancelled, ${(c.cutFen / 100).toLocaleString('en', { minimumFractionDigits: 2 })} 元 cut` +
        (c.reversed.projects > 0 ? ` (${c.reversed.projects} reversed on appeal)` : ''),
    );
  }
  for (const line of await replayEvaluationSeason(year, policy, call)) log(line);
  return { failures: tally.failed + tally.error, tally, overall };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const year = Number(args.find((a) => /^\d{4}$/.test(a)));
  const dryRun = args.includes('--dry-run');
  if (!Number.isInteger(year)) {
    console.error('usage: npm run replay -- <year> [--dry-run]');
    return 2;
  }
  const port = Number(process.env.PORT ?? 3000);
  const api = new Api(`http://127.0.0.1:${port}`);

  // A stack started a moment ago may not listen yet.
  for (let attempt = 0; ; attempt++) {
    try {
      await api.call('GET', '/health');
      break;
    } catch {
      if (attempt === 0) process.stderr.write(`waiting for the local stack on port ${port}...\n`);
      if (attempt >= 60) {
        console.error(`No local stack on port ${port}: start it with npm start (or set PORT).`);
        return 1;
      }
      await sleep(500);
    }
  }
  // The seed loads in the background: replaying over half a data set would mislead.
  for (let waited = 0; ; waited++) {
    const status = await api.call('GET', '/local/status');
    const seeding = ['pending', 'running'].includes(status.body?.seed?.state);
    const starting = status.body?.services === 'starting';
    if (status.status !== 200 || !(seeding || starting)) break;
    if (waited === 0) process.stderr.write('waiting for the local stack to finish starting and seeding...\n');
    await sleep(500);
  }

  const tokenRes = await api.call('POST', '/local/token', { sub: 'replay', roles: ['performance'] });
  if (tokenRes.status !== 200) {
    console.error(`POST /local/token answered ${tokenRes.status}`);
    return 1;
  }
  api.token = tokenRes.body.token as string;
  const policyRes = await api.call('GET', `/v1/policies/${year}`);
  if (policyRes.status !== 200) {
    console.error(`GET /v1/policies/${year} answered ${policyRes.status}: ${JSON.stringify(policyRes.body)}`);
    return 1;
  }
  const calendar = replayCalendar(year, policyRes.body.policy as Policy);
  const jobWidth = Math.max(...calendar.map((r) => r.job.length));
  console.log(`Replaying ${year}: ${calendar.length} job runs against ${api.base}`);
  if (dryRun) {
    for (const r of calendar) console.log(`  ${r.asOf}  ${r.job.padEnd(jobWidth)}  ${r.why}  (schedule fires ${r.firesAt})`);
    return 0;
  }

  const { failures } = await replayYear(year, policyRes.body.policy as Policy, (m, p, b) => api.call(m, p, b), console.log, bar);
  return failures > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const lost = error instanceof TypeError && error.message === 'fetch failed';
      console.error(lost ? `\nLost the local stack on port ${process.env.PORT ?? 3000} (was it stopped?)` : ((error as Error)?.stack ?? String(error)));
      process.exit(1);
    },
  );
}
