/**
 * Runs a job for an as-of date. One run at a time per job and as-of date: the idempotency
 * record (scope `job`, key job + as-of) is the lock, taken by one conditional put; a second,
 * concurrent run learns the holder from the failed put and records that it deferred to it.
 * Every run keeps a record (runId, status, summary). The job itself is idempotent, so a rerun
 * after a finished or crashed run changes nothing that was done; the lock is released when a
 * run ends (and expires if its runner dies), so a later rerun runs again.
 */
import type { Principal } from '../../domain/access';
import { addDays, shanghaiDate, yearOf } from '../../domain/dates';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { epochSeconds } from '../../domain/idempotency';
import type { JobRun } from '../../domain/job-run';
import type { Policy } from '../../domain/policy';
import type { AppDeps } from '../context';
import { yearPolicy } from '../policies';
import { findJob } from './registry';
import type { JobDefinition } from './types';

export type { JobRun, RunStatus } from '../../domain/job-run';
export { getRun, listRuns } from './runs';

const LOCK_MS = 5 * 60_000;
const HEARTBEAT_MS = 60_000;

export function requireJob(name: string): JobDefinition {
  const def = findJob(name);
  if (!def) throw new NotFoundError(`There is no job ${name}`, 'UNKNOWN_JOB');
  return def;
}

/** The as-of date of a scheduled invocation: the schedule's time, never "now". */
export function asOfFromSchedule(scheduledTime: string, offsetDays: number): string {
  return addDays(shanghaiDate(scheduledTime), offsetDays);
}

/** Refuses an as-of date on which the job does not apply under that year's policy. */
export async function checkAsOf(deps: AppDeps, def: JobDefinition, asOf: string): Promise<void> {
  const policy = await yearPolicy(deps.repos.policies, yearOf(asOf));
  const dates = def.dates(policy, yearOf(asOf));
  if (!dates.includes(asOf)) {
    throw new ValidationError([{ path: 'body.asOf', message: `${def.name} runs as of ${dates.join(', ')} in ${yearOf(asOf)}` }]);
  }
}

export interface RunOptions {
  job: string;
  asOf: string;
  runId: string;
  actor: Principal;
  concurrency?: number;
  appUrl?: string;
}

export async function runJob(deps: AppDeps, opts: RunOptions): Promise<JobRun> {
  const def = requireJob(opts.job);
  const policy = await yearPolicy(deps.repos.policies, yearOf(opts.asOf));
  const startedAt = deps.clock.now().toISOString();
  const base: JobRun = {
    runId: opts.runId,
    job: def.name,
    asOf: opts.asOf,
    status: 'running',
    summary: null,
    requestedBy: opts.actor.sub,
    startedAt,
  };

  const holder = await takeLock(deps, def.name, opts.asOf, opts.runId);
  if (holder !== opts.runId) {
    const deferred: JobRun = { ...base, status: 'deferred', deferredTo: holder, finishedAt: startedAt };
    await putRun(deps, deferred);
    return deferred;
  }
  await putRun(deps, base);
  const heartbeat = setInterval(() => void renewLock(deps, def.name, opts.asOf, opts.runId).catch(() => undefined), HEARTBEAT_MS);
  heartbeat.unref?.();
  try {
    const done: JobRun = { ...base, ...(await execute(deps, def, policy, opts)), finishedAt: deps.clock.now().toISOString() };
    await putRun(deps, done);
    return done;
  } catch (error) {
    const failed: JobRun = { ...base, status: 'failed', error: (error as Error).message, finishedAt: deps.clock.now().toISOString() };
    await putRun(deps, failed);
    throw error;
  } finally {
    clearInterval(heartbeat);
    await releaseLock(deps, def.name, opts.asOf, opts.runId);
  }
}

/** The work of a run that holds the lock: the job, then its emails sealed into one group. */
async function execute(deps: AppDeps, def: JobDefinition, policy: Policy, opts: RunOptions): Promise<Pick<JobRun, 'status' | 'summary'>> {
  const year = yearOf(opts.asOf);
  const outboxGroup = `${def.name}~${opts.asOf}`;
  const summary = await def.run({
    deps,
    job: def.name,
    asOf: opts.asOf,
    year,
    policy,
    runId: opts.runId,
    actor: opts.actor,
    outboxGroup,
    concurrency: opts.concurrency ?? 16,
  });
  const mails = await deps.repos.outbox.seal(outboxGroup, `${opts.asOf} ${def.title}`, deps.clock.now(), opts.appUrl ?? 'http://localhost:3000');
  return { status: 'succeeded', summary: { ...summary, emails: mails.length } };
}

const LOCK_SCOPE = 'job';
const lockKey = (job: string, asOf: string) => `${job}#${asOf}`;
const lockExpiry = (deps: AppDeps, ms = LOCK_MS) => epochSeconds(deps.clock.now()) + ms / 1000;

/** Takes the lock for this run, or returns the runId of the run that holds it. */
export async function takeLock(deps: AppDeps, job: string, asOf: string, runId: string, holdMs = LOCK_MS): Promise<string> {
  const key = lockKey(job, asOf);
  const outcome = await deps.repos.idempotency.claim(
    { scope: LOCK_SCOPE, key, owner: runId, requestHash: key, expiresAt: lockExpiry(deps, holdMs) },
    deps.clock.now(),
  );
  return outcome.claimed ? runId : outcome.existing.owner;
}

async function renewLock(deps: AppDeps, job: string, asOf: string, runId: string): Promise<void> {
  await deps.repos.idempotency.extend(LOCK_SCOPE, lockKey(job, asOf), runId, lockExpiry(deps));
}

export async function releaseLock(deps: AppDeps, job: string, asOf: string, runId: string): Promise<void> {
  await deps.repos.idempotency.release(LOCK_SCOPE, lockKey(job, asOf), runId);
}

async function putRun(deps: AppDeps, run: JobRun): Promise<void> {
  await deps.repos.jobRuns.put(run);
}
