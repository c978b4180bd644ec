/**
 * Fan-out through the HTTP route, as `npm start` wires it: `POST /v1/jobs/progress-reclaim/runs`
 * with SHARD_QUEUE_URL set sends the 16 shard messages through the real SQS client to the local
 * adapter's SQS emulator, whose queue runs the catalog's shard handlers (local/sqs-emulator.ts).
 * The run answers at once (202, running, 16 shards), shows its shards done while it runs, and
 * ends `succeeded` with the totals, ledger and budgets of a single-invocation run of the same
 * data; only the performance office may start it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JOB_FUNCTIONS } from '../../infra/catalog';
import { loadHandler } from '../../local/invoke';
import { makeProgressReclaimJob, progressReclaimJob } from '../../shared/app/jobs/progress-reclaim';
import { JOBS } from '../../shared/app/jobs/registry';
import { runJob } from '../../shared/app/jobs/runner';
import { sleep } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { poolTotals } from '../../shared/aws/pool';
import { SYSTEM } from '../../shared/domain/access';
import { comparableDeduction, fanoutTable } from '../support/fanout-fixtures';
import { call, dept, finance, performance, setupTable } from '../support/harness';
import { depsAt, envDb, ledgerOfYear, projectsOf } from '../support/ledger-fixtures';
import { type LocalFanout, startLocalFanout } from '../support/local-fanout';

let fanout: LocalFanout;

beforeAll(async () => {
  await setupTable();
  // Before the jobs API's module is loaded (the first call): it reads the switch at module scope.
  fanout = await startLocalFanout();
});

afterAll(() => fanout?.close());

afterEach(() => {
  JOBS['progress-reclaim'] = progressReclaimJob;
});

type Run = { runId: string; status: string; shardsTotal?: number; shardsDone?: number; summary: Record<string, number> | null };

async function pollRun(runId: string, until: (r: Run) => boolean, timeoutMs = 60_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call<Run>(finance, 'GET', `/v1/jobs/runs/${runId}`);
    expect(res.status).toBe(200);
    if (until(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${JSON.stringify(res.body)}`);
    await sleep(50);
  }
}

describe('POST /v1/jobs/progress-reclaim/runs with the fan-out on', () => {
  it('answers the running run of 16 shards, shows its progress, ends succeeded with the single run’s totals, ledger and budgets', {
    timeout: 120_000,
  }, async () => {
    const fanned = await fanoutTable(undefined, 2026);
    const single = await fanoutTable(`${process.env.TABLE_NAME}-single`, 2026);
    // One shard waits until the test has seen the others done.
    const held = keys.leafIndex(2026, 'FO-FO-B-11').GSI2PK;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    JOBS['progress-reclaim'] = makeProgressReclaimJob({
      beforeProject: async (p) => {
        if (keys.leafIndex(2026, p.projectId).GSI2PK === held) await gate;
      },
    });

    for (const caller of [finance, dept('FO-A')]) {
      expect((await call(caller, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2026-09-30' })).status).toBe(403);
    }
    const res = await call<Run>(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2026-09-30' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ job: 'progress-reclaim', asOf: '2026-09-30', status: 'running', shardsTotal: 16, summary: null });
    expect(res.body.shardsDone).toBeLessThan(16);

    const waiting = await pollRun(res.body.runId, (r) => r.shardsDone === 15);
    expect(waiting).toMatchObject({ status: 'running', shardsTotal: 16, shardsDone: 15, summary: null });
    // A second start while it runs: answered with the same run (the lock defers it).
    const again = await call<Run>(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2026-09-30' });
    expect(again.status).toBe(202);
    expect(again.body.runId).toBe(res.body.runId);
    release();
    const done = await pollRun(res.body.runId, (r) => r.status !== 'running');

    // The same work in one invocation, by the same officer on the same day (appeal deadlines count from it).
    const actor = { sub: performance.sub, roles: SYSTEM.roles };
    const clean = await runJob(
      depsAt(() => new Date(), single),
      { job: 'progress-reclaim', asOf: '2026-09-30', runId: 'single', actor },
    );
    expect(clean.summary).toMatchObject({ projects: 180, deductions: 150, emails: 3 });
    const { emails, deductions, amountFen, projects, thresholdBp, ratioBp } = clean.summary as Record<string, number>;
    expect(done).toMatchObject({ status: 'succeeded', shardsTotal: 16, shardsDone: 16 });
    expect(done.summary).toMatchObject({ shards: 16, emails, deductions, amountFen, projects, thresholdBp, ratioBp });

    expect((await ledgerOfYear(envDb(), 2026)).map(comparableDeduction)).toEqual((await ledgerOfYear(single, 2026)).map(comparableDeduction));
    const [pa, pb] = [await projectsOf(fanned, 2026), await projectsOf(single, 2026)];
    expect(pa.size).toBe(180);
    for (const [id, p] of pa) expect(p.budgetFen, id).toBe(pb.get(id)?.budgetFen);
    expect((await poolTotals(fanned, 2026)).inFen).toBe(amountFen);
    expect((await poolTotals(single, 2026)).inFen).toBe(amountFen);

    const list = await call<{ items: Run[] }>(performance, 'GET', '/v1/jobs/progress-reclaim/runs');
    expect(list.body.items.find((r) => r.runId === res.body.runId)).toMatchObject({ status: 'succeeded', shardsTotal: 16, shardsDone: 16 });
    expect(fanout.queue.depth).toBe(0);
  });

  it('the scheduled runner fans out the same way on its date', { timeout: 120_000 }, async () => {
    await fanoutTable(undefined, 2027);
    const runner = await loadHandler(JOB_FUNCTIONS.runner.entry);
    // 01:20 Shanghai on 2027-10-01: as of the day before, progress-reclaim's date.
    const started = (await runner({ job: 'progress-reclaim', scheduledTime: '2027-09-30T17:20:00Z', asOfOffsetDays: -1 }, {} as never)) as Run & {
      requestedBy: string;
    };
    expect(started).toMatchObject({ job: 'progress-reclaim', asOf: '2027-09-30', status: 'running', shardsTotal: 16, requestedBy: SYSTEM.sub });
    const done = await pollRun(started.runId, (r) => r.status !== 'running');
    expect(done).toMatchObject({ status: 'succeeded', shardsDone: 16, summary: { shards: 16, projects: 180, deductions: 150, emails: 3 } });
    expect(await ledgerOfYear(envDb(), 2027)).toHaveLength(150);
  });

  it('keeps the 400 for a date the policy does not name and the 404 for an unknown job', async () => {
    const bad = await call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2026-08-15' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('body.asOf');
    const unknown = await call(performance, 'POST', '/v1/jobs/no-such-job/runs', { asOf: '2026-09-30' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('UNKNOWN_JOB');
  });
});
