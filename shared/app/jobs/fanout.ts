/**
 * A job run fanned out over the shards of its index (issue 14, part 2). `startFannedRun` takes
 * the job's lock as `runJob` does, keeps the run record (`running`, `shardsTotal`, no shard
 * summaries yet) and hands one message per shard to a queue (SQS; locally an in-process
 * emulation with the same semantics). `runShard` is what a worker does with one message:
 * the job's work on that shard only, then the shard's summary added to the run record once (a
 * conditional write: a redelivered or duplicate message adds nothing), and whoever finds every
 * shard's summary there seals the run's emails (safe to do twice) and ends the run
 * `succeeded` with the sum of the shards (only from `running`: once). `failShard` is what the
 * dead-letter queue's consumer does: the run ends `failed`. The work itself is idempotent
 * (deterministic ledger ids), so a shard redone after a crash half way changes only what the
 * crash left undone.
 */
import { type Principal, SYSTEM } from '../../domain/access';
import { yearOf } from '../../domain/dates';
import { type JobRun, mergeSummaries, type ShardMessage, type ShardQueue } from '../../domain/job-run';
import type { AppDeps } from '../context';
import { yearPolicy } from '../policies';
import { releaseLock, requireJob, takeLock } from './runner';

export type { ShardMessage, ShardQueue } from '../../domain/job-run';

/** A fanned-out run holds its lock this long at most (released when it ends). */
const FANNED_LOCK_MS = 3 * 3600_000;

export async function startFannedRun(deps: AppDeps, queue: ShardQueue, opts: { job: string; asOf: string; runId: string; actor: Principal }): Promise<JobRun> {
  const def = requireJob(opts.job);
  if (!def.fanOut) throw new Error(`${def.name} does not fan out`);
  const startedAt = deps.clock.now().toISOString();
  const base: JobRun = { runId: opts.runId, job: def.name, asOf: opts.asOf, status: 'running', summary: null, requestedBy: opts.actor.sub, startedAt };
  const holder = await takeLock(deps, def.name, opts.asOf, opts.runId, FANNED_LOCK_MS);
  if (holder !== opts.runId) {
    const deferred: JobRun = { ...base, status: 'deferred', deferredTo: holder, finishedAt: startedAt };
    await deps.repos.jobRuns.put(deferred);
    return deferred;
  }
  const total = deps.repos.leaves.shards;
  const run: JobRun = { ...base, shardsTotal: total, shards: {} };
  await deps.repos.jobRuns.put(run);
  const messages = Array.from({ length: total }, (_, shard) => ({ runId: opts.runId, job: def.name, asOf: opts.asOf, shard, requestedBy: opts.actor.sub }));
  await queue.send(messages);
  return run;
}

/** One shard of a run, at least once: a repeat finds its summary there and only helps finish. */
export async function runShard(deps: AppDeps, msg: ShardMessage, opts: { concurrency?: number; appUrl?: string } = {}): Promise<'done' | 'ended' | 'unknown'> {
  const def = requireJob(msg.job);
  let run = await deps.repos.jobRuns.get(msg.runId);
  if (!run) return 'unknown';
  if (run.status !== 'running') return 'ended';
  if (!run.shards?.[shardKey(msg.shard)]) {
    const year = yearOf(msg.asOf);
    const summary = await def.run({
      deps,
      job: def.name,
      asOf: msg.asOf,
      year,
      policy: await yearPolicy(deps.repos.policies, year),
      runId: msg.runId,
      actor: { sub: msg.requestedBy, roles: SYSTEM.roles },
      outboxGroup: outboxGroupOf(def.name, msg.asOf),
      concurrency: opts.concurrency ?? 4,
      shards: [msg.shard],
    });
    run = (await deps.repos.jobRuns.addShard(msg.runId, msg.shard, summary)).run;
  }
  if (run && run.status === 'running' && Object.keys(run.shards ?? {}).length === run.shardsTotal) await finish(deps, run, opts.appUrl);
  return 'done';
}

/** Every shard is in: seal the emails, then end the run with the sum (the first finisher wins; sealing twice is harmless). */
async function finish(deps: AppDeps, run: JobRun, appUrl = 'http://localhost:3000'): Promise<void> {
  const def = requireJob(run.job);
  const parts = Object.keys(run.shards ?? {})
    .sort()
    .map((k) => (run.shards as Record<string, Record<string, unknown>>)[k] as Record<string, unknown>);
  const mails = await deps.repos.outbox.seal(outboxGroupOf(def.name, run.asOf), `${run.asOf} ${def.title}`, deps.clock.now(), appUrl);
  const summary = { ...mergeSummaries(parts, def.fanOut?.same ?? []), shards: parts.length, emails: mails.length };
  if (await deps.repos.jobRuns.finish(run.runId, { status: 'succeeded', summary, finishedAt: deps.clock.now().toISOString() })) {
    await releaseLock(deps, def.name, run.asOf, run.runId);
  }
}

/** A shard message that failed every delivery (the dead-letter queue's consumer): the run fails. */
export async function failShard(deps: AppDeps, msg: ShardMessage, reason: string): Promise<boolean> {
  const run = await deps.repos.jobRuns.get(msg.runId);
  if (!run) return false;
  const ended = await deps.repos.jobRuns.finish(msg.runId, {
    status: 'failed',
    summary: run.summary,
    error: `shard ${shardKey(msg.shard)} failed every delivery: ${reason}`,
    finishedAt: deps.clock.now().toISOString(),
  });
  if (ended) await releaseLock(deps, run.job, run.asOf, run.runId);
  return ended;
}

const shardKey = (shard: number) => String(shard).padStart(2, '0');
const outboxGroupOf = (job: string, asOf: string) => `${job}~${asOf}`;
