/**
 * The front of the cycle through the API, against DynamoDB Local (SPEC §3.1–§3.3, §6): ex-ante
 * assessments and their versions, the approval seam (EX_ANTE_REQUIRED, EX_ANTE_REJECTED, an
 * `adjust` shown to the reviewer), department rankings and funding rounds, the cleanup-scan job
 * through the jobs API, cancellations with their CLEANUP_CUT (a project with spending, a level-1
 * and its leaves, a second cancel, appeal and reversal), and what a cancelled project refuses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { runJob } from '../../shared/app/jobs/runner';
import { poolTotals } from '../../shared/aws/pool';
import { SYSTEM } from '../../shared/domain/access';
import type { Project } from '../../shared/domain/project';
import { call, dept, finance, performance, setupTable } from '../support/harness';
import { depsAt, envDb, ledgerOfYear, project, putProjects } from '../support/ledger-fixtures';
import { tableDigest } from '../support/table-digest';

const DA = dept('DA');
const DB = dept('DB');
const target = {
  goal: '完成项目建设任务',
  indicators: [
    { level1: 'output', level2: 'quantity', name: '完成数量', unit: '个', direction: '>=', targetValue: 1 },
    { level1: 'benefit', level2: 'social', name: '受益人数', unit: '人', direction: '>=', targetValue: 10 },
  ],
};
const scores = (a: number, b: number, c: number, d: number, e: number) => ({ standard: a, inputOutput: b, goals: c, affordability: d, sustainability: e });
const p = (x: Partial<Project> & { projectId: string; deptId: string; year: number; budgetFen: number }) =>
  project({ category: 'other', parentId: `${x.deptId}-L1-${x.year}`, ...x });
const rankDomain = '城乡建设';
const infra = (projectId: string, deptId: string, budgetFen: number, extra: Partial<Project> = {}) =>
  p({ projectId, deptId, year: 2020, budgetFen, domain: rankDomain, category: 'infrastructure', isNew: true, ...extra });

beforeAll(async () => {
  await setupTable();
  for (const id of ['DA', 'DB']) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name: `部门${id}`, contactEmails: [`${id.toLowerCase()}@xm.gov.cn`] })).status).toBe(201);
  }
  const l1 = (deptId: string, year: number, childCount: number) => p({ projectId: `${deptId}-L1-${year}`, deptId, year, budgetFen: 0, level: 1, childCount });
  await putProjects(envDb(), [
    l1('DA', 2020, 7),
    l1('DB', 2020, 4),
    // Ex-ante: new major projects (≥ 5,000,000 yuan) and one below the line.
    p({ projectId: 'PADJ', deptId: 'DA', year: 2020, budgetFen: 600_000_000, isNew: true }),
    p({ projectId: 'PREJ', deptId: 'DA', year: 2020, budgetFen: 500_000_000, isNew: true }),
    p({ projectId: 'PREQ', deptId: 'DA', year: 2020, budgetFen: 500_000_000, isNew: true }),
    // Ranking in 城乡建设: A1, A2 of DA; B1, B2 (no assessment), B3 (rejected) of DB; a DB policy project ranked by its department only.
    infra('A1', 'DA', 6_000_000),
    infra('A2', 'DA', 5_000_000),
    infra('B1', 'DB', 3_000_000),
    infra('B2', 'DB', 1_000_000),
    infra('B3', 'DB', 2_000_000),
    infra('BP', 'DB', 1_000_000, { category: 'policy' }),
    infra('AOLD', 'DA', 1_000_000, { isNew: false }),
    // Clean-up of 2021.
    l1('DA', 2021, 7),
    l1('DB', 2021, 1),
    p({ projectId: 'S1', deptId: 'DA', year: 2021, budgetFen: 10_000_000, category: 'it', domain: '教育', name: '学校网络维护' }),
    p({ projectId: 'S2', deptId: 'DA', year: 2021, budgetFen: 20_000_000, category: 'it', domain: '教育', name: '校园安保服务' }),
    p({ projectId: 'S3', deptId: 'DA', year: 2021, budgetFen: 49_999_999, category: 'it', domain: '教育', name: '教学设备运维' }),
    p({ projectId: 'SL', deptId: 'DA', year: 2021, budgetFen: 50_000_000, category: 'it', domain: '教育', name: '实验耗材采购' }),
    p({ projectId: 'N1', deptId: 'DA', year: 2021, budgetFen: 100_000_000, domain: '交通运输', name: '城市道路维修养护' }),
    p({ projectId: 'N2', deptId: 'DA', year: 2021, budgetFen: 100_000_000, domain: '交通运输', name: '城市道路养护维修' }),
    p({ projectId: 'N3', deptId: 'DB', year: 2021, budgetFen: 100_000_000, domain: '交通运输', name: '城市道路维修养护工程', parentId: 'DB-L1-2021' }),
    p({ projectId: 'N4', deptId: 'DA', year: 2021, budgetFen: 100_000_000, domain: '教育', name: '城市道路维修养护工程' }),
    p({ projectId: 'G1', deptId: 'DA', year: 2021, budgetFen: 100_000_000, domain: '交通运输', name: '道路' }),
    // Cancellations of 2022: a leaf with spending, a level-1 and its two leaves.
    l1('DA', 2022, 1),
    p({ projectId: 'C1', deptId: 'DA', year: 2022, budgetFen: 100_000_000, spentByDay: { '2022-03-01': 30_000_000 } }),
    p({ projectId: 'L1', deptId: 'DA', year: 2022, budgetFen: 0, level: 1, childCount: 2 }),
    p({ projectId: 'L1a', deptId: 'DA', year: 2022, budgetFen: 40_000_000, parentId: 'L1', spentByDay: { '2022-02-01': 10_000_000 } }),
    p({ projectId: 'L1b', deptId: 'DA', year: 2022, budgetFen: 20_000_000, parentId: 'L1' }),
  ]);
});

describe('§3.1 ex-ante assessment', () => {
  it('records the worked example (7800 bp → adjust), keeps every version, and shows the adjustments to the reviewer', async () => {
    const path = '/v1/projects/PADJ/ex-ante';
    const first = await call(performance, 'PUT', path, { remit: true, scores: scores(90, 80, 70, 85, 60), comments: '压缩设备购置规模20%' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      projectId: 'PADJ',
      version: 1,
      weightedBp: 7800,
      outcome: 'adjust',
      required: true,
      adjustments: '压缩设备购置规模20%',
      budgetFen: 600_000_000,
    });
    const same = await call(performance, 'PUT', path, { remit: true, scores: scores(90, 80, 70, 85, 60), comments: '压缩设备购置规模20%' });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(1);
    const again = await call(performance, 'PUT', path, { remit: true, scores: scores(90, 80, 70, 85, 61), comments: '压缩设备购置规模20%' });
    expect(again.body).toMatchObject({ version: 2, weightedBp: 7815, outcome: 'adjust' });
    const history = await call(finance, 'GET', `${path}/history`);
    expect(history.body.items.map((v: { version: number; weightedBp: number }) => [v.version, v.weightedBp])).toEqual([
      [1, 7800],
      [2, 7815],
    ]);
    expect((await call(finance, 'GET', path)).body).toMatchObject({
      version: 2,
      outcome: 'adjust',
      outcomeZh: '调整后支持',
      adjustments: '压缩设备购置规模20%',
    });
    expect((await call(DA, 'GET', path)).status).toBe(200);
    expect((await call(DB, 'GET', path)).status).toBe(404);
    const audit = await call(finance, 'GET', '/v1/audit/project/PADJ');
    expect(
      audit.body.items
        .filter((a: { action: string }) => a.action.startsWith('exante.'))
        .map((a: { action: string }) => a.action)
        .sort(),
    ).toEqual(['exante.assessed', 'exante.reassessed']);
  });

  it('lists every bad score in one 400 and writes nothing', async () => {
    const before = await tableDigest();
    const bad = await call(performance, 'PUT', '/v1/projects/PADJ/ex-ante', { remit: 'yes', scores: { ...scores(101, -1, 50.5, 50, 50) } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.remit',
      'body.scores.standard',
      'body.scores.inputOutput',
      'body.scores.goals',
    ]);
    expect(await tableDigest()).toEqual(before);
  });

  it('lets an adjusted project be approved, refuses a rejected one (EX_ANTE_REJECTED) and an unassessed one (EX_ANTE_REQUIRED)', async () => {
    for (const id of ['PADJ', 'PREJ', 'PREQ']) {
      expect((await call(DA, 'PUT', `/v1/projects/${id}/target`, target)).status).toBe(201);
      expect((await call(DA, 'POST', `/v1/projects/${id}/target/submit`)).status).toBe(200);
    }
    const rejected = await call(performance, 'PUT', '/v1/projects/PREJ/ex-ante', {
      remit: false,
      scores: scores(100, 100, 100, 100, 100),
      comments: '不属于政府保障范围',
    });
    expect(rejected.body).toMatchObject({ weightedBp: 10000, outcome: 'reject' });
    const review = (id: string) => call(finance, 'POST', `/v1/projects/${id}/target/review`, { decision: 'approve', grade: '良', comments: '' });
    expect((await review('PADJ')).body.status).toBe('approved');
    const refused = await review('PREJ');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('EX_ANTE_REJECTED');
    expect((await call(finance, 'GET', '/v1/projects/PREJ/target')).body.status).toBe('submitted');
    expect((await review('PREQ')).body.error.code).toBe('EX_ANTE_REQUIRED');
  });
});

describe('§3.2 ranking', () => {
  it('takes exactly the department’s new projects of the year: a missing, foreign or duplicate id → 400 listing each', async () => {
    const before = await tableDigest();
    const bad = await call(DA, 'PUT', '/v1/departments/DA/rankings/2020', { projectIds: ['A2', 'B1', 'A2', 'AOLD'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { path: 'body.projectIds.1', message: 'B1 is not a new project of this department and year' },
      { path: 'body.projectIds.2', message: 'A2 is listed twice (first at 0)' },
      { path: 'body.projectIds.3', message: 'AOLD is not a new project of this department and year' },
      { path: 'body.projectIds', message: 'A1 is missing: every new project of the year must be ranked' },
      { path: 'body.projectIds', message: 'PADJ is missing: every new project of the year must be ranked' },
      { path: 'body.projectIds', message: 'PREJ is missing: every new project of the year must be ranked' },
      { path: 'body.projectIds', message: 'PREQ is missing: every new project of the year must be ranked' },
    ]);
    expect(await tableDigest()).toEqual(before);
    expect((await call(DA, 'PUT', '/v1/departments/DB/rankings/2020', { projectIds: [] })).status).toBe(403);
    const ok = await call(DA, 'PUT', '/v1/departments/DA/rankings/2020', { projectIds: ['A2', 'A1', 'PADJ', 'PREJ', 'PREQ'] });
    expect(ok.status).toBe(201);
    expect((await call(DA, 'PUT', '/v1/departments/DA/rankings/2020', { projectIds: ['A1', 'A2', 'PADJ', 'PREJ', 'PREQ'] })).body).toMatchObject({
      version: 2,
      projectIds: ['A1', 'A2', 'PADJ', 'PREJ', 'PREQ'],
    });
    expect((await call(DB, 'PUT', '/v1/departments/DB/rankings/2020', { projectIds: ['B3', 'B1', 'B2', 'BP'] })).status).toBe(201);
    expect((await call(finance, 'GET', '/v1/departments/DB/rankings/2020')).body.projectIds).toEqual(['B3', 'B1', 'B2', 'BP']);
    expect((await call(DA, 'GET', '/v1/departments/DB/rankings/2020')).status).toBe(403);
  });

  it('funds down the cross-department order under the cap, skipping what does not fit, and keeps every round', async () => {
    for (const [id, s, remit] of [
      ['A1', scores(82, 82, 82, 82, 82), true],
      ['A2', scores(82, 82, 82, 82, 82), true],
      ['B1', scores(70, 70, 70, 70, 70), true],
      ['B3', scores(90, 90, 90, 90, 90), false],
    ] as const) {
      expect((await call(performance, 'PUT', `/v1/projects/${id}/ex-ante`, { remit, scores: s, comments: '' })).status).toBe(201);
    }
    const path = `/v1/rankings/2020/${encodeURIComponent(rankDomain)}`;
    const round = await call(performance, 'POST', `${path}/rounds`, { capFen: 10_000_000 });
    expect(round.status).toBe(201);
    // B3 scores 9000 bp but is outside the remit (rejected); A1 and A2 tie at 8200 bp and DA
    // ranked A1 first; A2 (5,000,000) no longer fits in 4,000,000, B1 (3,000,000) does.
    expect(round.body.order.map((o: { projectId: string }) => o.projectId)).toEqual(['B3', 'A1', 'A2', 'B1', 'B2']);
    expect(round.body.funded.map((f: { projectId: string; deptRank: number; weightedBp: number }) => [f.projectId, f.weightedBp, f.deptRank])).toEqual([
      ['A1', 8200, 1],
      ['B1', 7000, 2],
    ]);
    expect(round.body.unfunded.map((u: { projectId: string; reason: string }) => [u.projectId, u.reason])).toEqual([
      ['B3', 'not-supported'],
      ['A2', 'over-cap'],
      ['B2', 'no-assessment'],
    ]);
    expect(round.body).toMatchObject({ capFen: 10_000_000, fundedFen: 9_000_000, leftFen: 1_000_000, by: 'perf-officer' });
    const rerun = await call(performance, 'POST', `${path}/rounds`, { capFen: 20_000_000 });
    expect(rerun.body.fundedFen).toBe(14_000_000);
    const latest = await call(finance, 'GET', path);
    expect(latest.body).toMatchObject({ roundId: rerun.body.roundId, capFen: 20_000_000, fundedFen: 14_000_000 });
    expect((await call(DA, 'GET', path)).status).toBe(403);
    expect((await call(finance, 'GET', `/v1/rankings/2020/${encodeURIComponent('教育')}`)).status).toBe(404);
  });
});

describe('§3.3 clean-up scan (the cleanup-scan job through the jobs API)', () => {
  it('finds small, scattered and near-duplicate candidates of the year, the goal taken from the target', async () => {
    expect((await call(DA, 'PUT', '/v1/projects/G1/target', { ...target, goal: '城市道路维修养护' })).status).toBe(201);
    const run = await call(performance, 'POST', '/v1/jobs/cleanup-scan/runs', { asOf: '2021-03-15' });
    expect(run.status).toBe(200);
    expect(run.body.summary).toMatchObject({ year: 2021, projects: 9, withGoal: 1, small: 3, scattered: 1, nearDuplicate: 3 });
    const near = await call(finance, 'GET', '/v1/cleanup/2021/candidates?kind=near-duplicate');
    expect(near.body.items.map((c: { projectIds: string[]; similarityBp: number }) => [...c.projectIds, c.similarityBp])).toEqual([
      // G1 is 道路 + its goal 城市道路维修养护: 7 of 8 bigrams shared with N1.
      ['G1', 'N1', 8750],
      ['G1', 'N3', 7000],
      // The §3.3 worked example; N1–N2 (5555 bp) and N4 (another domain) are not candidates.
      ['N1', 'N3', 7777],
    ]);
    const small = await call(finance, 'GET', '/v1/cleanup/2021/candidates?kind=small');
    // 49,999,999 fen is small; exactly 50,000,000 (500,000 yuan) is not.
    expect(small.body.items.map((c: { projectIds: string[] }) => c.projectIds[0]).sort()).toEqual(['S1', 'S2', 'S3']);
    const scattered = await call(finance, 'GET', '/v1/cleanup/2021/candidates?kind=scattered');
    expect(scattered.body.items).toEqual([
      { kind: 'scattered', projectIds: ['S1', 'S2', 'S3'], deptIds: ['DA'], domain: '教育', category: 'it', budgetFen: 79_999_999 },
    ]);
    const ofDB = await call(finance, 'GET', '/v1/cleanup/2021/candidates?deptId=DB');
    expect(ofDB.body.items.map((c: { projectIds: string[] }) => c.projectIds.join('+'))).toEqual(['G1+N3', 'N1+N3']);
    // A department sees its side of a pair with another department's project, not that project.
    const own = await call(DB, 'GET', '/v1/cleanup/2021/candidates');
    expect(
      own.body.items.map((c: { projectIds: string[]; deptIds: string[]; withOtherDepartment: boolean; similarityBp: number }) => [
        c.projectIds,
        c.deptIds,
        c.withOtherDepartment,
        c.similarityBp,
      ]),
    ).toEqual([
      [['N3'], ['DB'], true, 7000],
      [['N3'], ['DB'], true, 7777],
    ]);
    expect((await call(DB, 'GET', '/v1/cleanup/2021/candidates?deptId=DA')).status).toBe(403);
    expect((await call(finance, 'GET', '/v1/cleanup/2019/candidates')).status).toBe(404);
  });
});

describe('§3.3 cancellation and its CLEANUP_CUT', () => {
  let c1Cut: { deductionId: string; amountFen: number };

  it('cuts the remaining budget of a project with spending (budget − spent), records what it merged into, and refuses a second cancel', async () => {
    const res = await call(performance, 'POST', '/v1/projects/C1/cancel', { reason: '与N1项目重复', mergedInto: 'N1' });
    expect(res.status).toBe(200);
    expect(res.body.project).toMatchObject({
      projectId: 'C1',
      status: 'cancelled',
      budgetFen: 30_000_000,
      spentFen: 30_000_000,
      cancellation: { state: 'done', mergedInto: 'N1', reason: '与N1项目重复', amountFen: 70_000_000 },
    });
    expect(res.body.deductions).toHaveLength(1);
    c1Cut = res.body.deductions[0];
    expect(res.body.deductions[0]).toMatchObject({
      rule: 'CLEANUP_CUT',
      year: 2022,
      amountFen: 70_000_000,
      budgetBeforeFen: 100_000_000,
      budgetAfterFen: 30_000_000,
      figures: { spentFen: 30_000_000, remainingFen: 70_000_000, mergedInto: 'N1' },
    });
    expect(res.body.emails).toBe(1);
    expect((await poolTotals(envDb(), 2022)).byRule.CLEANUP_CUT).toBe(70_000_000);
    const before = await tableDigest();
    const second = await call(performance, 'POST', '/v1/projects/C1/cancel', { reason: '再次取消' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('ALREADY_CANCELLED');
    expect(await tableDigest()).toEqual(before);
    const badMerge = await call(performance, 'POST', '/v1/projects/L1/cancel', { reason: 'x', mergedInto: 'L1a' });
    expect(badMerge.status).toBe(400);
    expect(badMerge.body.error.details[0].path).toBe('body.mergedInto');
  });

  it('refuses expenditures on a cancelled project with 409 and changes nothing', async () => {
    const res = await call(DA, 'POST', '/v1/projects/C1/expenditures', { expenditureId: 'E-late', date: '2022-06-01', amountFen: 1, kind: 'payment' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PROJECT_CANCELLED');
    expect((await call(DA, 'GET', '/v1/projects/C1')).body.spentFen).toBe(30_000_000);
  });

  it('cancels a level-1 by cancelling and cutting each of its leaves', async () => {
    const res = await call(performance, 'POST', '/v1/projects/L1/cancel', { reason: '零散项目整合' });
    expect(res.status).toBe(200);
    expect(res.body.deductions.map((d: { projectId: string; amountFen: number }) => [d.projectId, d.amountFen])).toEqual([
      ['L1a', 30_000_000],
      ['L1b', 20_000_000],
    ]);
    expect(res.body).toMatchObject({ amountFen: 50_000_000, project: { status: 'cancelled', budgetFen: 10_000_000, spentFen: 10_000_000 } });
    for (const id of ['L1a', 'L1b']) {
      expect((await call(finance, 'GET', `/v1/projects/${id}`)).body).toMatchObject({ status: 'cancelled' });
      expect((await call(performance, 'POST', `/v1/projects/${id}/cancel`, { reason: 'x' })).status).toBe(409);
    }
    expect((await call(performance, 'POST', '/v1/projects/L1/cancel', { reason: 'x' })).body.error.code).toBe('ALREADY_CANCELLED');
    expect(await call(finance, 'GET', '/v1/cleanup/2022/totals').then((r) => r.body)).toEqual({
      year: 2022,
      projects: 3,
      cutFen: 120_000_000,
      byDept: { DA: { projects: 3, cutFen: 120_000_000 } },
      reversed: { projects: 0, fen: 0 },
    });
  });

  it('is appealable like every deduction: a reversal gives the budget back and the totals drop it', async () => {
    const appeal = await call(DA, 'POST', `/v1/deductions/${c1Cut.deductionId}/appeal`, { reason: '项目已签订合同，不应取消' });
    expect(appeal.status).toBe(200);
    expect(appeal.body.status).toBe('appealed');
    const decision = await call(performance, 'POST', `/v1/deductions/${c1Cut.deductionId}/decision`, { decision: 'reverse', comment: '申诉成立' });
    expect(decision.status).toBe(200);
    expect(decision.body.reversal).toMatchObject({ rule: 'REVERSAL', amountFen: -70_000_000, budgetAfterFen: 100_000_000 });
    // The money is back; the project stays cancelled (a reversal gives money, not status, back).
    expect((await call(finance, 'GET', '/v1/projects/C1')).body).toMatchObject({ budgetFen: 100_000_000, status: 'cancelled' });
    const pool = await poolTotals(envDb(), 2022);
    expect([pool.byRule.CLEANUP_CUT, pool.reversedFen, pool.balanceFen]).toEqual([120_000_000, 70_000_000, 50_000_000]);
    expect((await call(performance, 'GET', '/v1/cleanup/2022/totals')).body).toMatchObject({
      projects: 2,
      cutFen: 50_000_000,
      reversed: { projects: 1, fen: 70_000_000 },
    });
    const ledger = await ledgerOfYear(envDb(), 2022);
    expect(ledger.map((d) => [d.rule, d.projectId, d.amountFen, d.status])).toEqual([
      ['CLEANUP_CUT', 'C1', 70_000_000, 'reversed'],
      ['CLEANUP_CUT', 'L1a', 30_000_000, 'applied'],
      ['CLEANUP_CUT', 'L1b', 20_000_000, 'applied'],
      ['REVERSAL', 'C1', -70_000_000, 'applied'],
    ]);
  });

  it('is skipped by the jobs: the spending rules, the monitoring snapshot and the next scan', async () => {
    const reclaim = await runJob(depsAt('2022-10-01T01:20:00Z'), { job: 'progress-reclaim', asOf: '2022-09-30', runId: 'front-pr', actor: SYSTEM });
    expect(reclaim.summary).toMatchObject({ projects: 3, skippedCancelled: 3, deductions: 0 });
    const cap = await runJob(depsAt('2022-12-01T01:30:00Z'), { job: 'progress-cap', asOf: '2022-11-30', runId: 'front-pc', actor: SYSTEM });
    expect(cap.summary).toMatchObject({ skippedCancelled: 3, flagged: 0 });
    const snap = await runJob(depsAt('2022-07-01T01:10:00Z'), { job: 'monitoring-snapshot', asOf: '2022-06-30', runId: 'front-ms', actor: SYSTEM });
    expect(snap.summary).toMatchObject({ cancelled: 3 });
    const scan = await runJob(depsAt('2022-03-01T01:00:00Z'), { job: 'cleanup-scan', asOf: '2022-03-01', runId: 'front-cs', actor: SYSTEM });
    expect(scan.summary).toMatchObject({ projects: 0 });
    await settle();
  });
});
