/**
 * Runs a job for an as-of date. One run at a time per job and as-of date: a conditional put
 * takes the lock (attribute_not_exists OR expired), and a second, concurrent run records that
 * it deferred to the holder. Every run keeps a record (runId, status, summary). The job itself
 * is idempotent, so a rerun after a finished or crashed run changes nothing that was done.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getItem, queryPage } from '../../aws/db';
import { keys } from '../../aws/keys';
import { sealGroup } from '../../aws/outbox';
import { stripKeys } from '../../aws/projects-repo';
import type { Principal } from '../../domain/access';
import { addDays, shanghaiDate, yearOf } from '../../domain/dates';
import { NotFoundError, ValidationError } from '../../domain/errors';
import type { AppDeps } from '../context';
import { effectivePolicy } from '../policies';
import { findJob } from './registry';
import type { JobDefinition, JobSummary } from './types';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'deferred';

export interface JobRun {
  runId: string;
  job: string;
  asOf: string;
  status: RunStatus;
  summary: JobSummary | null;
  requestedBy: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** For a run that found another run of the same job and as-of in progress. */
  deferredTo?: string;
}

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
  const policy = await effectivePolicy(deps.db, yearOf(asOf));
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
  const year = yearOf(opts.asOf);
  const policy = await effectivePolicy(deps.db, year);
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
    const mails = await sealGroup(deps.db, outboxGroup, `${opts.asOf} ${def.title}`, deps.clock.now(), opts.appUrl ?? 'http://localhost:3000');
    const done: JobRun = {
      ...base,
      status: 'succeeded',
      summary: { ...summary, emails: mails.length },
      finishedAt: deps.clock.now().toISOString(),
    };
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

/** Takes the lock for this run, or returns the runId of the run that holds it. */
async function takeLock(deps: AppDeps, job: string, asOf: string, runId: string): Promise<string> {
  const now = deps.clock.now();
  try {
    await deps.db.doc.send(
      new PutCommand({
        TableName: deps.db.table,
        Item: {
          ...keys.jobLock(job, asOf),
          entity: 'JobLock',
          v: 1,
          runId,
          lockedUntil: new Date(now.getTime() + LOCK_MS).toISOString(),
          // TTL deletes late (up to days): the expiry is checked in the condition, not left to TTL.
          expiresAt: Math.floor(now.getTime() / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(PK) OR lockedUntil < :now',
        ExpressionAttributeValues: { ':now': now.toISOString() },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return runId;
  } catch (error) {
    const e = error as { name?: string; Item?: Record<string, { S?: string }> };
    if (e.name !== 'ConditionalCheckFailedException') throw error;
    return e.Item?.runId?.S ?? 'unknown';
  }
}

async function renewLock(deps: AppDeps, job: string, asOf: string, runId: string): Promise<void> {
  await deps.db.doc.send(
    new UpdateCommand({
      TableName: deps.db.table,
      Key: keys.jobLock(job, asOf),
      UpdateExpression: 'SET lockedUntil = :until',
      ConditionExpression: 'runId = :runId',
      ExpressionAttributeValues: { ':until': new Date(deps.clock.now().getTime() + LOCK_MS).toISOString(), ':runId': runId },
    }),
  );
}

async function releaseLock(deps: AppDeps, job: string, asOf: string, runId: string): Promise<void> {
  try {
    await deps.db.doc.send(
      new DeleteCommand({
        TableName: deps.db.table,
        Key: keys.jobLock(job, asOf),
        ConditionExpression: 'runId = :runId',
        ExpressionAttributeValues: { ':runId': runId },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

async function putRun(deps: AppDeps, run: JobRun): Promise<void> {
  await deps.db.doc.send(
    new PutCommand({
      TableName: deps.db.table,
      Item: { ...keys.jobRun(run.runId), ...keys.jobRunIndex(run.job, run.asOf, run.startedAt), entity: 'JobRun', v: 1, ...run },
    }),
  );
}

export async function getRun(deps: AppDeps, runId: string): Promise<JobRun | undefined> {
  const item = await getItem(deps.db, keys.jobRun(runId));
  return item ? stripKeys<JobRun>(item) : undefined;
}

export async function listRuns(deps: AppDeps, job: string, limit: number, nextToken?: string) {
  const page = await queryPage(
    deps.db,
    {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.jobRunsPartition(job) },
      ScanIndexForward: false,
    },
    limit,
    nextToken,
  );
  return { items: page.items.map((i) => stripKeys<JobRun>(i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
