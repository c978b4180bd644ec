/**
 * Targets through their routes against DynamoDB Local: lint on save, the review flow, the
 * TARGET_REVIEW_CUT in the ledger with its email, ex-ante approval, department-overall targets,
 * idempotency, and the role matrix on every route.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/aws/clients';
import { type Db, getItem } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { mailId, type MailItem } from '../../shared/aws/outbox';
import { stripKeys } from '../../shared/aws/projects-repo';
import { targetItem } from '../../shared/aws/targets-repo';
import type { StoredTarget } from '../../shared/domain/targets';
import { poolTotals } from '../../shared/aws/pool';
import type { Deduction } from '../../shared/domain/ledger';
import { type Caller, call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { tableDigest } from '../support/table-digest';

const db = (): Db => ({ doc: documentClient(), table: process.env.TABLE_NAME as string });

const LIBRARY = [
  'code,scope,category,domain,fundUse,level1,level2,name,unit,direction,benchmark',
  'T-OUT,general,测试类,,,output,quantity,培训人次,人次,>=,',
  'T-BEN,general,测试类,,,benefit,social,受益人数,人,>=,',
  'T-SAT,general,测试类,,,satisfaction,service-object,服务对象满意度,%,>=,90',
  'T-COST,general,测试类,,,cost,economic,人均培训成本,元/人,<=,600',
].join('\n');

const base = { category: 'infrastructure', domain: '教育', fundSource: 'general' } as const;
const PROJECTS = [
  { ...base, projectId: 'P1', year: 2020, deptId: 'D01', level: 1, name: '教育发展专项', category: 'operations', budgetFen: 0 },
  { ...base, projectId: 'P1A', year: 2020, deptId: 'D01', level: 2, parentId: 'P1', name: '校园安全运行维护', category: 'operations', budgetFen: 100_000_000 },
  { ...base, projectId: 'P1B', year: 2020, deptId: 'D01', level: 2, parentId: 'P1', name: '教师培训', category: 'operations', budgetFen: 23_456_789 },
  { ...base, projectId: 'P2', year: 2020, deptId: 'D01', level: 1, name: '中小学校舍维修改造', budgetFen: 50_000_000 },
  { ...base, projectId: 'PNEW', year: 2020, deptId: 'D01', level: 1, name: '新建第九中学', budgetFen: 600_000_000, isNew: true },
  { ...base, projectId: 'P21', year: 2021, deptId: 'D01', level: 1, name: '智慧校园建设', budgetFen: 80_000_000 },
  { ...base, projectId: 'PM', year: 2020, deptId: 'D03', level: 1, name: '矩阵项目', budgetFen: 2_000_000 },
  { ...base, projectId: 'PCR', year: 2020, deptId: 'D04', level: 1, name: '中断恢复项目', budgetFen: 7_000_000 },
];

/** A target that lints clean: output with cost figures within 10% of the budget, benefit, satisfaction. */
const good = (budgetFen: number, extra: Record<string, unknown>[] = []) => ({
  goal: '完成年度培训任务，提升教师教学能力',
  indicators: [
    { code: 'T-OUT', targetValue: 1000, unitCostFen: Math.floor(budgetFen / 1000), quantity: 1000 },
    { code: 'T-BEN', targetValue: 5000 },
    { code: 'T-SAT', targetValue: 92 },
    ...extra,
  ],
});

async function mailOf(deptId: string, reviewId: string): Promise<MailItem | undefined> {
  return getItem<MailItem>(db(), keys.mail(mailId(`target-review~${reviewId}`, deptId, 1)));
}

const review = (who: Caller, path: string, decision: string, grade: string, comments = '') =>
  call(who, 'POST', `${path}/review`, { decision, grade, comments });

