/**
 * A fanned-out progress-reclaim run against DynamoDB Local: one message per segment of a shard
 * of the leaf index through the in-process queue emulation (visibility timeout, redelivery,
 * dead letters) and the real shard handlers. With segments of 4 projects every shard has
 * several: a segment that crashes half way is redelivered, a worker that dies between
 * recording a segment and sending its continuation is redelivered and sends it, a duplicate
 * continuation changes nothing, and the ledger, budgets, pool and emails equal an uninterrupted
 * run's; the run's totals are the sum of its segments'; two runs at once do the work once; a
 * segment that always fails ends the run `failed`.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeFailedHandler, makeHandler } from '../../functions/jobs/shards';
import { createQueueEmulator } from '../../local/queue-emulator';
import type { AppDeps } from '../../shared/app/context';
import { SEGMENT, type ShardMessage, startFannedRun } from '../../shared/app/jobs/fanout';
import { makeProgressReclaimJob, progressReclaimJob } from '../../shared/app/jobs/progress-reclaim';
import { JOBS } from '../../shared/app/jobs/registry';
import { runJob } from '../../shared/app/jobs/runner';
import { type Db, queryAll } from '../../shared/aws/db';
import { jobRunsRepo } from '../../shared/aws/job-runs-repo';
import { keys, shardOf } from '../../shared/aws/keys';
import { poolTotals } from '../../shared/aws/pool';
import { SYSTEM } from '../../shared/domain/access';
import { setupTable } from '../support/harness';
import { comparableDeduction, FANOUT_AT, fanoutDataset, fanoutTable } from '../support/fanout-fixtures';
import { depsAt, ledgerOfYear, projectsOf } from '../support/ledger-fixtures';

const AT = FANOUT_AT;
const tableWith = fanoutTable;

/**
 * The emulated queue with the real handlers; the workers send continuations through `queue`
 * too. `onSend` sees every message sent (it may throw: the send fails, as SQS can).
 */
function queueFor(deps: AppDeps, extra: { visibilityTimeoutMs?: number; maxReceiveCount?: number; onSend?: (m: ShardMessage) => 'twice' | undefined } = {}) {
  const sent: ShardMessage[] = [];
  const queue = {
    send: async (messages: ShardMessage[]) => {
      for (const m of messages) {
        const times = extra.onSend?.(m) === 'twice' ? 2 : 1;
        for (let i = 0; i < times; i++) sent.push(m), q.send([m]);
      }
    },
  };
  const q = createQueueEmulator({
    handler: makeHandler(deps, { concurrency: 2, queue }),
    deadLetter: makeFailedHandler(deps),
    workers: 4,
    visibilityTimeoutMs: extra.visibilityTimeoutMs ?? 3000,
    maxReceiveCount: extra.maxReceiveCount ?? 3,
  });
  return { q, sent, queue };
}

const comparable = comparableDeduction;
const mailsOf = async (db: Db, group: string) =>
  (
    await queryAll<{ group: string; deptId: string; lineIds: string[] }>(db, {
      IndexName: 'GSI3',
      KeyConditionExpression: 'GSI3PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.mailPendingPartition() },
    })
  ).filter((m) => m.group === group);

beforeAll(() => setupTable());
afterEach(() => {
  JOBS['progress-reclaim'] = progressReclaimJob;
});

