/**
 * The job's idempotency against DynamoDB Local: concurrent runs (through runJob with
 * different runIds, through the job body itself without the runner's lock, and through the
 * API), and a run killed half way then rerun, whose ledger must equal an uninterrupted run's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { ensureTable } from '../../local/services';
import { makeProgressReclaimJob, progressReclaimJob, runProgressReclaim } from '../../shared/app/jobs/progress-reclaim';
import { JOBS } from '../../shared/app/jobs/registry';
import { runJob } from '../../shared/app/jobs/runner';
import { policiesRepo } from '../../shared/aws/policies-repo';
import { type Db, queryAll, sleep } from '../../shared/aws/db';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { keys } from '../../shared/aws/keys';
import { type MailItem, sealGroup } from '../../shared/aws/outbox';
import { poolTotals } from '../../shared/aws/pool';
import { SYSTEM } from '../../shared/domain/access';
import type { Deduction } from '../../shared/domain/ledger';
import type { Project } from '../../shared/domain/project';
import { call, performance, setupTable } from '../support/harness';
import { depsAt, emailsTo, envDb, ledgerOfYear, project, projectsOf, putProjects } from '../support/ledger-fixtures';

const AT = '2020-10-01T01:20:00Z'; // 09:20 in Shanghai on the day after the checkpoint
const DEPTS = ['RR-A', 'RR-B', 'RR-C'];

/** 10 lagging leaves per department with varied figures, plus two that are on track. */
function dataset(year: number, prefix: string): Project[] {
  const out: Project[] = [];
  for (const deptId of DEPTS) {
    for (let i = 0; i < 12; i++) {
      const budgetFen = 1_000_000 + i * 7_654_321;
      const spentBp = i < 10 ? (i * 797) % 7999 : 8000 + i; // the last two are at or above 80%
      const spent = Math.floor((budgetFen * spentBp) / 10000);
      out.push(project({ projectId: `${prefix}-${deptId}-${i}`, deptId, year, level: 1, budgetFen, spentByDay: spent ? { [`${year}-06-30`]: spent } : {} }));
    }
  }
  return out;
}

async function putDepartments(db: Db, suffix: string) {
  for (const deptId of DEPTS) {
    await departmentsRepo(db).putPlain({
      deptId,
      name: `部门${deptId}`,
      contactEmails: [`${deptId.toLowerCase()}-${suffix}@rerun.test`],
      version: 1,
      createdAt: AT,
      updatedAt: AT,
    });
  }
}

async function mailsOfGroup(db: Db, group: string): Promise<MailItem[]> {
  const items = await queryAll<MailItem>(db, {
    IndexName: 'GSI3',
    KeyConditionExpression: 'GSI3PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.mailPendingPartition() },
  });
  return items.filter((m) => m.group === group);
}

const comparable = (d: Deduction) => {
  const { createdAt, runId, ...rest } = d;
  return rest;
};

beforeAll(async () => {
  await setupTable();
  await putDepartments(envDb(), 'x');
});

afterAll(async () => {
  JOBS['progress-reclaim'] = progressReclaimJob;
  await settle();
});