beforeAll(async () => {
  await setupTable();
  for (const id of ['D01', 'D02', 'D03', 'D04']) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name: `部门${id}`, contactEmails: [`${id.toLowerCase()}@xm.gov.cn`] })).status).toBe(201);
  }
  expect((await call(performance, 'POST', '/v1/indicators/import', LIBRARY, { 'content-type': 'text/csv' })).status).toBe(200);
  for (const p of PROJECTS) expect((await call(performance, 'POST', '/v1/projects', p)).status).toBe(201);
  const pay = async (projectId: string, amountFen: number) =>
    expect(
      (
        await call(performance, 'POST', `/v1/projects/${projectId}/expenditures`, {
          expenditureId: `E-${projectId}`,
          date: `${projectId === 'P21' ? 2021 : 2020}-03-01`,
          amountFen,
          kind: 'payment',
        })
      ).status,
    ).toBe(201);
  await pay('P2', 10_000_000);
  await pay('P1B', 3_456_789);
  // The 2021 policy: half cuts and a ±5% cost tolerance.
  expect((await call(performance, 'PUT', '/v1/policies/2021', { targetReview: { cutBp: 5000, costToleranceBp: 500 } })).status).toBe(200);
}, 60_000);

describe('save: lint with figures, versions, stale edits', () => {
  it('lists lint problems on save and refuses to submit until they are fixed', async () => {
    const first = await call(dept('D01'), 'PUT', '/v1/projects/P2/target', {
      goal: '完成 12 所中小学校舍维修',
      indicators: [{ code: 'T-OUT', targetValue: 1000, unitCostFen: 60_000, quantity: 1000 }],
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      kind: 'project',
      projectId: 'P2',
      status: 'draft',
      version: 1,
      taxonomy: 'pre-2021',
      budgetFen: 50_000_000,
      canSubmit: false,
    });
    expect(first.body.lint.map((l: { code: string }) => l.code)).toEqual(['NO_BENEFIT', 'COST_MISMATCH']);
    expect(first.body.lint[1].figures).toEqual({ costFen: 60_000_000, budgetFen: 50_000_000, deviationBp: 2000, toleranceBp: 1000 });
    expect(first.body.indicators[0]).toMatchObject({
      source: 'library',
      code: 'T-OUT',
      level1: 'output',
      level2: 'quantity',
      name: '培训人次',
      unit: '人次',
      direction: '>=',
    });

    const same = await call(dept('D01'), 'PUT', '/v1/projects/P2/target', {
      goal: '完成 12 所中小学校舍维修',
      indicators: [{ code: 'T-OUT', targetValue: 1000, unitCostFen: 60_000, quantity: 1000 }],
    });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(1);

    const blocked = await call(dept('D01'), 'POST', '/v1/projects/P2/target/submit');
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('LINT_FAILED');
    expect(blocked.body.error.details.map((d: { path: string }) => d.path)).toEqual(['indicators', 'indicators']);

    const stale = await call(dept('D01'), 'PUT', '/v1/projects/P2/target', { ...good(50_000_000), version: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');

    // 54,960,000 fen is 9.92% over the budget: within ±10%.
    const fixed = await call(dept('D01'), 'PUT', '/v1/projects/P2/target', {
      goal: '完成 12 所中小学校舍维修',
      indicators: [
        { code: 'T-OUT', targetValue: 1000, unitCostFen: 60_000, quantity: 916 },
        { code: 'T-BEN', targetValue: 5000 },
      ],
      version: 1,
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ status: 'draft', version: 2, lint: [], canSubmit: true });
    const submitted = await call(dept('D01'), 'POST', '/v1/projects/P2/target/submit');
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', version: 2, submittedBy: 'officer-D01' });

    const locked = await call(dept('D01'), 'PUT', '/v1/projects/P2/target', good(50_000_000));
    expect(locked.status).toBe(409);
    expect(locked.body.error).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('submitted') });
  });

  it('lists every shape problem in one 400 and stores nothing', async () => {
    const res = await call(dept('D01'), 'PUT', '/v1/projects/P21/target', {
      goal: 'x',
      indicators: [
        { code: 'NOPE' },
        { level1: 'output', level2: 'cost', name: '成本' },
        { name: '无层级' },
        { code: 'T-OUT', unitCostFen: 1.5, quantity: 0.00001 },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.indicators[2].level1',
      'body.indicators[2].level2',
      'body.indicators[3].unitCostFen',
      'body.indicators[3].quantity',
    ]);
    const second = await call(dept('D01'), 'PUT', '/v1/projects/P21/target', {
      goal: 'x',
      indicators: [{ code: 'NOPE' }, { level1: 'output', level2: 'cost', name: '成本' }],
    });
    expect(second.status).toBe(400);
    expect(second.body.error.details).toEqual([
      { path: 'body.indicators[0].code', message: 'no indicator NOPE in the library' },
      { path: 'body.indicators[1].level2', message: expect.stringContaining('cost is a level-1') },
    ]);
    expect((await call(dept('D01'), 'GET', '/v1/projects/P21/target')).status).toBe(404);
  });
});

describe('review and the TARGET_REVIEW_CUT', () => {
  it('a rejection cuts the whole budget down to what was spent, in the ledger, with an email', async () => {
    const res = await review(finance, '/v1/projects/P2/target', 'reject', '差', '目标与资金严重不匹配');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'rejected',
      returnCount: 0,
      lastReview: { decision: 'reject', grade: '差', failing: true, cuts: true, by: 'finance-officer' },
    });
    expect(res.body.cut).toMatchObject({
      state: 'done',
      cutBp: 10000,
      amountFen: 40_000_000,
      leaves: [{ projectId: 'P2', amountFen: 40_000_000, budgetBeforeFen: 50_000_000, budgetAfterFen: 10_000_000 }],
    });

    const project = await call(finance, 'GET', '/v1/projects/P2');
    expect(project.body).toMatchObject({ budgetFen: 10_000_000, originalBudgetFen: 50_000_000, spentFen: 10_000_000, progressBp: 10000 });
    const [id] = res.body.cut.deductionIds as string[];
    const entry = await getItem<Deduction>(db(), keys.deduction(id as string));
    expect(entry).toMatchObject({
      rule: 'TARGET_REVIEW_CUT',
      year: 2020,
      deptId: 'D01',
      projectId: 'P2',
      amountFen: 40_000_000,
      budgetBeforeFen: 50_000_000,
      budgetAfterFen: 10_000_000,
      status: 'applied',
      figures: { budgetFen: 50_000_000, spentFen: 10_000_000, cutBp: 10000, decision: 'reject', grade: '差', returnsBefore: 0 },
    });
    expect((await poolTotals(db(), 2020)).byRule.TARGET_REVIEW_CUT).toBe(40_000_000);

    const mail = await mailOf('D01', res.body.lastReview.reviewId);
    expect(mail).toMatchObject({ to: ['d01@xm.gov.cn'], status: 'pending' });
    expect(mail?.subject).toContain('1 项预算调整，合计 400,000.00 元');
    expect(mail?.text).toContain('绩效目标审核不予通过');
    expect(mail?.text).toContain('调整后预算：100,000.00 元');

    const again = await review(performance, '/v1/projects/P2/target', 'approve', '优');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('rejected') });
    // No room left: the budget is what was spent.
    const pay = await call(dept('D01'), 'POST', '/v1/projects/P2/expenditures', { expenditureId: 'E-more', date: '2020-04-01', amountFen: 1, kind: 'payment' });
    expect(pay.body.error.code).toBe('OVER_BUDGET');
  });

  it('return → revise → resubmit; a second failing review cuts each leaf of the level-1; then approval', async () => {
    const path = '/v1/projects/P1/target';
    // A level-1 with children is linted against their sum, 123,456,789 fen.
    const saved = await call(dept('D01'), 'PUT', path, good(123_456_789));
    expect(saved.body).toMatchObject({ status: 'draft', version: 1, budgetFen: 123_456_789, lint: [] });
    expect((await call(dept('D01'), 'POST', `${path}/submit`)).body.status).toBe('submitted');

    const returned = await review(finance, path, 'return', '中', '满意度指标口径不清，请细化');
    expect(returned.body).toMatchObject({ status: 'returned', returnCount: 1, lastReview: { failing: true, cuts: false } });
    expect(returned.body.cut).toBeUndefined();
    const notice = await mailOf('D01', returned.body.lastReview.reviewId);
    expect(notice?.subject).toMatch(/^【绩效管理】\d{4}-\d{2}-\d{2} 绩效目标审核：1 项通知$/);
    expect(notice?.text).toContain('【绩效目标退回】教育发展专项（P1）');
    expect(notice?.text).toContain('审核意见：满意度指标口径不清，请细化');

    const unrevised = await call(dept('D01'), 'POST', `${path}/submit`);
    expect(unrevised.status).toBe(409);
    expect(unrevised.body.error.code).toBe('NOT_REVISED');
    const revised = await call(dept('D01'), 'PUT', path, { ...good(123_456_789), goal: '完成年度培训任务（修订）' });
    expect(revised.body).toMatchObject({ status: 'returned', version: 2 });
    expect((await call(dept('D01'), 'POST', `${path}/submit`)).body.status).toBe('submitted');

    const failedAgain = await review(performance, path, 'return', '中', '修改后仍不合格');
    expect(failedAgain.status).toBe(200);
    expect(failedAgain.body).toMatchObject({ status: 'returned', returnCount: 2, lastReview: { returnCountBefore: 1, cuts: true } });
    expect(failedAgain.body.cut).toMatchObject({
      state: 'done',
      amountFen: 120_000_000,
      leaves: [
        { projectId: 'P1A', amountFen: 100_000_000, budgetBeforeFen: 100_000_000, budgetAfterFen: 0 },
        { projectId: 'P1B', amountFen: 20_000_000, budgetBeforeFen: 23_456_789, budgetAfterFen: 3_456_789 },
      ],
    });
    const parent = await call(finance, 'GET', '/v1/projects/P1');
    expect(parent.body).toMatchObject({ budgetFen: 3_456_789, originalBudgetFen: 123_456_789, spentFen: 3_456_789 });
    expect((await poolTotals(db(), 2020)).byRule.TARGET_REVIEW_CUT).toBe(160_000_000);
    const mail = await mailOf('D01', failedAgain.body.lastReview.reviewId);
    expect(mail?.subject).toContain('2 项预算调整，合计 1,200,000.00 元');

    // The department may still bring the target up to standard; the cut stands and is not repeated.
    await call(dept('D01'), 'PUT', path, { ...good(3_456_789), goal: '完成年度培训任务（再次修订）' });
    expect((await call(dept('D01'), 'POST', `${path}/submit`)).body.status).toBe('submitted');
    const approved = await review(finance, path, 'approve', '良');
    expect(approved.body).toMatchObject({ status: 'approved', returnCount: 2, cut: { amountFen: 120_000_000 } });
    expect((await call(finance, 'GET', '/v1/projects/P1')).body.budgetFen).toBe(3_456_789);

    const history = await call(dept('D01'), 'GET', `${path}/history`);
    expect(history.body.versions.map((v: { version: number; savedBy: string }) => [v.version, v.savedBy])).toEqual([
      [1, 'officer-D01'],
      [2, 'officer-D01'],
      [3, 'officer-D01'],
    ]);
    expect(history.body.reviews.map((r: { decision: string; grade: string; by: string; version: number }) => [r.decision, r.grade, r.by, r.version])).toEqual([
      ['return', '中', 'finance-officer', 1],
      ['return', '中', 'perf-officer', 2],
      ['approve', '良', 'finance-officer', 3],
    ]);
  });

  it('takes the cut and the cost tolerance from the year’s policy (2021: 50%, ±5%)', async () => {
    const path = '/v1/projects/P21/target';
    const over = await call(dept('D01'), 'PUT', path, {
      goal: '建成智慧校园平台',
      indicators: [
        { code: 'T-OUT', targetValue: 1, unitCostFen: 84_000_001, quantity: 1 },
        { code: 'T-BEN', targetValue: 1 },
        { code: 'T-COST', targetValue: 500 },
      ],
    });
    expect(over.body.taxonomy).toBe('2021');
    expect(over.body.indicators[2]).toMatchObject({ level1: 'cost', level2: 'economic' });
    expect(over.body.lint.map((l: { code: string }) => l.code)).toEqual(['COST_MISMATCH']);
    const within = await call(dept('D01'), 'PUT', path, {
      goal: '建成智慧校园平台',
      indicators: [
        { code: 'T-OUT', targetValue: 1, unitCostFen: 84_000_000, quantity: 1 },
        { code: 'T-BEN', targetValue: 1 },
      ],
    });
    expect(within.body.lint).toEqual([]);
    await call(dept('D01'), 'POST', `${path}/submit`);
    const rejected = await review(performance, path, 'reject', '差', '不予支持');
    expect(rejected.body.cut).toMatchObject({ cutBp: 5000, amountFen: 40_000_000 });
    expect((await call(finance, 'GET', '/v1/projects/P21')).body.budgetFen).toBe(40_000_000);
  });

  it('refuses to approve a new major project until an ex-ante assessment exists', async () => {
    const path = '/v1/projects/PNEW/target';
    await call(dept('D01'), 'PUT', path, good(600_000_000));
    await call(dept('D01'), 'POST', `${path}/submit`);
    const refused = await review(finance, path, 'approve', '优');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'EX_ANTE_REQUIRED' });
    expect(refused.body.error.message).toContain('6,000,000.00 元');
    expect((await call(finance, 'GET', path)).body.status).toBe('submitted');
    // A return needs no assessment.
    await db().doc.send(
      new PutCommand({ TableName: db().table, Item: { ...keys.exAnteAssessment('PNEW'), entity: 'ExAnteAssessment', v: 1, assessmentId: 'EA-1' } }),
    );
    const approved = await review(finance, path, 'approve', '优');
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });

  it('finishes a cut that a crash left pending at the next action on the target, once', async () => {
    const path = '/v1/projects/PCR/target';
    await call(dept('D04'), 'PUT', path, good(7_000_000));
    await call(dept('D04'), 'POST', `${path}/submit`);
    // The review's transaction committed, then the process died before the ledger entries.
    const stored = stripKeys<StoredTarget>((await getItem(db(), keys.projectTarget('PCR'))) as Record<string, unknown>);
    const review = {
      reviewId: 'R-CRASH',
      version: 1,
      decision: 'reject' as const,
      grade: '差' as const,
      comments: '不合格',
      failing: true,
      returnCountBefore: 0,
      cuts: true,
      by: 'finance-officer',
      at: '2020-11-30T02:00:00.000Z',
    };
    await db().doc.send(
      new PutCommand({
        TableName: db().table,
        Item: targetItem({
          ...stored,
          status: 'rejected',
          lastReview: review,
          cut: { reviewId: 'R-CRASH', state: 'pending', asOf: '2020-11-30', cutBp: 10000 },
        }),
      }),
    );
    const poolBefore = (await poolTotals(db(), 2020)).byRule.TARGET_REVIEW_CUT ?? 0;
    expect((await call(dept('D04'), 'GET', path)).body.cut.state).toBe('pending');

    const next = await call(dept('D04'), 'POST', `${path}/submit`);
    expect(next.status).toBe(409);
    const after = await call(dept('D04'), 'GET', path);
    expect(after.body.cut).toMatchObject({ state: 'done', amountFen: 7_000_000, deductionIds: ['TARGET_REVIEW_CUT~project~PCR~2020-11-30~R-CRASH'] });
    expect((await call(finance, 'GET', '/v1/projects/PCR')).body.budgetFen).toBe(0);
    await call(dept('D04'), 'POST', `${path}/submit`);
    expect((await poolTotals(db(), 2020)).byRule.TARGET_REVIEW_CUT).toBe(poolBefore + 7_000_000);
  });

  it('answers illegal transitions with 409 and the current status', async () => {
    await call(dept('D02'), 'PUT', '/v1/departments/D02/targets/2020', good(0));
    const onDraft = await review(finance, '/v1/departments/D02/targets/2020', 'approve', '优');
    expect(onDraft.status).toBe(409);
    expect(onDraft.body.error.message).toMatch(/^A target that is draft cannot be approved; it can be saved or submitted$/);
    expect((await call(dept('D01'), 'POST', '/v1/departments/D01/targets/2019/submit')).status).toBe(404);
    expect((await call(finance, 'POST', '/v1/projects/P1/target/review', { decision: 'approve', grade: '优' })).body.error.code).toBe('ILLEGAL_TRANSITION');
    expect((await call(dept('D01'), 'PUT', '/v1/projects/P1/target', good(1))).status).toBe(409);
  });
});

