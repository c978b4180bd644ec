/**
 * SPEC §3.10 through the API: a key evaluation scored by its assigned experts (the expert
 * matrix), finalized with suggestions, rectification transitions legal and illegal, the year's
 * summary with growth over the year before, and results cuts in both orders — decision then
 * continuing project, continuing project then decision — for RESULTS_CUT and for §3.7's cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { poolTotals } from '../../shared/aws/pool';
import { call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { emailsTo, envDb, project, putProjects } from '../support/ledger-fixtures';

const Y = 2030;
const own = dept('EV1');
const other = dept('EV2');
const expert2 = { sub: 'expert-2', roles: ['expert'] };
const unassigned = { sub: 'expert-9', roles: ['expert'] };
const next = (projectId: string, continuesProjectId: string, budgetFen: number, deptId = 'EV1') => ({
  projectId,
  year: Y + 1,
  deptId,
  level: 1,
  name: `延续项目${projectId}`,
  category: 'other',
  domain: '教育',
  fundSource: 'general',
  budgetFen,
  continuesProjectId,
});
const evaluation = (evaluationId: string, projectIds: string[], fundsFen: number, extra: Record<string, unknown> = {}) => ({
  evaluationId,
  year: Y,
  kind: 'livelihood-project',
  title: `重点评价${evaluationId}`,
  projectIds,
  fundsFen,
  panel: [
    { name: '张代表', kind: 'deputy', org: '市人大' },
    { name: '李委员', kind: 'cppcc', org: '市政协' },
  ],
  experts: ['expert-1', 'expert-2'],
  ...extra,
});
const score = (v: [number, number, number, number]) => ({ decision: v[0], process: v[1], output: v[2], benefit: v[3] });
const get = (id: string) => call(finance, 'GET', `/v1/projects/${id}`).then((r) => r.body);

beforeAll(async () => {
  await setupTable();
  const db = envDb();
  for (const deptId of ['EV1', 'EV2']) {
    await departmentsRepo(db).putPlain({ deptId, name: `评价部门${deptId}`, contactEmails: [`${deptId}@ev.test`], version: 1, createdAt: '', updatedAt: '' });
  }
  await putProjects(db, [
    project({ projectId: 'EV-MID', deptId: 'EV1', year: Y, level: 1, budgetFen: 30_000_000, spentByDay: { [`${Y}-05-01`]: 25_000_000 } }),
    project({ projectId: 'EV-POOR', deptId: 'EV1', year: Y, level: 1, budgetFen: 8_000_000, spentByDay: { [`${Y}-05-01`]: 1_000_000 } }),
    project({ projectId: 'EV-OTHER', deptId: 'EV2', year: Y, level: 1, budgetFen: 5_000_000 }),
    // §3.7: capped at 12-31 of Y at its actual spending, 46,000,000.
    {
      ...project({ projectId: 'EV-CAP', deptId: 'EV2', year: Y, level: 1, budgetFen: 50_000_000, spentByDay: { [`${Y}-11-01`]: 46_000_000 } }),
      flags: ['NEXT_YEAR_AT_ACTUAL'],
      nextYearCapFen: 46_000_000,
      nextYearCapAsOf: `${Y}-12-31`,
    } as never,
  ]);
  // The continuing project of EV-MID exists before the decision (order: project, then decision).
  expect((await call(performance, 'POST', '/v1/projects', next('EV-MID-N', 'EV-MID', 20_000_000))).status).toBe(201);
  const pay = await call(own, 'POST', '/v1/projects/EV-MID-N/expenditures', {
    expenditureId: 'N-E1',
    date: `${Y + 1}-02-01`,
    amountFen: 19_000_000,
    kind: 'payment',
  });
  expect(pay.status, JSON.stringify(pay.body)).toBe(201);
  // The year before: 20,130,000,000 fen evaluated.
  expect(
    (
      await call(performance, 'POST', '/v1/evaluations', {
        ...evaluation('EV-2029', [], 20_130_000_000),
        year: Y - 1,
        kind: 'industry-policy',
        policyName: '产业扶持政策',
      })
    ).status,
  ).toBe(201);
});

afterAll(async () => {
  await settle();
});

describe('key evaluations (SPEC §3.10)', () => {
  it('creates once; the same body again is 200, a different one 409; an unknown project is a 400', async () => {
    const body = evaluation('EV-A', ['EV-MID', 'EV-POOR'], 34_400_000_000);
    expect((await call(performance, 'POST', '/v1/evaluations', body)).status).toBe(201);
    expect((await call(performance, 'POST', '/v1/evaluations', body)).status).toBe(200);
    expect((await call(performance, 'POST', '/v1/evaluations', { ...body, fundsFen: 1 })).status).toBe(409);
    const bad = await call(performance, 'POST', '/v1/evaluations', evaluation('EV-X', ['NOPE'], 1, { kind: 'department-overall', deptId: 'NODEPT' }));
    expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(['body.deptId', 'body.projectIds[0]']);
    expect((await call(own, 'POST', '/v1/evaluations', evaluation('EV-Y', [], 1))).status).toBe(403);
  });

  it('the expert matrix: assigned experts score, an unassigned one gets 404, a department sees only what concerns it until finalized', async () => {
    const s1 = await call(expert, 'PUT', '/v1/evaluations/EV-A/scores', score([90, 80, 70, 60]));
    expect(s1.status, JSON.stringify(s1.body)).toBe(200);
    expect(s1.body.weighted).toBe('73');
    expect((await call(unassigned, 'PUT', '/v1/evaluations/EV-A/scores', score([100, 100, 100, 100]))).status).toBe(404);
    expect((await call(unassigned, 'GET', '/v1/evaluations/EV-A')).status).toBe(404);
    expect((await call(unassigned, 'GET', `/v1/evaluations?year=${Y}`)).body.total).toBe(0);
    expect((await call(performance, 'PUT', '/v1/evaluations/EV-A/scores', score([1, 1, 1, 1]))).status).toBe(403);
    expect((await call(expert2, 'PUT', '/v1/evaluations/EV-A/scores', score([100, 90, 80, 80]))).body.weighted).toBe('86');
    const mine = await call(expert, 'GET', '/v1/evaluations/EV-A');
    expect(mine.body.scores.map((s: any) => s.sub)).toEqual(['expert-1']);
    expect(mine.body.experts).toBeUndefined();
    expect((await call(own, 'GET', '/v1/evaluations/EV-A')).status).toBe(200);
    expect((await call(other, 'GET', '/v1/evaluations/EV-A')).status).toBe(404);
    expect((await call(other, 'GET', `/v1/evaluations?year=${Y}`)).body.total).toBe(0);
    expect((await call(null, 'GET', '/v1/evaluations/EV-A')).status).toBe(401);
    const f = await call(finance, 'GET', '/v1/evaluations/EV-A');
    expect(f.body.currentScore).toMatchObject({ scoreCp: 7950, grade: '中', experts: 2 });
  });

  it('finalize: the mean 79.50 → 中, suggestions to departments; then scoring is closed and others may read it', async () => {
    const r = await call(performance, 'POST', '/v1/evaluations/EV-A/finalize', {
      findings: '项目管理有待加强',
      suggestions: [
        { suggestionId: 'SG-1', deptId: 'EV1', text: '完善项目管理制度' },
        { suggestionId: 'SG-2', deptId: 'EV2', text: '加强资金监管', dueDate: '2025-01-31' },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'finalized', scoreCp: 7950, grade: '中' });
    expect(r.body.suggestions.map((s: any) => [s.suggestionId, s.deptId, s.status])).toEqual([
      ['SG-1', 'EV1', 'open'],
      ['SG-2', 'EV2', 'open'],
    ]);
    expect((await call(expert, 'PUT', '/v1/evaluations/EV-A/scores', score([100, 100, 100, 100]))).status).toBe(409);
    expect((await call(performance, 'POST', '/v1/evaluations/EV-A/finalize', { findings: '再次', suggestions: [] })).status).toBe(409);
    expect((await call(other, 'GET', '/v1/evaluations/EV-A')).status).toBe(200);
    // Unscored: cannot be finalized.
    expect((await call(performance, 'POST', '/v1/evaluations', evaluation('EV-B', ['EV-OTHER'], 100))).status).toBe(201);
    expect((await call(performance, 'POST', '/v1/evaluations/EV-B/finalize', { findings: '无' })).body.error.code).toBe('NOT_SCORED');
  });

  it('rectification: open → in-progress → done → reopened → done → accepted; illegal moves are 409, others 404/403', async () => {
    expect((await call(other, 'PUT', '/v1/suggestions/SG-1/rectification', { status: 'done', note: 'x' })).status).toBe(404);
    expect((await call(own, 'POST', '/v1/suggestions/SG-1/review', { decision: 'accept' })).status).toBe(403);
    expect((await call(performance, 'POST', '/v1/suggestions/SG-1/review', { decision: 'accept' })).status).toBe(409);
    expect((await call(own, 'PUT', '/v1/suggestions/SG-1/rectification', { status: 'in-progress', note: '已制定方案' })).body.status).toBe('in-progress');
    expect((await call(own, 'PUT', '/v1/suggestions/SG-1/rectification', { status: 'done', note: '制度已印发' })).body.status).toBe('done');
    expect((await call(own, 'PUT', '/v1/suggestions/SG-1/rectification', { status: 'in-progress', note: '再改' })).status).toBe(409);
    expect((await call(performance, 'POST', '/v1/suggestions/SG-1/review', { decision: 'reopen' })).status).toBe(400);
    expect((await call(performance, 'POST', '/v1/suggestions/SG-1/review', { decision: 'reopen', comment: '缺少执行记录' })).body.status).toBe('open');
    expect((await call(own, 'PUT', '/v1/suggestions/SG-1/rectification', { status: 'done', note: '补充执行记录' })).body.status).toBe('done');
    const acc = await call(performance, 'POST', '/v1/suggestions/SG-1/review', { decision: 'accept' });
    expect(acc.body.status).toBe('accepted');
    expect(acc.body.history.map((h: any) => h.status)).toEqual(['open', 'in-progress', 'done', 'open', 'done', 'accepted']);
    expect((await call(own, 'PUT', '/v1/suggestions/SG-1/rectification', { status: 'done', note: 'x' })).status).toBe(409);
    const list = await call(other, 'GET', `/v1/suggestions?year=${Y}`);
    expect(list.body).toMatchObject({ total: 1, overdue: 1 });
    // The department's digest on the next self-evaluation due date lists its overdue one.
    const run = await call(performance, 'POST', '/v1/jobs/reminders/runs', { asOf: `${Y + 1}-04-30` });
    expect(run.body.summary).toMatchObject({ unsubmitted: 0, overdueRectifications: 1, departments: 1 });
    await settle();
    const mail = (await emailsTo(['EV2@ev.test'])).filter((m) => m.body.text.includes('整改逾期提醒'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body.text).toContain('SG-2（EV-A）：加强资金监管，应于 2025-01-31 前完成');
  });

  it('summary: count, funds, growth over the year before, distinct panel members, suggestions, rectified', async () => {
    const s = await call(finance, 'GET', `/v1/evaluations/summary/${Y}`);
    // (34,400,000,100 − 20,130,000,000) × 10000 / 20,130,000,000 = 7088.92… → 7088
    expect(s.body).toMatchObject({
      count: 2,
      fundsFen: 34_400_000_100,
      lastYear: { count: 1, fundsFen: 20_130_000_000 },
      growthBp: 7088,
      panelMembers: 2,
      suggestions: 2,
      rectified: 1,
    });
  });
});

describe('results feed next year (SPEC §3.10, §3.7)', () => {
  it('proposes 10% for 中 (never below spent) and 100% for 差, from the grade of record', async () => {
    // EV-POOR gets its own key evaluation graded 差, finalized after EV-A: the latest wins.
    expect((await call(performance, 'POST', '/v1/evaluations', evaluation('EV-C', ['EV-POOR'], 100))).status).toBe(201);
    await call(expert, 'PUT', '/v1/evaluations/EV-C/scores', score([50, 50, 50, 50]));
    expect((await call(performance, 'POST', '/v1/evaluations/EV-C/finalize', { findings: '差' })).body.grade).toBe('差');
    const r = await call(finance, 'GET', `/v1/results/${Y}/proposals`);
    expect(r.body.items.map((p: any) => [p.projectId, p.grade, p.gradeSourceId, p.cutBp, p.proposedCutFen, p.continuing.length])).toEqual([
      ['EV-MID', '中', 'EV-A', 1000, 1_000_000, 1],
      ['EV-POOR', '差', 'EV-C', 10000, 0, 0],
    ]);
    expect((await call(other, 'GET', `/v1/results/${Y}/proposals`)).body.items).toEqual([]);
  });

  it('project then decision: confirming cuts the continuing project (10% would be 2,000,000; spent leaves 1,000,000), appealable; rerun changes nothing', async () => {
    const poolBefore = await poolTotals(envDb(), Y + 1);
    const d = await call(performance, 'POST', `/v1/results/${Y}/proposals/EV-MID/decision`, { decision: 'confirm' });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ deductions: 1, amountFen: 1_000_000, applied: 1 });
    expect(await get('EV-MID-N')).toMatchObject({ budgetFen: 19_000_000, spentFen: 19_000_000 });
    const poolAfter = await poolTotals(envDb(), Y + 1);
    expect(poolAfter.inFen - poolBefore.inFen).toBe(1_000_000);
    const again = await call(performance, 'POST', `/v1/results/${Y}/proposals/EV-MID/decision`, { decision: 'confirm' });
    // Nothing is left to take (budget = spent): the rerun computes no cut and writes nothing.
    expect(again.body).toMatchObject({ deductions: 0, applied: 0, none: 1 });
    expect((await get('EV-MID-N')).budgetFen).toBe(19_000_000);
    expect((await call(performance, 'POST', `/v1/results/${Y}/proposals/EV-MID/decision`, { decision: 'drop' })).status).toBe(409);
    const ded = await call(own, 'GET', '/v1/deductions?projectId=EV-MID-N');
    expect(ded.body.items.map((x: any) => [x.rule, x.amountFen, x.budgetBeforeFen, x.budgetAfterFen])).toEqual([
      ['RESULTS_CUT', 1_000_000, 20_000_000, 19_000_000],
    ]);
    const appeal = await call(own, 'POST', `/v1/deductions/${ded.body.items[0].deductionId}/appeal`, { reason: '已按合同支付' });
    expect(appeal.status, JSON.stringify(appeal.body)).toBe(200);
    expect(appeal.body.status).toBe('appealed');
  });

  it('decision then project: a 差 confirmed with no continuation yet cuts the project created after it, 100%', async () => {
    const d = await call(performance, 'POST', `/v1/results/${Y}/proposals/EV-POOR/decision`, { decision: 'confirm' });
    expect(d.body).toMatchObject({ deductions: 0, applied: 0 });
    const created = await call(own, 'POST', '/v1/projects', next('EV-POOR-N', 'EV-POOR', 5_000_000));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ budgetFen: 0, originalBudgetFen: 5_000_000 });
    const ded = await call(own, 'GET', '/v1/deductions?projectId=EV-POOR-N');
    expect(ded.body.items.map((x: any) => [x.rule, x.amountFen])).toEqual([['RESULTS_CUT', 5_000_000]]);
    // Posting the same body again is answered unchanged, and cuts nothing more.
    expect((await call(own, 'POST', '/v1/projects', next('EV-POOR-N', 'EV-POOR', 5_000_000))).status).toBe(200);
    expect((await call(own, 'GET', '/v1/deductions?projectId=EV-POOR-N')).body.items).toHaveLength(1);
  });

  it('§3.7 after the cap: a continuation created after 12-31 is cut to the cap; a later raise from the pool is cut back', async () => {
    const created = await call(other, 'POST', '/v1/projects', next('EV-CAP-N', 'EV-CAP', 60_000_000, 'EV2'));
    expect(created.body).toMatchObject({ budgetFen: 46_000_000, originalBudgetFen: 60_000_000 });
    const ded = await call(other, 'GET', '/v1/deductions?projectId=EV-CAP-N');
    expect(ded.body.items.map((x: any) => [x.rule, x.amountFen, x.budgetAfterFen, x.asOf])).toEqual([['NEXT_YEAR_CAP', 14_000_000, 46_000_000, `${Y}-12-31`]]);
    // The pool of Y+1 holds the results cuts (6,000,000); allocating 2,000,000 raises the budget above the cap.
    const alloc = await call(performance, 'POST', `/v1/pool/${Y + 1}/allocations`, {
      allocationId: 'AL-CAP',
      projectId: 'EV-CAP-N',
      amountFen: 2_000_000,
      reason: '追加',
    });
    expect(alloc.status, JSON.stringify(alloc.body)).toBe(201);
    expect((await get('EV-CAP-N')).budgetFen).toBe(46_000_000);
    const after = await call(other, 'GET', '/v1/deductions?projectId=EV-CAP-N');
    expect(after.body.items.map((x: any) => [x.rule, x.amountFen]).sort()).toEqual(
      [
        ['NEXT_YEAR_CAP', 14_000_000],
        ['NEXT_YEAR_CAP', 2_000_000],
      ].sort(),
    );
  });
});
