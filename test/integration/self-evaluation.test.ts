/**
 * SPEC §3.9 through the API: the worked example with pre-fill from the monitoring report,
 * a 400 that lists every problem and changes nothing, the review path with a return and a
 * resubmission, every version kept, another department's 404, publication.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { emailsTo } from '../support/ledger-fixtures';

const Y = 2024;
const own = dept('SE1');
const other = dept('SE2');
const base = { year: Y, deptId: 'SE1', level: 1, category: 'other', domain: '教育', fundSource: 'general' };
const target = (indicators: unknown[]) => ({ goal: '自评测试目标', indicators });
const out = { level1: 'output', level2: 'quantity', name: '完成数量', unit: '个', direction: '>=', targetValue: 10 };
const ben = { level1: 'benefit', level2: 'social', name: '投诉件数', unit: '件', direction: '<=', targetValue: 100 };
const sat = { level1: 'satisfaction', level2: 'service-object', name: '满意度', unit: '%', direction: '>=', targetValue: 90 };

async function approvedProject(projectId: string, indicators: unknown[], spentFen: number) {
  expect((await call(performance, 'POST', '/v1/projects', { ...base, projectId, name: `自评项目${projectId}`, budgetFen: 10_000_000 })).status).toBe(201);
  if (spentFen > 0) {
    const e = await call(own, 'POST', `/v1/projects/${projectId}/expenditures`, {
      expenditureId: `${projectId}-E1`,
      date: `${Y}-06-01`,
      amountFen: spentFen,
      kind: 'payment',
    });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
  }
  const t = await call(own, 'PUT', `/v1/projects/${projectId}/target`, target(indicators));
  expect(t.status, JSON.stringify(t.body)).toBe(201);
  expect((await call(own, 'POST', `/v1/projects/${projectId}/target/submit`)).status).toBe(200);
  expect((await call(finance, 'POST', `/v1/projects/${projectId}/target/review`, { decision: 'approve', grade: '优' })).status).toBe(200);
}

beforeAll(async () => {
  await setupTable();
  for (const id of ['SE1', 'SE2']) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name: `自评部门${id}`, contactEmails: [`${id}@se.test`] })).status).toBe(201);
  }
  const svc = { ...sat, level2: 'service-object' };
  await approvedProject('SE-A', [out, ben, svc], 9_000_000);
  await approvedProject('SE-B', [out, ben], 10_000_000);
  const m = await call(own, 'PUT', '/v1/projects/SE-A/monitoring/09-30', {
    indicators: [
      { name: '完成数量', direction: '>=', targetValue: 10, actualValue: 8, outlook: 'certain' },
      { name: '投诉件数', direction: '<=', targetValue: 100, actualValue: 60, outlook: 'certain' },
      { name: '满意度', direction: '>=', targetValue: 90, actualValue: 70, outlook: 'certain' },
    ],
  });
  expect(m.status, JSON.stringify(m.body)).toBe(201);
});

describe('self-evaluation (SPEC §3.9)', () => {
  it('before anything is saved: the target indicators, pre-filled from the latest monitoring report', async () => {
    const r = await call(own, 'GET', '/v1/projects/SE-A/self-evaluation');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('none');
    expect(r.body.prefilledFrom).toEqual({ checkpoint: '09-30', version: 1 });
    expect(r.body.indicators.map((i: any) => i.prefilled)).toEqual([{ actual: 8 }, { actual: 60 }, { actual: 70 }]);
  });

  it('a band for a quantitative indicator and an unknown index → one 400 listing both, nothing stored', async () => {
    const r = await call(own, 'PUT', '/v1/projects/SE-A/self-evaluation', {
      indicators: [
        { index: 1, band: 'partial', pct: 70 },
        { index: 7, actual: 1 },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: any) => d.path).sort()).toEqual(['body.indicators[0]', 'body.indicators[1].index']);
    expect((await call(own, 'GET', '/v1/projects/SE-A/self-evaluation')).body.status).toBe('none');
  });

  it('reproduces the worked example: 9 + 40 + 24 + 10 = 83.00 → 良, with its derivation', async () => {
    const r = await call(own, 'PUT', '/v1/projects/SE-A/self-evaluation', {
      indicators: [
        { index: 1, actual: 120 },
        { index: 2, actual: 95 },
      ],
      summary: '总体完成',
      problems: '部分指标未达标',
      measures: '加强管理',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      status: 'draft',
      version: 1,
      scoreCp: 8300,
      grade: '良',
      budgetFen: 10_000_000,
      spentFen: 9_000_000,
      prefilledFrom: { checkpoint: '09-30', version: 1 },
    });
    expect(r.body.breakdown.map((l: any) => [l.part, l.weight, l.actual, l.target, l.points])).toEqual([
      ['execution', '10', 9_000_000, 10_000_000, '9'],
      ['output', '50', 8, 10, '40'],
      ['benefit', '30', 120, 100, '24'],
      ['satisfaction', '10', 95, 90, '10'],
    ]);
    // The same save again: nothing new.
    const again = await call(own, 'PUT', '/v1/projects/SE-A/self-evaluation', {
      indicators: [
        { index: 1, actual: 120 },
        { index: 2, actual: 95 },
      ],
      summary: '总体完成',
      problems: '部分指标未达标',
      measures: '加强管理',
    });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);
  });

  it('no satisfaction indicator: its weight moves to output and benefit, 56.25 and 33.75', async () => {
    const r = await call(own, 'PUT', '/v1/projects/SE-B/self-evaluation', {
      indicators: [
        { index: 0, actual: 5 },
        { index: 1, actual: 150 },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.weights).toEqual({ execution: '10', output: '56.25', benefit: '33.75', satisfaction: '0' });
    // 10 + 56.25 × 5/10 + 33.75 × (200 − 150)/100 = 10 + 28.125 + 16.875 = 55 → 差
    expect(r.body).toMatchObject({ scoreCp: 5500, grade: '差' });
  });

  it('another department, an expert and the public cannot see or write it', async () => {
    expect((await call(other, 'GET', '/v1/projects/SE-A/self-evaluation')).status).toBe(404);
    expect((await call(other, 'PUT', '/v1/projects/SE-A/self-evaluation', { indicators: [] })).status).toBe(404);
    expect((await call(expert, 'GET', '/v1/projects/SE-A/self-evaluation')).status).toBe(403);
    expect((await call(null, 'GET', '/v1/projects/SE-A/self-evaluation')).status).toBe(401);
    expect((await call(own, 'GET', '/v1/projects/SE-A/self-evaluation')).body.version).toBe(1);
  });

  it('review: finance returns with reasons, the department revises and resubmits, finance then performance confirm', async () => {
    expect((await call(own, 'POST', '/v1/projects/SE-A/self-evaluation/submit')).body.status).toBe('submitted');
    expect((await call(own, 'PUT', '/v1/projects/SE-A/self-evaluation', { indicators: [] })).status).toBe(409);
    expect((await call(performance, 'POST', '/v1/projects/SE-A/self-evaluation/review', { decision: 'confirm' })).body.error.code).toBe('AWAITS_FINANCE');
    expect((await call(finance, 'POST', '/v1/projects/SE-A/self-evaluation/review', { decision: 'return' })).status).toBe(400);
    const ret = await call(finance, 'POST', '/v1/projects/SE-A/self-evaluation/review', { decision: 'return', comments: '满意度依据不足' });
    expect(ret.body).toMatchObject({ status: 'returned', lastReview: { stage: 'finance', decision: 'return', comments: '满意度依据不足' } });
    const rev = await call(own, 'PUT', '/v1/projects/SE-A/self-evaluation', { indicators: [{ index: 2, actual: 85.5 }], summary: '已补充依据' });
    // satisfaction 10 × 85.5 / 90 = 9.5 → 9 + 40 + 24 + 9.5 = 82.50
    expect(rev.body).toMatchObject({ status: 'draft', version: 2, scoreCp: 8250, grade: '良' });
    expect((await call(own, 'POST', '/v1/projects/SE-A/self-evaluation/submit')).body.status).toBe('submitted');
    expect((await call(finance, 'POST', '/v1/projects/SE-A/self-evaluation/review', { decision: 'confirm' })).body.status).toBe('finance-confirmed');
    expect((await call(finance, 'POST', '/v1/projects/SE-A/self-evaluation/review', { decision: 'confirm' })).body.error.code).toBe('AWAITS_PERFORMANCE');
    expect((await call(performance, 'POST', '/v1/projects/SE-A/self-evaluation/review', { decision: 'confirm' })).body.status).toBe('confirmed');
    expect((await call(performance, 'POST', '/v1/projects/SE-A/self-evaluation/review', { decision: 'confirm' })).status).toBe(409);
    const h = await call(finance, 'GET', '/v1/projects/SE-A/self-evaluation/history');
    expect(h.body.versions.map((v: any) => [v.version, v.scoreCp])).toEqual([
      [1, 8300],
      [2, 8250],
    ]);
    expect(h.body.reviews.map((r: any) => `${r.stage}:${r.decision}`)).toEqual(['finance:return', 'finance:confirm', 'performance:confirm']);
    const audit = await call(finance, 'GET', '/v1/audit/project/SE-A');
    const actions = (audit.body.items as any[]).map((a) => a.action).filter((a) => a.startsWith('self-evaluation.'));
    expect(actions).toHaveLength(7);
  });

  it('lists by grade and status; a department lists only its own', async () => {
    const all = await call(finance, 'GET', `/v1/self-evaluations?year=${Y}`);
    expect(all.body).toMatchObject({ total: 2, grades: { 优: 0, 良: 1, 中: 0, 差: 1 } });
    expect((await call(finance, 'GET', `/v1/self-evaluations?year=${Y}&status=confirmed`)).body.items.map((i: any) => i.projectId)).toEqual(['SE-A']);
    expect((await call(other, 'GET', `/v1/self-evaluations?year=${Y}&deptId=SE1`)).status).toBe(403);
    expect((await call(other, 'GET', `/v1/self-evaluations?year=${Y}`)).body.total).toBe(0);
  });

  it('publication: only confirmed reports of published departments, without a token', async () => {
    expect((await call(null, 'GET', `/v1/public/${Y}/self-evaluations`)).body).toMatchObject({ items: [], coverage: { departments: 0 } });
    expect((await call(performance, 'POST', `/v1/departments/SE2/self-evaluations/${Y}/publish`)).body.error.code).toBe('NOTHING_CONFIRMED');
    expect((await call(performance, 'POST', `/v1/departments/SE1/self-evaluations/${Y}/publish`)).status).toBe(201);
    expect((await call(performance, 'POST', `/v1/departments/SE1/self-evaluations/${Y}/publish`)).status).toBe(200);
    const pub = await call(null, 'GET', `/v1/public/${Y}/self-evaluations`);
    expect(pub.body.coverage).toEqual({ departments: 1, reports: 1 });
    expect(pub.body.items.map((i: any) => [i.projectId, i.scoreCp, i.grade, i.departmentName])).toEqual([['SE-A', 8250, '良', '自评部门SE1']]);
  });

  it('reminders on the due date (policy selfEvaluation.dueDate 04-30): departments with unsubmitted ones, once', async () => {
    const run = await call(performance, 'POST', '/v1/jobs/reminders/runs', { asOf: `${Y + 1}-04-30` });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.summary).toMatchObject({ selfEvaluationYear: Y, unsubmitted: 1, overdueRectifications: 0, departments: 1, reminded: 1 });
    await settle();
    const mails = await emailsTo(['SE1@se.test']);
    const due = mails.filter((m) => m.body.text.includes('绩效自评提交提醒'));
    expect(due).toHaveLength(1);
    expect(due[0]!.body.text).toContain('自评项目SE-B（SE-B）：draft');
    expect((await call(performance, 'POST', '/v1/jobs/reminders/runs', { asOf: `${Y + 1}-04-30` })).status).toBe(200);
    await settle();
    expect((await emailsTo(['SE1@se.test'])).filter((m) => m.body.text.includes('绩效自评提交提醒'))).toHaveLength(1);
  });
});