describe('a fanned-out run', () => {
  it('in segments: a crash mid-segment, a crash before the continuation is sent and a duplicate continuation leave ledger, budgets, pool and emails as an uninterrupted run', {
    timeout: 120_000,
  }, async () => {
    const a = await tableWith(undefined, 2026);
    const b = await tableWith(`${process.env.TABLE_NAME}-fo`, 2026);
    const deps = depsAt(AT, a);
    const victim = 'FO-FO-A-3';
    const victimShard = shardOf(victim);
    // The first delivery of the victim's shard's second segment dies after one of its four projects.
    let crashed = false;
    let seen = 0;
    JOBS['progress-reclaim'] = makeProgressReclaimJob({
      beforeProject: (p) => {
        if (!crashed && shardOf(p.projectId) === victimShard && ++seen > 5) {
          crashed = true;
          throw new Error('killed half way');
        }
      },
    });
    // Shard 1's first continuation is lost once (the worker dies after recording the segment, before the message is out); shard 2's is sent twice.
    let lost = false;
    let doubled = false;
    const { q, sent, queue } = queueFor(deps, {
      onSend: (m) => {
        if (m.shard === 1 && m.segment === 1 && !lost) {
          lost = true;
          throw new Error('died before sending on');
        }
        if (m.shard === 2 && m.segment === 1 && !doubled) return ((doubled = true), 'twice');
        return undefined;
      },
    });
    const run = await startFannedRun(deps, queue, { job: 'progress-reclaim', asOf: '2026-09-30', runId: 'fan-1', actor: SYSTEM, segmentSize: 4 });
    expect(run).toMatchObject({ status: 'running', shardsTotal: 16 });
    q.send([sent[0]]); // a duplicate delivery of shard 00's first segment
    await q.drain();
    expect([crashed, lost, doubled]).toEqual([true, true, true]);

    const done = await deps.repos.jobRuns.get('fan-1');
    expect(done?.status).toBe('succeeded');
    const shards = Object.values(done?.shards ?? {}) as Record<string, number>[];
    expect(shards).toHaveLength(16);
    // Every segment recorded once, each shard's in order, at most 4 projects each, every leaf of the shard once.
    const runs = jobRunsRepo(a);
    const bySegment: Record<string, number>[] = [];
    for (let shard = 0; shard < 16; shard++) {
      const segments = await runs.segments('fan-1', shard);
      expect(segments.map((s) => s.segment)).toEqual(segments.map((_, i) => i));
      expect(segments.filter((s) => !s.continuation).map((s) => s.segment)).toEqual([segments.length - 1]);
      const projects = segments.map((s) => s.summary.projects as number);
      expect(Math.max(...projects)).toBeLessThanOrEqual(4);
      expect(projects.reduce((x, y) => x + y, 0)).toBe(fanoutDataset(2026).filter((p) => shardOf(p.projectId) === shard).length);
      expect(done?.shards?.[String(shard).padStart(2, '0')]?.segments).toBe(segments.length);
      bySegment.push(...segments.map((s) => s.summary as Record<string, number>));
    }
    expect(bySegment.length).toBeGreaterThan(40);
    const sum = (k: string) => bySegment.reduce((n, s) => n + (s[k] ?? 0), 0);
    expect(done?.summary).toMatchObject({
      projects: 180,
      deductions: sum('deductions'),
      amountFen: sum('amountFen'),
      alreadyApplied: sum('alreadyApplied'),
      segments: bySegment.length,
      emails: 3,
      shards: 16,
      thresholdBp: 8000,
    });

    // The run record keeps each shard's numbers; the per-department totals, from the shards' own items, are in the run's summary.
    expect(shards.every((s) => !('byDept' in s))).toBe(true);
    const byDept = Object.values((done?.summary as { byDept?: Record<string, { deductions: number }> } | undefined)?.byDept ?? {});
    expect(byDept.reduce((n, d) => n + d.deductions, 0)).toBe(sum('deductions'));

    const clean = await runJob(depsAt(AT, b), { job: 'progress-reclaim', asOf: '2026-09-30', runId: 'clean', actor: SYSTEM });
    expect(clean.summary).toMatchObject({ projects: 180, deductions: 150, emails: 3 });
    // What the crashed delivery wrote before it died, the redelivery finds applied: together, every lagging project once.
    const total = done?.summary as { deductions: number; alreadyApplied: number };
    expect(total.deductions + total.alreadyApplied).toBe(150);
    const ledger = await ledgerOfYear(a, 2026);
    expect(ledger.reduce((n, d) => n + d.amountFen, 0)).toBe((clean.summary as { amountFen: number }).amountFen);
    expect(ledger.map(comparable)).toEqual((await ledgerOfYear(b, 2026)).map(comparable));
    const [pa, pb] = [await projectsOf(a, 2026), await projectsOf(b, 2026)];
    for (const [id, p] of pa) expect(p.budgetFen, id).toBe(pb.get(id)?.budgetFen);
    expect((await poolTotals(a, 2026)).inFen).toBe((await poolTotals(b, 2026)).inFen);
    const lines = async (db: Db) => (await mailsOf(db, 'progress-reclaim~2026-09-30')).map((m) => `${m.deptId}:${[...m.lineIds].sort().join(',')}`).sort();
    expect(await lines(a)).toEqual(await lines(b));
  });

  it('two runs at once: the second defers to the first, the work is done once', async () => {
    const db = await tableWith(undefined, 2027);
    const deps = depsAt(AT, db);
    const { q, queue } = queueFor(deps);
    const [r1, r2] = await Promise.all(
      ['fan-a', 'fan-b'].map((runId) => startFannedRun(deps, queue, { job: 'progress-reclaim', asOf: '2027-09-30', runId, actor: SYSTEM })),
    );
    expect([r1?.status, r2?.status].sort()).toEqual(['deferred', 'running']);
    expect(q.depth).toBe(16);
    await q.drain();
    // 180 projects in shards of about 11: one segment each at the default size.
    expect(SEGMENT).toBeGreaterThan(180);
    const done = await deps.repos.jobRuns.get(r1?.status === 'running' ? 'fan-a' : 'fan-b');
    expect(done?.summary).toMatchObject({ projects: 180, deductions: 150, segments: 16, shards: 16, emails: 3 });
    const ledger = await ledgerOfYear(db, 2027);
    expect(ledger).toHaveLength(150);
    expect(new Set(ledger.map((d) => d.projectId)).size).toBe(150);
    expect((await poolTotals(db, 2027)).inFen).toBe(ledger.reduce((n, d) => n + d.amountFen, 0));
  });

  it('the finisher dies while sealing the emails: its redelivery takes its claim back and the run ends with every email', { timeout: 60_000 }, async () => {
    const db = await tableWith(undefined, 2029);
    const base = depsAt(AT, db);
    let seals = 0;
    const deps: AppDeps = {
      ...base,
      repos: {
        ...base.repos,
        outbox: {
          ...base.repos.outbox,
          seal: async (...a: Parameters<AppDeps['repos']['outbox']['seal']>) => {
            if (++seals === 1) throw new Error('died while sealing');
            return base.repos.outbox.seal(...a);
          },
        },
      },
    };
    const { q, queue } = queueFor(deps);
    await startFannedRun(deps, queue, { job: 'progress-reclaim', asOf: '2029-09-30', runId: 'fan-f', actor: SYSTEM });
    await q.drain();
    expect(seals).toBe(2);
    const run = await deps.repos.jobRuns.get('fan-f');
    expect(run).toMatchObject({ status: 'succeeded', summary: { projects: 180, deductions: 150, emails: 3, shards: 16 } });
    expect((await mailsOf(db, 'progress-reclaim~2029-09-30')).length).toBe(3);
  });

  it('a segment that fails every delivery goes to the dead letters and the run ends failed', { timeout: 60_000 }, async () => {
    const db = await tableWith(undefined, 2028);
    const deps = depsAt(AT, db);
    JOBS['progress-reclaim'] = makeProgressReclaimJob({
      beforeProject: (p) => {
        if (p.projectId === 'FO-FO-B-7') throw new Error('always');
      },
    });
    const { q, queue } = queueFor(deps, { maxReceiveCount: 2 });
    await startFannedRun(deps, queue, { job: 'progress-reclaim', asOf: '2028-09-30', runId: 'fan-x', actor: SYSTEM, segmentSize: 4 });
    await q.drain();
    expect(q.deadLettered).toHaveLength(1);
    const run = await deps.repos.jobRuns.get('fan-x');
    expect(run?.status).toBe('failed');
    // The shards done before it failed keep their summaries; those delivered after it stop at once.
    expect(Object.keys(run?.shards ?? {}).length).toBeLessThan(16);
    expect(run?.error).toContain(`shard ${String(shardOf('FO-FO-B-7')).padStart(2, '0')} (segment `);
    expect(run?.error).toContain('failed every delivery');
  });
});
