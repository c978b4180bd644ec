/**
 * The annual report and what-if (SPEC §3.11) on a small crafted year whose figures are worked
 * out by hand below: five 2020 leaves of two departments, a 2021 continuation, three idle-fund
 * records, a clean-up cancellation, every job of the year run in calendar order through the
 * jobs API, and an appeal upheld between two sweeps. Then: the JSON report's sections, the
 * XLSX read back, the HTML in Chromium (screenshot + PDF), publication, and what-if — the
 * ledger reproduced fen for fen with no override, other policies answered side by side, a bad
 * override refused as PUT /v1/policies refuses it.
 *
 * By hand (default policy; 万 = 10,000 yuan = 1,000,000 fen):
 *   RA-1 budget 1亿 (100,000,000 fen), spent 40,000,000 by 05-10 and 20,000,000 on 09-20.
 *        09-30 80% rule: 100,000,000×0.8 − 60,000,000 = 20,000,000 → 80,000,000; 11-30: 75% → flagged;
 *        12-31 cap 60,000,000 → RA-1N (2021, 70,000,000) cut 10,000,000.
 *   RA-2 deferrable, 40,000,000, spent 4,000,000 on 02-01.
 *        Q1: 40,000,000×0.25 − 4,000,000 = 6,000,000 → 34,000,000; Q2: 34,000,000×0.5 − 4,000,000 =
 *        13,000,000 → 21,000,000, appealed and reversed → 34,000,000; 09-30 80%: 27,200,000 −
 *        4,000,000 = 23,200,000 → 10,800,000; Q3: 8,100,000 − 4,000,000 = 4,100,000 → 6,700,000;
 *        Q4: 6,700,000 − 4,000,000 = 2,700,000 → 4,000,000.
 *   RB-1 business income, 10,000,000, 9,500,000 spent by 03-01: green at both checkpoints, no rule.
 *   RB-2 5,000,000, 1,000,000 spent: cancelled before the year's jobs, CLEANUP_CUT 4,000,000.
 *   RB-3 20,000,000, nothing spent; 09-30 report `impossible` → red and suspended; 80% rule
 *        16,000,000 → 4,000,000 (a suspended project is still reclaimed).
 *   Payable PY-1 since 2016-06-30 (500,000) → Q1; account AC-1 idle since 2019-08-15 (300,000) → Q3;
 *   carryover CO-1 of 2019 (1,000,000) → Q4.
 *   Lights 06-30: RA-1 yellow (40% < 50%, not 20 points below), RA-2 red, RB-1 green, RB-3 red.
 *          09-30: RA-1 red (no report), RA-2 red, RB-1 green, RB-3 red (suspended).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, dept, finance, performance, setupTable } from '../support/harness';
import { expectWorkbookOfReport } from '../support/report-workbook';
import { envDb, ledgerOfYear, project, putProjects } from '../support/ledger-fixtures';
import { join } from 'node:path';
import { renderReportPage, SHOTS } from '../../local/report-page';

const certain = (actualValue: number, targetValue: number, outlook = 'certain') => ({
  name: '完成工作量',
  direction: '>=',
  targetValue,
  actualValue,
  outlook,
  ...(outlook === 'certain' ? {} : { deviationCause: 'funding', measures: '加快实施' }),
});

async function ok(res: { status: number; body: unknown }, status = 200) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res;
}

const run = (job: string, asOf: string) => call(performance, 'POST', `/v1/jobs/${job}/runs`, { asOf });

beforeAll(async () => {
  await setupTable();
  for (const id of ['RA', 'RB'])
    await ok(await call(performance, 'PUT', `/v1/departments/${id}`, { name: `报告部门${id}`, contactEmails: [`${id.toLowerCase()}@report.test`] }), 201);
  await putProjects(envDb(), [
    project({
      projectId: 'RA-1',
      deptId: 'RA',
      year: 2020,
      level: 1,
      budgetFen: 100_000_000,
      spentByDay: { '2020-05-10': 40_000_000, '2020-09-20': 20_000_000 },
    }),
    project({ projectId: 'RA-2', deptId: 'RA', year: 2020, level: 1, budgetFen: 40_000_000, deferrable: true, spentByDay: { '2020-02-01': 4_000_000 } }),
    project({
      projectId: 'RB-1',
      deptId: 'RB',
      year: 2020,
      level: 1,
      budgetFen: 10_000_000,
      fundSource: 'business-income',
      spentByDay: { '2020-03-01': 9_500_000 },
    }),
    project({ projectId: 'RB-2', deptId: 'RB', year: 2020, level: 1, budgetFen: 5_000_000, spentByDay: { '2020-04-01': 1_000_000 } }),
    project({ projectId: 'RB-3', deptId: 'RB', year: 2020, level: 1, budgetFen: 20_000_000 }),
    project({ projectId: 'RA-1N', deptId: 'RA', year: 2021, level: 1, budgetFen: 70_000_000, continuesProjectId: 'RA-1' }),
  ]);
  await ok(await call(performance, 'PUT', '/v1/payables/PY-1', { deptId: 'RA', counterparty: '某公司', amountFen: 500_000, since: '2016-06-30' }), 201);
  await ok(
    await call(performance, 'PUT', '/v1/account-balances/AC-1', { deptId: 'RB', unitName: '某中心', balanceFen: 300_000, lastMovementDate: '2019-08-15' }),
    201,
  );
  await ok(await call(performance, 'PUT', '/v1/carryovers/CO-1', { deptId: 'RA', originYear: 2019, balanceFen: 1_000_000 }), 201);
  await ok(await call(performance, 'POST', '/v1/projects/RB-2/cancel', { reason: '政策到期' }));
  for (const [id, d] of [
    ['RA-1', 'RA'],
    ['RB-1', 'RB'],
  ])
    await ok(await call(dept(d as string), 'PUT', `/v1/projects/${id}/monitoring/06-30`, { indicators: [certain(id === 'RA-1' ? 50 : 100, 100)] }), 201);
  await ok(await call(dept('RB'), 'PUT', '/v1/projects/RB-1/monitoring/09-30', { indicators: [certain(100, 100)] }), 201);
  await ok(await call(dept('RB'), 'PUT', '/v1/projects/RB-3/monitoring/09-30', { indicators: [certain(0, 100, 'impossible')] }), 201);

  await ok(await run('idle-funds-sweep', '2020-03-31'));
  await ok(await run('monitoring-snapshot', '2020-06-30'));
  await ok(await run('idle-funds-sweep', '2020-06-30'));
  const q2 = 'DEFERRABLE_RECLAIM~project~RA-2~2020-06-30';
  await ok(await call(dept('RA'), 'POST', `/v1/deductions/${q2}/appeal`, { reason: '项目已开工' }));
  await ok(await call(performance, 'POST', `/v1/deductions/${q2}/decision`, { decision: 'reverse', comment: '同意' }));
  await ok(await run('monitoring-snapshot', '2020-09-30'));
  await ok(await run('progress-reclaim', '2020-09-30'));
  await ok(await run('idle-funds-sweep', '2020-09-30'));
  await ok(await run('progress-cap', '2020-11-30'));
  await ok(await run('progress-cap', '2020-12-31'));
  await ok(await run('idle-funds-sweep', '2020-12-31'));
}, 120_000);

describe('the crafted year, by hand', () => {
  it('the ledger holds what the hand computation says', async () => {
    const ledger = await ledgerOfYear(envDb(), 2020);
    const amounts = Object.fromEntries(ledger.map((d) => [d.deductionId.replace(/~project|~payable|~account|~carryover/, ''), d.amountFen]));
    expect(amounts).toMatchObject({
      'DEFERRABLE_RECLAIM~RA-2~2020-03-31': 6_000_000,
      'DEFERRABLE_RECLAIM~RA-2~2020-06-30': 13_000_000,
      'PROGRESS_RECLAIM~RA-1~2020-09-30': 20_000_000,
      'PROGRESS_RECLAIM~RA-2~2020-09-30': 23_200_000,
      'PROGRESS_RECLAIM~RB-3~2020-09-30': 16_000_000,
      'DEFERRABLE_RECLAIM~RA-2~2020-09-30': 4_100_000,
      'DEFERRABLE_RECLAIM~RA-2~2020-12-31': 2_700_000,
      'NEXT_YEAR_CAP~RA-1N~2020-12-31': 10_000_000,
      'STALE_PAYABLE_RECLAIM~PY-1~2020-03-31': 500_000,
      'IDLE_BALANCE_RECLAIM~AC-1~2020-09-30': 300_000,
      'CARRYOVER_RECLAIM~CO-1~2020-12-31': 1_000_000,
    });
  });
});

describe('GET /v1/reports/{year}/annual', () => {
  let report: any;
  beforeAll(async () => {
    report = (await ok(await call(finance, 'GET', '/v1/reports/2020/annual'))).body;
  });

  it('every section, each figure with its source', () => {
    expect(report.year).toBe(2020);
    expect(report.published).toBe(false);
    expect(report.cleanup.projects).toEqual({ value: 1, source: expect.stringContaining('/v1/cleanup/2020/totals') });
    expect(report.cleanup.cutFen.value).toBe(4_000_000);
    expect(report.library.total.value).toBe(0);
    expect(report.publication).toMatchObject({ departments: { value: 2 }, published: { value: 0 } });
    expect(report.targets.groups.map((g: any) => g.filed.value)).toEqual([0, 0, 0]);
    const lights = report.monitoring.map((m: any) => [m.asOf, m.projects.value, m.red.value, m.yellow.value, m.green.value, m.suspended.value]);
    expect(lights).toEqual([
      ['2020-06-30', 4, 2, 1, 1, 0],
      ['2020-09-30', 4, 3, 0, 1, 1],
    ]);
    const byRule = Object.fromEntries(report.reclaimed.byRule.map((r: any) => [r.rule, [r.count.value, r.amountFen.value, r.reversedFen.value]]));
    expect(byRule).toMatchObject({
      PROGRESS_RECLAIM: [3, 59_200_000, 0],
      DEFERRABLE_RECLAIM: [4, 25_800_000, 13_000_000],
      STALE_PAYABLE_RECLAIM: [1, 500_000, 0],
      IDLE_BALANCE_RECLAIM: [1, 300_000, 0],
      CARRYOVER_RECLAIM: [1, 1_000_000, 0],
      NEXT_YEAR_CAP: [1, 10_000_000, 0],
      CLEANUP_CUT: [1, 4_000_000, 0],
      TARGET_REVIEW_CUT: [0, 0, 0],
    });
    expect(report.reclaimed.totalFen.value).toBe(100_800_000);
    const months = Object.fromEntries(report.reclaimed.byMonth.map((m: any) => [m.month, m.amountFen.value]));
    expect(months).toMatchObject({ '2020-03': 6_500_000, '2020-06': 13_000_000, '2020-09': 63_600_000, '2020-12': 13_700_000, '2020-01': 0 });
    expect(report.reclaimed.pool).toMatchObject({
      inFen: { value: 100_800_000 },
      reversedFen: { value: 13_000_000 },
      balanceFen: { value: 87_800_000 },
      outFen: { value: 0 },
    });
    expect(report.businessIncome).toMatchObject({
      projects: { value: 1 },
      budgetFen: { value: 10_000_000 },
      currentBudgetFen: { value: 10_000_000 },
      spentFen: { value: 9_500_000 },
    });
    expect(report.selfEvaluation).toMatchObject({ leaves: { value: 4 }, evaluated: { value: 0 }, publishedDepartments: { value: 0 } });
    expect(report.keyEvaluations).toMatchObject({ count: { value: 0 }, fundsFen: { value: 0 }, growthBp: { value: null }, suggestions: { value: 0 } });
  });

  it('as XLSX: one sheet per section, numbers as numbers equal to the JSON', async () => {
    const res = await call(finance, 'GET', '/v1/reports/2020/annual?format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const checked = await expectWorkbookOfReport(Buffer.from(res.body as string, 'latin1'), report);
    expect(checked).toBeGreaterThan(80);
  });

  it('as HTML: zh-CN with SVG charts, rendered by Chromium to a screenshot and an A4 PDF without errors', async () => {
    const res = await call(finance, 'GET', '/v1/reports/2020/annual?format=html');
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body as string;
    expect(html).toContain('lang="zh-CN"');
    expect((html.match(/<svg/g) ?? []).length).toBe(4);
    expect(html).toContain('1,008,000.00 元');
    const { headings, shot, pdf, errors } = await renderReportPage(html, join(SHOTS, 'annual-crafted.png'));
    expect(headings).toBe(6);
    expect(shot.length).toBeGreaterThan(10_000);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(errors).toEqual([]);
  });

  it('public only once the performance office publishes it', async () => {
    expect((await call(null, 'GET', '/v1/public/2020/annual')).status).toBe(404);
    expect((await call(finance, 'POST', '/v1/reports/2020/annual/publish')).status).toBe(403);
    await ok(await call(performance, 'POST', '/v1/reports/2020/annual/publish'), 201);
    await ok(await call(performance, 'POST', '/v1/reports/2020/annual/publish'), 200);
    const pub = await ok(await call(null, 'GET', '/v1/public/2020/annual'));
    expect((pub.body as any).published).toBe(true);
    expect((pub.body as any).reclaimed.totalFen.value).toBe(100_800_000);
    const html = await call(null, 'GET', '/v1/public/2020/annual?format=html');
    expect(html.headers['content-type']).toContain('text/html');
  });
});

describe('POST /v1/scenarios', () => {
  it('with no override reproduces the ledger fen for fen, the lights and the flags', async () => {
    const res = await ok(await call(performance, 'POST', '/v1/scenarios', { scenarioId: 'same', year: 2020, policy: {} }), 201);
    const r = (res.body as any).result;
    expect(r.mismatches).toEqual([]);
    expect(r.reproducesLedger).toBe(true);
    expect(r.totals.actual).toEqual({ deductions: 11, amountFen: 96_800_000, reversedFen: 13_000_000 });
    expect(r.totals.difference).toEqual({ deductions: 0, amountFen: 0, reversedFen: 0 });
    expect(r.flagged).toEqual({ actual: 3, alternative: 3, difference: 0 });
    expect(r.lights.map((l: any) => l.difference)).toEqual([
      { red: 0, yellow: 0, green: 0, suspended: 0 },
      { red: 0, yellow: 0, green: 0, suspended: 0 },
    ]);
    const again = await ok(await call(performance, 'GET', '/v1/scenarios/same'));
    expect((again.body as any).result.totals).toEqual(r.totals);
  });

  it('half the reclaim ratio: the 80% rule and everything after it move, side by side', async () => {
    const res = await ok(
      await call(performance, 'POST', '/v1/scenarios', { scenarioId: 'half', year: 2020, policy: { progressReclaim: { ratioBp: 5000 } } }),
      201,
    );
    const r = (res.body as any).result;
    expect(r.reproducesLedger).toBe(true);
    const rule = (name: string) => r.rules.find((x: any) => x.rule === name);
    // RA-1 10,000,000 (→ 90,000,000), RA-2 11,600,000 (→ 22,400,000), RB-3 8,000,000.
    expect(rule('PROGRESS_RECLAIM').alternative).toEqual({ deductions: 3, amountFen: 29_600_000, reversedFen: 0 });
    expect(rule('PROGRESS_RECLAIM').difference.amountFen).toBe(-29_600_000);
    // RA-2 Q3: 22,400,000×0.75 − 4,000,000 = 12,800,000 → 9,600,000; Q4: 5,600,000; Q1 6,000,000; Q2 13,000,000 (reversed).
    expect(rule('DEFERRABLE_RECLAIM').alternative).toEqual({ deductions: 4, amountFen: 37_400_000, reversedFen: 13_000_000 });
    // RA-1 at 11-30: 60,000,000 of 90,000,000 → still flagged; its continuation is cut to 60,000,000 all the same.
    expect(rule('NEXT_YEAR_CAP').alternative.amountFen).toBe(10_000_000);
    const ra = r.departments.find((d: any) => d.deptId === 'RA');
    expect(ra.difference.amountFen).toBe(-(10_000_000 + 11_600_000) + (37_400_000 - 25_800_000));
  });

  it('a 70% threshold and later checkpoints: lights and reclaim change', async () => {
    const policy = { progressReclaim: { thresholdBp: 7000 }, monitoring: { redGapBp: 4000 } };
    const r = ((await ok(await call(performance, 'POST', '/v1/scenarios', { scenarioId: 'seventy', year: 2020, policy }), 201)).body as any).result;
    // RA-1 60% < 70% → 10,000,000; RA-2 34,000,000×0.7 − 4,000,000 = 19,800,000; RB-3 14,000,000.
    expect(r.rules.find((x: any) => x.rule === 'PROGRESS_RECLAIM').alternative.amountFen).toBe(43_800_000);
    // 06-30 with a 40-point red gap: RA-2 (4,000,000 of 34,000,000 = 11%) stays red, RB-3 red (no report): unchanged.
    expect(r.lights[0].alternative).toEqual({ red: 2, yellow: 1, green: 1, suspended: 0 });
  });

  it('a bad override is the 400 PUT /v1/policies gives, and nothing is stored', async () => {
    const bad = { progressReclaim: { thresholdBp: 20000, ratioBp: -1 } };
    const put = await call(performance, 'PUT', '/v1/policies/2020', bad);
    const res = await call(performance, 'POST', '/v1/scenarios', { scenarioId: 'bad', year: 2020, policy: bad });
    expect(res.status).toBe(400);
    expect(put.status).toBe(400);
    expect(res.body.error.code).toBe(put.body.error.code);
    expect(res.body.error.details.map((d: any) => d.path.replace('body.policy.', 'body.')).sort()).toEqual(
      put.body.error.details.map((d: any) => d.path).sort(),
    );
    expect((await call(performance, 'GET', '/v1/scenarios/bad')).status).toBe(404);
    const conflict = await call(performance, 'POST', '/v1/scenarios', { scenarioId: 'same', year: 2020, policy: { progressCap: { thresholdBp: 8000 } } });
    expect(conflict.status).toBe(409);
  });
});
