/**
 * A fanned-out progress-reclaim run against DynamoDB Local: one message per shard of the leaf
 * index through the in-process queue emulation (visibility timeout, redelivery, dead letters)
 * and the real shard handlers. A shard that crashes half way is redelivered and the ledger
 * equals an uninterrupted run's; a duplicate message changes nothing; two runs at once do the
 * work once; the run's totals are the sum of its shards'; a shard that always fails ends the
 * run `failed`.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeFailedHandler, makeHandler } from '../../functions/jobs/shards';
import { createQueueEmulator } from '../../local/queue-emulator';
import type { AppDeps } from '../../shared/app/context';
import { type ShardMessage, startFannedRun } from '../../shared/app/jobs/fanout';
import { makeProgressReclaimJob, progressReclaimJob } from '../../shared/app/jobs/progress-reclaim';
import { JOBS } from '../../shared/app/jobs/registry';
import { runJob } from '../../shared/app/jobs/runner';
import { type Db, queryAll } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { poolTotals } from '../../shared/aws/pool';
import { SYSTEM } from '../../shared/domain/access';
import { setupTable } from '../support/harness';
import { comparableDeduction, FANOUT_AT, fanoutTable } from '../support/fanout-fixtures';
import { depsAt, ledgerOfYear, projectsOf } from '../support/ledger-fixtures';

const AT = FANOUT_AT;
const tableWith = fanoutTable;

function queueFor(deps: AppDeps, extra: { visibilityTimeoutMs?: number; maxReceiveCount?: number } = {}) {
  const q = createQueueEmulator({
    handler: makeHandler(deps, { concurrency: 2 }),
    deadLetter: makeFailedHandler(deps),
    workers: 4,
    visibilityTimeoutMs: extra.visibilityTimeoutMs ?? 4000,
    maxReceiveCount: extra.maxReceiveCount ?? 3,
  });
  const sent: ShardMessage[] = [];
  return { q, sent, queue: { send: async (m: ShardMessage[]) => (sent.push(...m), q.send(m)) } };
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
  it('a shard that crashes half way is redelivered, a duplicate changes nothing; ledger, pool and emails equal an uninterrupted run', {
    timeout: 90_000,
  }, async () => {
    const a = await tableWith(undefined, 2026);
    const b = await tableWith(`${process.env.TABLE_NAME}-fo`, 2026);
    const deps = depsAt(AT, a);
    // The first delivery of the shard of FO-FO-A-3 dies after four of its projects.
    const victim = 'FO-FO-A-3';
    let crashed = false;
    let seen = 0;
    JOBS['progress-reclaim'] = makeProgressReclaimJob({
      beforeProject: (p) => {
        if (!crashed && keys.leafIndex(2026, p.projectId).GSI2PK === keys.leafIndex(2026, victim).GSI2PK && ++seen > 4) {
          crashed = true;
          throw new Error('killed half way');
        }
      },
    });
    const { q, sent, queue } = queueFor(deps);
    const run = await startFannedRun(deps, queue, { job: 'progress-reclaim', asOf: '2026-09-30', runId: 'fan-1', actor: SYSTEM });
    expect(run).toMatchObject({ status: 'running', shardsTotal: 16 });
    q.send([sent[0]]); // a duplicate delivery of shard 00
    await q.drain();
    expect(crashed).toBe(true);

    const done = await deps.repos.jobRuns.get('fan-1');
    expect(done?.status).toBe('succeeded');
    const shards = Object.values(done?.shards ?? {}) as Record<string, number>[];
    expect(shards).toHaveLength(16);
    const sum = (k: string) => shards.reduce((n, s) => n + (s[k] ?? 0), 0);
    expect(done?.summary).toMatchObject({
      projects: 180,
      deductions: sum('deductions'),
      amountFen: sum('amountFen'),
      emails: 3,
      shards: 16,
      thresholdBp: 8000,
    });

    const clean = await runJob(depsAt(AT, b), { job: 'progress-reclaim', asOf: '2026-09-30', runId: 'clean', actor: SYSTEM });
    expect(clean.summary).toMatchObject({ deductions: 150, emails: 3 });
    // What the crashed delivery wrote before it died, the redelivery finds applied: together, every lagging project once.
    const total = done?.summary as { deductions: number; alreadyApplied: number };
    expect(total.deductions + total.alreadyApplied).toBe(150);
    expect((await ledgerOfYear(a, 2026)).map(comparable)).toEqual((await ledgerOfYear(b, 2026)).map(comparable));
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
    const ledger = await ledgerOfYear(db, 2027);
    expect(ledger).toHaveLength(150);
    expect(new Set(ledger.map((d) => d.projectId)).size).toBe(150);
    expect((await poolTotals(db, 2027)).inFen).toBe(ledger.reduce((n, d) => n + d.amountFen, 0));
  });

  it('a shard that fails every delivery goes to the dead letters and the run ends failed', { timeout: 60_000 }, async () => {
    const db = await tableWith(undefined, 2028);
    const deps = depsAt(AT, db);
    JOBS['progress-reclaim'] = makeProgressReclaimJob({
      beforeProject: (p) => {
        if (p.projectId === 'FO-FO-B-7') throw new Error('always');
      },
    });
    const { q, queue } = queueFor(deps, { maxReceiveCount: 2 });
    await startFannedRun(deps, queue, { job: 'progress-reclaim', asOf: '2028-09-30', runId: 'fan-x', actor: SYSTEM });
    await q.drain();
    expect(q.deadLettered).toHaveLength(1);
    const run = await deps.repos.jobRuns.get('fan-x');
    expect(run?.status).toBe('failed');
    // The shards done before it failed keep their summaries; those delivered after it stop at once.
    expect(Object.keys(run?.shards ?? {}).length).toBeLessThan(16);
    expect(run?.error).toContain('failed every delivery');
  });
});
