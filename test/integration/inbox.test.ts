/**
 * GET /v1/inbox (SPEC §6): what waits for each role, with due dates, from stored data.
 * Fixtures: departments IA and IB; 2020 projects IA-1 (reclaimed 20,000,000 fen), IA-2
 * (90% spent: no reclaim; its target is returned), IA-3 (no target), IB-1 (reclaimed
 * 6,000,000 fen; a draft target); IA-4 and IA-5 cancelled by the clean-up (IA-4 with a draft
 * target from before); a 2027 project IA-9 with a pending exemption; one failed job run.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { keys } from '../../shared/aws/keys';
import { targetsRepo } from '../../shared/aws/targets-repo';
import { shanghaiDate } from '../../shared/domain/dates';
import { call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { envDb, project, putProjects } from '../support/ledger-fixtures';

const target = {
  goal: '收件箱测试目标',
  indicators: [
    { level1: 'output', level2: 'quantity', name: '完成数量', unit: '个', direction: '>=', targetValue: 1 },
    { level1: 'benefit', level2: 'social', name: '受益人数', unit: '人', direction: '>=', targetValue: 10 },
    { level1: 'satisfaction', level2: 'service-object', name: '满意度', unit: '%', direction: '>=', targetValue: 90 },
  ],
};
const reclaimId = (projectId: string) => `PROGRESS_RECLAIM~project~${projectId}~2020-09-30`;
type Line = { kind: string; projectId?: string; deductionId?: string; dueDate?: string; amountFen?: number; targetKind?: string; targetStatus?: string };
const lines = async (caller: Parameters<typeof call>[0], year = 2020) => {
  const res = await call(caller, 'GET', `/v1/inbox?year=${year}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { year: number; today: string; items: Line[]; counts: Record<string, number>; total: number };
};
const brief = (items: Line[]) => items.map((i) => `${i.kind}:${i.projectId ?? i.targetKind ?? ''}`);

beforeAll(async () => {
  await setupTable();
  const db = envDb();
  for (const deptId of ['IA', 'IB']) {
    await departmentsRepo(db).putPlain({
      deptId,
      name: `部门${deptId}`,
      contactEmails: [`${deptId.toLowerCase()}@inbox.test`],
      version: 1,
      createdAt: '',
      updatedAt: '',
    });
  }
  const p = (projectId: string, deptId: string, budgetFen: number, spentFen: number, year = 2020) =>
    project({ projectId, deptId, year, level: 1, budgetFen, spentByDay: spentFen ? { '2020-05-01': spentFen } : {} });
  await putProjects(db, [
    p('IA-1', 'IA', 100_000_000, 60_000_000),
    p('IA-2', 'IA', 10_000_000, 9_000_000),
    p('IA-3', 'IA', 5_000_000, 5_000_000),
    p('IB-1', 'IB', 10_000_000, 2_000_000),
    p('IA-9', 'IA', 1_000_000, 0, 2027),
    p('IA-4', 'IA', 2_000_000, 0),
    { ...p('IA-5', 'IA', 3_000_000, 0), status: 'cancelled' },
  ]);
  for (const id of ['IA-1', 'IA-2']) {
    expect((await call(dept('IA'), 'PUT', `/v1/projects/${id}/target`, target)).status).toBe(201);
    expect((await call(dept('IA'), 'POST', `/v1/projects/${id}/target/submit`)).status).toBe(200);
  }
  expect((await call(finance, 'POST', '/v1/projects/IA-2/target/review', { decision: 'return', grade: '中', comments: '补充成本指标' })).body.status).toBe(
    'returned',
  );
  expect((await call(dept('IB'), 'PUT', '/v1/projects/IB-1/target', target)).status).toBe(201);
  expect((await call(dept('IA'), 'PUT', '/v1/projects/IA-4/target', target)).status).toBe(201);
  await putProjects(db, [{ ...p('IA-4', 'IA', 2_000_000, 0), status: 'cancelled' }]);
  const run = await call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2020-09-30' });
  expect(run.body.summary).toMatchObject({ deductions: 2, amountFen: 26_000_000 });
  expect((await call(dept('IA'), 'POST', '/v1/projects/IA-9/exemptions', { rule: 'PROGRESS_RECLAIM', reason: 'procurement', note: '招标中' })).status).toBe(
    201,
  );
  const failed = {
    runId: 'RUN-FAILED',
    job: 'monitoring-snapshot',
    asOf: '2020-06-30',
    status: 'failed',
    summary: null,
    requestedBy: 'system',
    startedAt: '2020-07-01T00:00:00.000Z',
    finishedAt: '2020-07-01T00:01:00.000Z',
    error: 'boom',
  };
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: { ...keys.jobRun(failed.runId), ...keys.jobRunIndex(failed.job, failed.asOf, failed.startedAt), entity: 'JobRun', v: 1, ...failed },
    }),
  );
  await settle();
});

afterAll(async () => {
  await settle();
});

describe('GET /v1/inbox', () => {
  it('shows a department what to fill, revise and appeal, soonest due first, and nothing of another department', async () => {
    const ia = await lines(dept('IA'));
    const today = shanghaiDate(new Date());
    expect(ia.today).toBe(today);
    // Applied today with the default 10-day window.
    const deadline = new Date(Date.parse(`${today}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(ia.items[0]).toMatchObject({
      kind: 'deduction-appeal',
      title: '可申诉的扣减',
      deductionId: reclaimId('IA-1'),
      amountFen: 20_000_000,
      dueDate: deadline,
    });
    expect(brief(ia.items).sort()).toEqual(['deduction-appeal:IA-1', 'target-fill:IA-3', 'target-fill:department', 'target-revise:IA-2'].sort());
    expect(ia.items.find((i) => i.projectId === 'IA-3')?.targetStatus).toBe('none');
    expect(ia.counts).toEqual({ 'deduction-appeal': 1, 'target-fill': 2, 'target-revise': 1 });
    const ib = await lines(dept('IB'));
    expect(brief(ib.items).sort()).toEqual(['deduction-appeal:IB-1', 'target-fill:IB-1', 'target-fill:department'].sort());
    expect(ib.items.find((i) => i.kind === 'deduction-appeal')?.amountFen).toBe(6_000_000);
    expect(ib.items.find((i) => i.kind === 'target-fill' && i.projectId === 'IB-1')?.targetStatus).toBe('draft');
  });

  it('shows finance the targets to review, and performance also exemptions, appeals and failed runs', async () => {
    const fin = await lines(finance);
    expect(brief(fin.items)).toEqual(['target-review:IA-1']);
    const before = await lines(performance);
    expect(before.counts).toEqual({ 'target-review': 1, 'job-failed': 1 });
    expect(before.items.find((i) => i.kind === 'job-failed')).toMatchObject({ runId: 'RUN-FAILED', job: 'monitoring-snapshot', asOf: '2020-06-30' });
    expect((await lines(performance, 2027)).items.filter((i) => i.kind === 'exemption-decide')).toEqual([
      expect.objectContaining({ projectId: 'IA-9', deptId: 'IA', dueDate: '2027-09-30', title: '审批豁免申请' }),
    ]);
  });

  it('moves an appealed deduction from the department’s inbox to the performance office’s', async () => {
    expect((await call(dept('IA'), 'POST', `/v1/deductions/${reclaimId('IA-1')}/appeal`, { reason: '合同按节点付款' })).status).toBe(200);
    expect(brief((await lines(dept('IA'))).items).filter((k) => k.startsWith('deduction'))).toEqual([]);
    const perf = await lines(performance);
    expect(perf.items.filter((i) => i.kind === 'appeal-decide')).toEqual([
      expect.objectContaining({ deductionId: reclaimId('IA-1'), amountFen: 20_000_000, deptId: 'IA' }),
    ]);
    expect(perf.total).toBe(3);
    // Upheld: decided, so in nobody's inbox any more (each role reads the one status its line needs).
    const upheld = await call(performance, 'POST', `/v1/deductions/${reclaimId('IA-1')}/decision`, { decision: 'uphold', comment: '付款进度确实滞后' });
    expect(upheld.body.deduction).toMatchObject({ status: 'upheld', amountFen: 20_000_000 });
    expect((await lines(performance)).counts).toEqual({ 'target-review': 1, 'job-failed': 1 });
    expect(brief((await lines(dept('IA'))).items).filter((k) => k.startsWith('deduction'))).toEqual([]);
    // IB's reclaim, still applied, is still IB's to appeal.
    expect((await lines(dept('IB'))).counts['deduction-appeal']).toBe(1);
  });

  it('reads targets by status key, their states only: no indicators, no other department', async () => {
    const repo = targetsRepo(envDb());
    const returned = await repo.states({ year: 2020, status: 'returned', deptId: 'IA', limit: 10 });
    expect(returned.items).toEqual([{ kind: 'project', deptId: 'IA', projectId: 'IA-2', status: 'returned', updatedAt: expect.any(String) }]);
    expect((await repo.states({ year: 2020, status: 'draft', deptId: 'IB', limit: 10 })).items.map((t) => t.projectId)).toEqual(['IB-1']);
    // Every department's drafts for the bureau: IA-4's (cancelled since, so in no inbox) and IB-1's.
    expect((await repo.states({ year: 2020, status: 'draft', limit: 10 })).items.map((t) => t.projectId).sort()).toEqual(['IA-4', 'IB-1']);
    expect((await repo.states({ year: 2020, status: 'approved', limit: 10 })).items).toEqual([]);
  });

  it('answers every role; an expert has nothing yet; no token is 401', async () => {
    expect(await lines(expert)).toMatchObject({ items: [], total: 0 });
    expect((await call(null, 'GET', '/v1/inbox')).status).toBe(401);
    expect((await call(finance, 'GET', '/v1/inbox?year=abc')).status).toBe(400);
  });
});