describe('department-overall targets', () => {
  it('are written by their own department (403 for another), reviewed by finance, never cut', async () => {
    const path = '/v1/departments/D01/targets/2020';
    expect((await call(dept('D02'), 'PUT', path, good(0))).status).toBe(403);
    expect((await call(dept('D02'), 'GET', path)).status).toBe(403);
    const saved = await call(dept('D01'), 'PUT', path, good(0));
    expect(saved.status).toBe(201);
    // Budget: the department's 2020 leaves after the cuts above (10,000,000 + 0 + 3,456,789 + 600,000,000).
    expect(saved.body).toMatchObject({ kind: 'department', deptId: 'D01', year: 2020, budgetFen: 613_456_789 });
    expect(saved.body.lint.map((l: { code: string }) => l.code)).toEqual(['COST_MISMATCH']);
    const fixed = await call(dept('D01'), 'PUT', path, good(613_456_789));
    expect(fixed.body.lint).toEqual([]);
    await call(dept('D01'), 'POST', `${path}/submit`);
    expect((await review(finance, path, 'approve', '优')).body.status).toBe('approved');
  });

  it('a rejected department-overall target is not cut; its department is told', async () => {
    const path = '/v1/departments/D02/targets/2020';
    await call(dept('D02'), 'PUT', path, {
      ...good(0),
      goal: '部门整体目标（修订）',
      indicators: good(0)
        .indicators.slice(1)
        .concat([{ code: 'T-OUT', targetValue: 10 }]),
    });
    expect((await call(dept('D02'), 'POST', `${path}/submit`, undefined, { 'idempotency-key': 'sub-1' })).status).toBe(200);
    const replay = await call(dept('D02'), 'POST', `${path}/submit`, undefined, { 'idempotency-key': 'sub-1' });
    expect(replay.status).toBe(200);
    expect(replay.body.status).toBe('submitted');

    const body = { decision: 'reject', grade: '差', comments: '目标不明确' };
    const first = await call(finance, 'POST', `${path}/review`, body, { 'idempotency-key': 'rev-1' });
    expect(first.body).toMatchObject({ status: 'rejected', lastReview: { cuts: false } });
    expect(first.body.cut).toBeUndefined();
    const again = await call(finance, 'POST', `${path}/review`, body, { 'idempotency-key': 'rev-1' });
    expect(again.status).toBe(200);
    expect(again.body.lastReview.reviewId).toBe(first.body.lastReview.reviewId);
    const other = await call(finance, 'POST', `${path}/review`, { ...body, comments: '别的' }, { 'idempotency-key': 'rev-1' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('ID_CONFLICT');
    expect((await call(dept('D02'), 'GET', `${path}/history`)).body.reviews).toHaveLength(1);
    const mail = await mailOf('D02', first.body.lastReview.reviewId);
    expect(mail?.text).toContain('【绩效目标审核不予通过】部门D02 2020 年度部门整体绩效目标（D02/2020）');
  });

  it('lists the year’s targets with counts by status, a department only its own', async () => {
    const all = await call(finance, 'GET', '/v1/targets?year=2020');
    expect(all.body.counts).toEqual({ draft: 0, submitted: 0, returned: 0, approved: 3, rejected: 3 });
    const own = await call(dept('D01'), 'GET', '/v1/targets?year=2020&status=approved');
    expect(own.body.items.map((t: { kind: string; projectId?: string }) => t.projectId ?? t.kind)).toEqual(['department', 'P1', 'PNEW']);
    expect(own.body.counts).toMatchObject({ approved: 3, rejected: 1 });
    expect((await call(dept('D01'), 'GET', '/v1/targets?year=2020&deptId=D02')).status).toBe(403);
  });
});

describe('who may do what, on every target route', () => {
  const WHO: [string, Caller | null][] = [
    ['own', dept('D03')],
    ['other', dept('D02')],
    ['finance', finance],
    ['performance', performance],
    ['expert', expert],
    ['anonymous', null],
  ];
  const bad = { decision: 'approve', grade: '中' }; // reaches validation only: nothing can change

  beforeAll(async () => {
    expect((await call(dept('D03'), 'PUT', '/v1/projects/PM/target', good(2_000_000))).status).toBe(201);
    expect((await call(dept('D03'), 'POST', '/v1/projects/PM/target/submit')).status).toBe(200);
    expect((await call(dept('D03'), 'PUT', '/v1/departments/D03/targets/2020', good(2_000_000))).status).toBe(201);
    expect((await call(dept('D03'), 'POST', '/v1/departments/D03/targets/2020/submit')).status).toBe(200);
  });

  const ROWS: [string, string, unknown, number[]][] = [
    // method, path, body, [own, other, finance, performance, expert, anonymous]
    ['PUT', '/v1/projects/PM/target', good(2_000_000), [409, 404, 403, 409, 403, 401]],
    ['GET', '/v1/projects/PM/target', undefined, [200, 404, 200, 200, 403, 401]],
    ['GET', '/v1/projects/PM/target/history', undefined, [200, 404, 200, 200, 403, 401]],
    ['POST', '/v1/projects/PM/target/submit', undefined, [409, 404, 403, 409, 403, 401]],
    ['POST', '/v1/projects/PM/target/review', bad, [403, 403, 400, 400, 403, 401]],
    ['PUT', '/v1/departments/D03/targets/2020', good(2_000_000), [409, 403, 403, 409, 403, 401]],
    ['GET', '/v1/departments/D03/targets/2020', undefined, [200, 403, 200, 200, 403, 401]],
    ['GET', '/v1/departments/D03/targets/2020/history', undefined, [200, 403, 200, 200, 403, 401]],
    ['POST', '/v1/departments/D03/targets/2020/submit', undefined, [409, 403, 403, 409, 403, 401]],
    ['POST', '/v1/departments/D03/targets/2020/review', bad, [403, 403, 400, 400, 403, 401]],
    ['GET', '/v1/targets?year=2020', undefined, [200, 200, 200, 200, 403, 401]],
    ['GET', '/v1/public/2020/targets', undefined, [200, 200, 200, 200, 200, 200]],
  ];

  for (const [method, path, body, statuses] of ROWS) {
    it(`${method} ${path}`, async () => {
      const before = await tableDigest();
      for (const [i, [who, caller]] of WHO.entries()) {
        const res = await call(caller, method, path, body);
        expect({ who, status: res.status }).toEqual({ who, status: statuses[i] });
      }
      // Nothing any of them did changed anything: the targets are submitted and stay so.
      expect(await tableDigest()).toEqual(before);
    });
  }

  it('shows a department officer only its own department in the list', async () => {
    const res = await call(dept('D03'), 'GET', '/v1/targets?year=2020');
    expect(res.body.items.map((t: { deptId: string }) => t.deptId)).toEqual(['D03', 'D03']);
    expect(res.body.counts).toEqual({ draft: 0, submitted: 2, returned: 0, approved: 0, rejected: 0 });
  });
});