describe('progress-reclaim run concurrently', () => {
  it('several runJob calls with different runIds: one runs, the others defer; one deduction per project, one email per department', async () => {
    const db = envDb();
    const projects = dataset(2022, 'C1');
    await putProjects(db, projects);
    const deps = depsAt(AT);
    const runs = await Promise.all(
      ['r1', 'r2', 'r3', 'r4'].map((runId) => runJob(deps, { job: 'progress-reclaim', asOf: '2022-09-30', runId, actor: SYSTEM })),
    );
    const succeeded = runs.filter((r) => r.status === 'succeeded');
    expect(succeeded).toHaveLength(1);
    expect(runs.filter((r) => r.status === 'deferred').map((r) => r.deferredTo)).toEqual([succeeded[0]!.runId, succeeded[0]!.runId, succeeded[0]!.runId]);
    const ledger = await ledgerOfYear(db, 2022);
    expect(ledger).toHaveLength(30);
    expect(new Set(ledger.map((d) => d.projectId)).size).toBe(30);
    expect(succeeded[0]!.summary).toMatchObject({ projects: 36, deductions: 30, onTrack: 6, emails: 3 });
    expect((await mailsOfGroup(db, 'progress-reclaim~2022-09-30')).map((m) => m.deptId).sort()).toEqual(DEPTS);
  });

  it('the job body run three times at once without the lock still makes exactly one deduction per project', async () => {
    const db = envDb();
    const projects = dataset(2023, 'C2');
    await putProjects(db, projects);
    const deps = depsAt(AT);
    const policy = await policiesRepo(db).effective(2023);
    const ctx = (runId: string) => ({
      deps,
      job: 'progress-reclaim',
      asOf: '2023-09-30',
      year: 2023,
      policy,
      runId,
      actor: SYSTEM,
      outboxGroup: 'progress-reclaim~2023-09-30',
      concurrency: 8,
    });
    const summaries = await Promise.all(['a', 'b', 'c'].map((id) => runProgressReclaim(ctx(id))));
    // every lagging project was taken exactly once, by one of the three
    expect(summaries.reduce((s, x) => s + (x.deductions as number), 0)).toBe(30);
    const ledger = await ledgerOfYear(db, 2023);
    expect(ledger).toHaveLength(30);
    const stored = await projectsOf(db, 2023);
    let total = 0;
    for (const d of ledger) {
      const p = stored.get(d.projectId!)!;
      const original = projects.find((x) => x.projectId === d.projectId)!;
      // the budget moved once, by exactly the ledger's amount
      expect(p.budgetFen).toBe(original.budgetFen - d.amountFen);
      expect(p.budgetFen).toBeGreaterThanOrEqual(p.spentFen);
      total += d.amountFen;
    }
    expect((await poolTotals(db, 2023)).inFen).toBe(total);
    // sealing twice at once still gives one email per department
    const [m1, m2] = await Promise.all([
      sealGroup(db, 'progress-reclaim~2023-09-30', 't', new Date(AT), 'http://x'),
      sealGroup(db, 'progress-reclaim~2023-09-30', 't', new Date(AT), 'http://x'),
    ]);
    const mails = await mailsOfGroup(db, 'progress-reclaim~2023-09-30');
    expect(mails).toHaveLength(3);
    expect(mails.reduce((s, m) => s + m.lineIds.length, 0)).toBe(30);
    expect(m1.length + m2.length).toBeGreaterThanOrEqual(3);
  });

  it('two runs through the API at once: one run, one email per department', async () => {
    const db = envDb();
    await putDepartments(db, 'api');
    await putProjects(db, dataset(2024, 'C3'));
    const [a, b] = await Promise.all([
      call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2024-09-30' }),
      call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2024-09-30' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.runId).toBe(b.body.runId);
    expect(a.body.summary).toMatchObject({ deductions: 30, emails: 3 });
    expect(await ledgerOfYear(db, 2024)).toHaveLength(30);
    await settle();
    const sent = await emailsTo(DEPTS.map((d) => `${d.toLowerCase()}-api@rerun.test`));
    expect(sent.map((m) => m.destination.to[0]).sort()).toEqual(DEPTS.map((d) => `${d.toLowerCase()}-api@rerun.test`));
    expect(sent.every((m) => m.subject.includes('10 项预算调整'))).toBe(true);
  });
});

describe('a run killed half way', () => {
  it('then rerun ends with the same ledger, budgets, pool and emails as an uninterrupted run', async () => {
    // Two tables with the same data: A is killed after 15 projects and rerun, B runs once.
    const a = envDb();
    const b = envDb(`${process.env.TABLE_NAME}-b`);
    await ensureTable(process.env.AWS_ENDPOINT_URL_DYNAMODB as string, b.table, { stream: false });
    await putDepartments(b, 'x');
    const projects = dataset(2025, 'K');
    await putProjects(a, projects);
    await putProjects(b, projects);

    let handled = 0;
    JOBS['progress-reclaim'] = makeProgressReclaimJob({
      beforeProject: () => {
        if (++handled > 15) throw new Error('killed');
      },
    });
    await expect(runJob(depsAt(AT, a), { job: 'progress-reclaim', asOf: '2025-09-30', runId: 'killed', actor: SYSTEM, concurrency: 4 })).rejects.toThrow(
      'killed',
    );
    JOBS['progress-reclaim'] = progressReclaimJob;
    await sleep(300); // what was in flight when it died lands (a dead Lambda's would not; either is fine)
    const partial = await ledgerOfYear(a, 2025);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(30);
    // the failed run sealed nothing
    expect(await mailsOfGroup(a, 'progress-reclaim~2025-09-30')).toHaveLength(0);

    const rerun = await runJob(depsAt(AT, a), { job: 'progress-reclaim', asOf: '2025-09-30', runId: 'rerun', actor: SYSTEM });
    expect(rerun.status).toBe('succeeded');
    expect(rerun.summary).toMatchObject({ deductions: 30 - partial.length });
    const clean = await runJob(depsAt(AT, b), { job: 'progress-reclaim', asOf: '2025-09-30', runId: 'clean', actor: SYSTEM });
    expect(clean.summary).toMatchObject({ deductions: 30, emails: 3 });

    const ledgerA = (await ledgerOfYear(a, 2025)).map(comparable);
    const ledgerB = (await ledgerOfYear(b, 2025)).map(comparable);
    expect(ledgerA).toHaveLength(30);
    expect(ledgerA).toEqual(ledgerB);
    const [pa, pb] = [await projectsOf(a, 2025), await projectsOf(b, 2025)];
    for (const [id, p] of pa) expect(p.budgetFen, id).toBe(pb.get(id)!.budgetFen);
    expect((await poolTotals(a, 2025)).inFen).toBe((await poolTotals(b, 2025)).inFen);
    // one email per department, each line once, the same lines as the clean run's
    const lines = async (db: Db) => (await mailsOfGroup(db, 'progress-reclaim~2025-09-30')).map((m) => `${m.deptId}:${[...m.lineIds].sort().join(',')}`).sort();
    expect(await lines(a)).toEqual(await lines(b));
    expect((await lines(a)).length).toBe(3);
  });
});
