/**
 * A job run fanned out over the shards of its index (issue 14, part 2). `startFannedRun` takes
 * the job's lock as `runJob` does, keeps the run record (`running`, `shardsTotal`, no shard
 * summaries yet) and hands one message per shard to a queue (SQS; locally an in-process
 * emulation with the same semantics). `runShard` is what a worker does with one message: the
 * job's work on one bounded segment of that shard (at most SEGMENT projects), recorded once, and
 * the message for the shard's next segment; after the shard's last segment, the sum of its
 * segments added to the run record once (a conditional write: a redelivered or duplicate
 * message adds nothing), and whoever finds every
 * shard's summary there seals the run's emails (safe to do twice) and ends the run
 * `succeeded` with the sum of the shards (only from `running`: once). `failShard` is what the
 * dead-letter queue's consumer does: the run ends `failed`. The work itself is idempotent
 * (deterministic ledger ids), so a shard redone after a crash half way changes only what the
 * crash left undone.
 */
import { type Principal, SYSTEM } from '../../domain/access';
import { yearOf } from '../../domain/dates';
import { type JobRun, type LeafCursor, mergeSummaries, type RunSummary, type ShardMessage, type ShardQueue } from '../../domain/job-run';
import type { AppDeps } from '../context';
import { yearPolicy } from '../policies';
import { releaseLock, requireJob, takeLock } from './runner';

export type { ShardMessage, ShardQueue } from '../../domain/job-run';

/** A fanned-out run holds its lock this long at most (released when it ends). */
const FANNED_LOCK_MS = 3 * 3600_000;
/** How long the finisher's claim keeps others from sealing the emails (a Lambda lives 15 minutes at most). */
const FINISH_CLAIM_MS = 15 * 60_000;

export async function startFannedRun(
  deps: AppDeps,
  queue: ShardQueue,
  opts: { job: string; asOf: string; runId: string; actor: Principal; segmentSize?: number },
): Promise<JobRun> {
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
  const limit = opts.segmentSize ?? SEGMENT;
  const messages = Array.from({ length: total }, (_, shard) => ({
    runId: opts.runId,
    job: def.name,
    asOf: opts.asOf,
    shard,
    requestedBy: opts.actor.sub,
    segment: 0,
    limit,
  }));
  await queue.send(messages);
  return run;
}

/**
 * The most leaf projects one shard message does (one segment). 2,000 keeps a segment's time far
 * below Lambda's 15 minutes, whatever the size of the year: through the fan-out on this machine
 * (bench/fanout.ts, README "Fan-out"), with 16 workers sharing one DynamoDB Local, a segment of
 * 2,000 projects, 85% deducted, took 78 s (median) and 131 s at worst (240 s in an earlier run
 * at load 109); on AWS a worker does not share its store. The shard queue's visibility timeout
 * (six times the worker's timeout) is above it many times over. 1,000,000 projects are ~500 messages; the demo year's shards
 * (about 125 projects each) one segment each.
 */
export const SEGMENT = 2_000;

/**
 * One segment of one shard of a run, at least once. The segment's summary is recorded once
 * (a conditional put keyed by run, shard and segment) together with the message for the next
 * segment (from the leaf index's LastEvaluatedKey), which is then sent. A delivery that finds
 * its segment recorded does no work and sends that stored continuation again: it may be the
 * redelivery of one that recorded it and died before sending (a duplicate continuation is
 * harmless: it finds its own segment recorded, or races the other to record it, and the loser
 * of that race sends nothing). The shard is done when its last segment (no continuation) is in:
 * its segments' summaries, summed, are added to the run record once; whoever finds every shard
 * there ends the run.
 */
