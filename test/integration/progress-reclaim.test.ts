/**
 * SPEC §3.6 end to end: projects and spending through the API, exemptions asked and decided
 * before the checkpoint, the job run through the jobs API, the ledger, the budgets, the pool,
 * and the emails as the SES emulator received them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeHandler as exemptionsHandler } from '../../functions/http/exemptions';
import { settle } from '../../local/inprocess-invoker';
import { poolTotals } from '../../shared/aws/pool';
import { addDays, shanghaiDate } from '../../shared/domain/dates';
import { call, dept, finance, performance, setupTable } from '../support/harness';
import { callWith, depsAt, emailsTo, envDb, project, putProjects } from '../support/ledger-fixtures';

const MAIL = { 'D-PR1': 'pr1@reclaim.test', 'D-PR2': 'pr2@reclaim.test' } as const;
const base = { category: 'operations', domain: '教育', fundSource: 'general' } as const;

async function mk(deptId: string, projectId: string, budgetFen: number, extra: Record<string, unknown> = {}, year = 2020) {
  const res = await call(performance, 'POST', '/v1/projects', {
    ...base,
    year,
    deptId,
    projectId,
    level: 2,
    parentId: `${deptId}-L1-${year}`,
    name: `项目${projectId}`,
    budgetFen,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}
async function pay(projectId: string, expenditureId: string, date: string, amountFen: number, kind: 'payment' | 'refund' = 'payment') {
  const res = await call(performance, 'POST', `/v1/projects/${projectId}/expenditures`, { expenditureId, date, amountFen, kind });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}
const budgetOf = async (id: string) => (await call(finance, 'GET', `/v1/projects/${id}`)).body.budgetFen as number;

// Exemptions are asked before the checkpoint: a handler whose clock reads 2020-09-20 (Shanghai).
const beforeCheckpoint = exemptionsHandler(depsAt('2020-09-20T02:00:00Z'));

// The appeal deadline counts from the day of the run: a fixed clock (noon in Shanghai, moving on
// with real time) keeps the run and the assertions on one day, whenever the suite runs.
const NOW = '2022-03-15T04:00:00Z';

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(new Date(NOW));
  await setupTable();
  for (const [id, mail] of Object.entries(MAIL)) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name: `部门${id}`, contactEmails: [mail] })).status).toBe(201);
    for (const year of [2020, 2021]) {
      const l1 = { ...base, year, deptId: id, projectId: `${id}-L1-${year}`, level: 1, name: '一级项目', budgetFen: 0 };
      expect((await call(performance, 'POST', '/v1/projects', l1)).status).toBe(201);
    }
  }
  // D-PR1
  await mk('D-PR1', 'PR-EX', 100_000_000);
  await pay('PR-EX', 'e1', '2020-05-10', 60_000_000);
  await mk('D-PR1', 'PR-80', 100_000_000);
  await pay('PR-80', 'e1', '2020-09-30', 80_000_000);
  await mk('D-PR1', 'PR-1F', 100_000_000);
  await pay('PR-1F', 'e1', '2020-09-01', 79_999_999);
  await mk('D-PR1', 'PR-864', 500_000_000);
  await pay('PR-864', 'e1', '2020-08-01', 313_580_247);
  await mk('D-PR1', 'PR-REF', 50_000_000);
  await pay('PR-REF', 'e1', '2020-03-01', 45_000_000);
  await pay('PR-REF', 'r1', '2020-09-15', 10_000_000, 'refund');
  await mk('D-PR1', 'PR-LATE', 100_000_000);
  await pay('PR-LATE', 'e1', '2020-06-01', 10_000_000);
  await pay('PR-LATE', 'e2', '2020-10-15', 85_000_000); // after the as-of date
  await mk('D-PR1', 'PR-REFLATE', 100_000_000);
  await pay('PR-REFLATE', 'e1', '2020-05-01', 60_000_000);
  await pay('PR-REFLATE', 'r1', '2020-10-10', 20_000_000, 'refund'); // after the as-of date
  // a level-1 with children (never touched itself) and a level-1 without (a leaf)
  const l1 = { ...base, year: 2020, deptId: 'D-PR1', level: 1, budgetFen: 0 };
  expect((await call(performance, 'POST', '/v1/projects', { ...l1, projectId: 'PR-L1', name: '有子项目的一级项目' })).status).toBe(201);
  await mk('D-PR1', 'PR-L1a', 10_000_000, { parentId: 'PR-L1' });
  await mk('D-PR1', 'PR-L1b', 10_000_000, { parentId: 'PR-L1' });
  await pay('PR-L1b', 'e1', '2020-07-01', 9_000_000);
  expect((await call(performance, 'POST', '/v1/projects', { ...l1, projectId: 'PR-L1LEAF', name: '无子项目的一级项目', budgetFen: 20_000_000 })).status).toBe(
    201,
  );
  // D-PR2
  await mk('D-PR2', 'PR-ZERO', 0);
  await mk('D-PR2', 'PR-CT', 10_000_000, { fundSource: 'central-transfer' });
  await mk('D-PR2', 'PR-APP', 10_000_000);
  await mk('D-PR2', 'PR-REFU', 10_000_000);
  await pay('PR-REFU', 'e1', '2020-04-01', 2_000_000);
  await mk('D-PR2', 'PR-PEND', 10_000_000);
  // suspended (by the monitoring checkpoint) and cancelled projects, as their issues store them
  await putProjects(envDb(), [
    project({
      projectId: 'PR-SUS',
      deptId: 'D-PR2',
      year: 2020,
      level: 1,
      budgetFen: 10_000_000,
      spentByDay: { '2020-03-01': 5_000_000 },
      status: 'suspended',
      flags: ['SUSPENDED'],
    }),
    project({ projectId: 'PR-CAN', deptId: 'D-PR2', year: 2020, level: 1, budgetFen: 10_000_000, status: 'cancelled' }),
  ]);
  // exemptions: one approved, one refused, one left pending
  for (const id of ['PR-APP', 'PR-REFU', 'PR-PEND']) {
    const res = await callWith(beforeCheckpoint, dept('D-PR2'), 'POST', `/v1/projects/${id}/exemptions`, { rule: 'PROGRESS_RECLAIM', reason: 'procurement' });
    expect(res.status).toBe(201);
  }
  expect((await call(performance, 'POST', '/v1/exemptions/PR-APP~PROGRESS_RECLAIM/decision', { decision: 'approve', comment: '采购合同已签订' })).status).toBe(
    200,
  );
  expect((await call(performance, 'POST', '/v1/exemptions/PR-REFU~PROGRESS_RECLAIM/decision', { decision: 'refuse', comment: '理由不充分' })).status).toBe(200);
  // this year's policy exempts central transfers; 2021 changes threshold and ratio instead
  expect((await call(performance, 'PUT', '/v1/policies/2020', { progressReclaim: { exemptFundSources: ['central-transfer'] } })).status).toBe(200);
  expect((await call(performance, 'PUT', '/v1/policies/2021', { progressReclaim: { thresholdBp: 7000, ratioBp: 5000 } })).status).toBe(200);
  await mk('D-PR1', 'PR21-EX', 100_000_000, {}, 2021);
  await pay('PR21-EX', 'e1', '2021-05-10', 60_000_000);
  await mk('D-PR1', 'PR21-CT', 10_000_000, { fundSource: 'central-transfer' }, 2021);
});

afterAll(async () => {
  await settle();
  vi.useRealTimers();
});

const expected2020: Record<string, { amountFen: number; budgetAfterFen: number } | null> = {
  'PR-EX': { amountFen: 20_000_000, budgetAfterFen: 80_000_000 },
  'PR-80': null,
  'PR-1F': { amountFen: 1, budgetAfterFen: 99_999_999 },
  'PR-864': { amountFen: 86_419_753, budgetAfterFen: 413_580_247 },
  'PR-REF': { amountFen: 5_000_000, budgetAfterFen: 45_000_000 },
  'PR-LATE': { amountFen: 5_000_000, budgetAfterFen: 95_000_000 },
  'PR-REFLATE': { amountFen: 20_000_000, budgetAfterFen: 80_000_000 },
  'PR-L1a': { amountFen: 8_000_000, budgetAfterFen: 2_000_000 },
  'PR-L1b': null,
  'PR-L1LEAF': { amountFen: 16_000_000, budgetAfterFen: 4_000_000 },
  'PR-ZERO': null,
  'PR-CT': null,
  'PR-APP': null,
  'PR-REFU': { amountFen: 6_000_000, budgetAfterFen: 4_000_000 },
  'PR-PEND': { amountFen: 8_000_000, budgetAfterFen: 2_000_000 },
  'PR-SUS': { amountFen: 3_000_000, budgetAfterFen: 7_000_000 },
  'PR-CAN': null,
};

describe('progress-reclaim (SPEC §3.6) through the API', () => {
  let firstRun: { runId: string; summary: Record<string, unknown> };

  it('reclaims the lag behind 80% of every lagging leaf, with the figures of each case', async () => {
    const before = await budgetOf('PR-L1');
    expect(before).toBe(20_000_000);
    const res = await call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2020-09-30' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    firstRun = res.body;
    expect(res.body).toMatchObject({ job: 'progress-reclaim', asOf: '2020-09-30', status: 'succeeded' });
    expect(res.body.summary).toMatchObject({
      projects: 17,
      deductions: 11,
      amountFen: 177_419_754,
      alreadyApplied: 0,
      onTrack: 2,
      skippedExempt: 2,
      skippedExemptFundSource: 1,
      skippedExempted: 1,
      skippedZeroBudget: 1,
      skippedCancelled: 1,
      thresholdBp: 8000,
      ratioBp: 10000,
      exemptFundSources: ['central-transfer'],
      emails: 2,
      byDept: {
        'D-PR1': { deductions: 8, amountFen: 160_419_754 },
        'D-PR2': { deductions: 3, amountFen: 17_000_000 },
      },
    });
    for (const [id, want] of Object.entries(expected2020)) {
      const p = await call(performance, 'GET', `/v1/projects/${id}`);
      expect(p.body.budgetFen, id).toBe(want ? want.budgetAfterFen : id === 'PR-ZERO' ? 0 : id === 'PR-80' ? 100_000_000 : 10_000_000);
    }
    // a level-1 with children is never touched: it shows the sum of its children
    const parent = await call(finance, 'GET', '/v1/projects/PR-L1');
    expect(parent.body).toMatchObject({ budgetFen: 12_000_000, leaf: false });
    expect((await call(finance, 'GET', '/v1/deductions?projectId=PR-L1')).body.items).toEqual([]);
  });

  it('writes one immutable ledger entry per deduction with the figures it came from', async () => {
    const list = await call(performance, 'GET', '/v1/deductions?year=2020&rule=PROGRESS_RECLAIM');
    expect(list.status).toBe(200);
    const byProject = Object.fromEntries(list.body.items.map((d: { projectId: string }) => [d.projectId, d]));
    expect(Object.keys(byProject).sort()).toEqual(
      Object.keys(expected2020)
        .filter((k) => expected2020[k])
        .sort(),
    );
    const today = shanghaiDate(new Date());
    for (const [id, want] of Object.entries(expected2020)) {
      if (!want) continue;
      const d = byProject[id];
      expect(d).toMatchObject({ ...want, rule: 'PROGRESS_RECLAIM', status: 'applied', asOf: '2020-09-30', year: 2020, runId: firstRun.runId });
      expect(d.deductionId).toBe(`PROGRESS_RECLAIM~project~${id}~2020-09-30`);
      expect(d.budgetBeforeFen - d.amountFen).toBe(d.budgetAfterFen);
      expect(d.appealDeadline).toBe(addDays(today, 10));
    }
    expect(byProject['PR-EX'].figures).toEqual({
      budgetFen: 100_000_000,
      spentAsOfFen: 60_000_000,
      spentNowFen: 60_000_000,
      progressBp: 6000,
      thresholdBp: 8000,
      ratioBp: 10000,
      lagFen: 20_000_000,
      formulaFen: 20_000_000,
    });
    // refunds count by their date; later payments and refunds do not count for the rule
    expect(byProject['PR-REF'].figures).toMatchObject({ spentAsOfFen: 35_000_000, spentNowFen: 35_000_000, progressBp: 7000 });
    expect(byProject['PR-LATE'].figures).toMatchObject({ spentAsOfFen: 10_000_000, spentNowFen: 95_000_000, formulaFen: 70_000_000 });
    expect(byProject['PR-REFLATE'].figures).toMatchObject({ spentAsOfFen: 60_000_000, spentNowFen: 40_000_000, formulaFen: 20_000_000 });
  });

  it('credits every reclaimed fen to the 2020 pool', async () => {
    const pool = await poolTotals(envDb(), 2020);
    expect(pool.inFen).toBe(177_419_754);
    expect(pool.byRule).toEqual({ PROGRESS_RECLAIM: 177_419_754 });
  });

  it('emails each department once, in Chinese, with every deduction’s figures', async () => {
    await settle();
    const pr1 = await emailsTo([MAIL['D-PR1']]);
    const pr2 = await emailsTo([MAIL['D-PR2']]);
    expect(pr1).toHaveLength(1);
    expect(pr2).toHaveLength(1);
    const deadline = addDays(shanghaiDate(new Date()), 10);
    const mail = pr1[0]!;
    expect(mail.subject).toBe('【绩效管理】2020-09-30 支出进度收回（progress-reclaim）：8 项预算调整，合计 1,604,197.54 元');
    const text = mail.body.text;
    expect(text).toContain('部门D-PR1：');
    expect(text).toContain('项目：项目PR-EX（PR-EX）');
    expect(text).toContain('规则：9月底支出进度未达80%，按比例收回');
    expect(text).toContain(
      [
        '   调整前预算：1,000,000.00 元',
        '   已支出：600,000.00 元',
        '   支出进度：60.00%',
        '   要求进度：80.00%',
        '   进度差额：200,000.00 元（收回比例 100.00%）',
        '   扣减金额：200,000.00 元',
        '   调整后预算：800,000.00 元',
        `   申诉截止日期：${deadline}（扣减编号 PROGRESS_RECLAIM~project~PR-EX~2020-09-30）`,
      ].join('\n'),
    );
    expect(text).toContain('扣减金额：864,197.53 元');
    expect(text).toContain('扣减金额：0.01 元');
    expect(text).toContain('截至目前已支出：950,000.00 元（调整后预算不低于此数）');
    expect(mail.body.html).toContain('<html lang="zh-CN">');
    expect(pr2[0]!.body.text).toContain('扣减金额：60,000.00 元');
    expect(pr2[0]!.body.text).not.toContain('PR-APP');
  });

  it('changes nothing and sends nothing when run again', async () => {
    const again = await call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2020-09-30' });
    expect(again.status).toBe(200);
    expect(again.body.runId).not.toBe(firstRun.runId);
    // A rerun recomputes from the budgets as they are now: 9 projects still compute a deduction
    // and meet their ledger entry; PR-1F (99,999,999 × 0.8 − 79,999,999 = 0.2 fen) and PR-LATE
    // (budget = spent now) compute none. Either way nothing changes.
    expect(again.body.summary).toMatchObject({ deductions: 0, amountFen: 0, alreadyApplied: 9, underOneFen: 1, nothingLeft: 1, emails: 0 });
    await settle();
    expect(await emailsTo(Object.values(MAIL))).toHaveLength(2);
    expect(await budgetOf('PR-EX')).toBe(80_000_000);
    expect((await poolTotals(envDb(), 2020)).inFen).toBe(177_419_754);
  });

  it('uses each year’s own policy: the 2021 override changes 2021 only', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2021-09-30' });
    expect(res.status).toBe(200);
    // (100,000,000 × 7000 − 60,000,000 × 10000) × 5000 / 10^8 = 5,000,000; a central transfer
    // is not exempt in 2021: 10,000,000 × 0.7 × 0.5 = 3,500,000
    expect(res.body.summary).toMatchObject({ deductions: 2, amountFen: 8_500_000, thresholdBp: 7000, ratioBp: 5000, exemptFundSources: [] });
    expect(await budgetOf('PR21-EX')).toBe(95_000_000);
    expect(await budgetOf('PR21-CT')).toBe(6_500_000);
    const p2020 = await call(performance, 'GET', '/v1/policies/2020');
    expect(p2020.body.policy.progressReclaim).toEqual({ date: '09-30', thresholdBp: 8000, ratioBp: 10000, exemptFundSources: ['central-transfer'] });
    expect((await poolTotals(envDb(), 2021)).inFen).toBe(8_500_000);
    expect((await poolTotals(envDb(), 2020)).inFen).toBe(177_419_754);
  });

  it('refuses as-of dates other than the policy’s checkpoint', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2020-09-29' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'body.asOf', message: 'progress-reclaim runs as of 2020-09-30 in 2020' }]);
  });
});