export async function runShard(
  deps: AppDeps,
  msg: ShardMessage,
  opts: { concurrency?: number; appUrl?: string; queue?: ShardQueue } = {},
): Promise<'done' | 'ended' | 'unknown'> {
  const def = requireJob(msg.job);
  let run = await deps.repos.jobRuns.get(msg.runId);
  if (!run) return 'unknown';
  if (run.status !== 'running') return 'ended';
  if (!run.shards?.[shardKey(msg.shard)]) {
    const segment = msg.segment ?? 0;
    const limit = msg.limit ?? SEGMENT;
    let record = await deps.repos.jobRuns.segment(msg.runId, msg.shard, segment);
    // Found recorded: this delivery may be the one that recorded it and died before sending on, so it sends on.
    let sendsOn = true;
    if (!record) {
      const year = yearOf(msg.asOf);
      const { next, ...summary } = await def.run({
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
        segment: { ...(msg.cursor ? { from: msg.cursor } : {}), limit },
      });
      const continuation: ShardMessage | undefined = next ? { ...msg, segment: segment + 1, limit, cursor: next as LeafCursor } : undefined;
      const out = await deps.repos.jobRuns.addSegment(msg.runId, { shard: msg.shard, segment, summary, ...(continuation ? { continuation } : {}) });
      record = out.record;
      // Lost the race to another delivery of the same segment: that one sends on (or, if it dies first, its redelivery does).
      sendsOn = out.added;
    }
    if (record.continuation) {
      if (sendsOn) {
        if (!opts.queue) throw new Error(`shard ${shardKey(msg.shard)} goes on after segment ${segment}, and this worker has no shard queue to send it to`);
        await opts.queue.send([record.continuation]);
      }
      return 'done';
    }
    // The run as the shard's conditional update left it (or found it): no second read.
    run = await shardDone(deps, msg, segment + 1);
  }
  const now = run;
  if (now && now.status === 'running' && Object.keys(now.shards ?? {}).length === now.shardsTotal) {
    // One finisher at a time, or two seals would split the emails between them and the run would count only the winner's.
    // The claim is this shard's: if its finisher dies, the redelivered message takes it again (anyone may, once it expires).
    const at = deps.clock.now();
    if (await deps.repos.jobRuns.claimFinish(msg.runId, shardKey(msg.shard), at.toISOString(), new Date(at.getTime() + FINISH_CLAIM_MS).toISOString())) {
      await finish(deps, now, opts.appUrl);
    }
  }
  return 'done';
}

/** The shard's last segment is in: the sum of its segments' summaries goes into the run record, once; answers the run record after. */
async function shardDone(deps: AppDeps, msg: ShardMessage, count: number): Promise<JobRun | undefined> {
  const def = requireJob(msg.job);
  const segments = await deps.repos.jobRuns.segments(msg.runId, msg.shard);
  // Each segment's message is sent only after the one before it was recorded: all are there.
  if (segments.length !== count) throw new Error(`shard ${shardKey(msg.shard)} has ${segments.length} segments recorded, not ${count}`);
  const summary: RunSummary = {
    ...mergeSummaries(
      segments.map((s) => s.summary),
      def.fanOut?.same ?? [],
    ),
    segments: count,
  };
  // The per-department totals grow with the departments (16 shards' of 5,000 departments would not fit in one 400 KB item):
  // they go into the shard's own item, the run record keeps the rest.
  await deps.repos.jobRuns.putShard(msg.runId, msg.shard, summary);
  const { byDept: _, ...brief } = summary;
  return (await deps.repos.jobRuns.addShard(msg.runId, msg.shard, brief)).run;
}

/** Every shard is in: seal the emails, then end the run with the sum (the first finisher wins; sealing twice is harmless). */
async function finish(deps: AppDeps, run: JobRun, appUrl = 'http://localhost:3000'): Promise<void> {
  const def = requireJob(run.job);
  const parts = await deps.repos.jobRuns.shardSummaries(run.runId);
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
    // The jobs page shows it to the performance office: Chinese first, the operator's English after.
    error: `分片 ${shardKey(msg.shard)} 第 ${(msg.segment ?? 0) + 1} 段多次执行均失败，本次运行终止（shard ${shardKey(msg.shard)} (segment ${msg.segment ?? 0}) failed every delivery: ${reason}）`,
    finishedAt: deps.clock.now().toISOString(),
  });
  if (ended) await releaseLock(deps, run.job, run.asOf, run.runId);
  return ended;
}

const shardKey = (shard: number) => String(shard).padStart(2, '0');
const outboxGroupOf = (job: string, asOf: string) => `${job}~${asOf}`;
