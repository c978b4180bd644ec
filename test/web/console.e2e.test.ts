/**
 * The web console in a real browser (issue 13): Debian's Chromium driven by playwright-core,
 * against web/dist and the real handlers behind the local adapter, on DynamoDB Local with a
 * small crafted year (2020):
 *
 * - departments WA (项目 WA-1: budget 1,000,000.00 元, 600,000.00 spent → the September rule
 *   reclaims 200,000.00; WA-2: 100,000.00, 90% spent, target approved) and WB (WB-1: 100,000.00,
 *   20,000.00 spent → 60,000.00 reclaimed); WA's department-overall target approved.
 *
 * Flows: WA signs in, sees only its projects and appeals its deduction; finance sees WA-1's
 * submitted target in its inbox and returns it; WA sees the returned target in its inbox; the
 * performance office decides the appeal from its inbox and reruns the September job; the
 * public portal shows the published targets and coverage. Every page is checked by axe-core
 * (no serious or critical violation); the screenshots in docs/console/ come from the demo
 * (demo.e2e.test.ts).
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Adapter, startAdapter } from '../../local/adapter';
import { consoleFiles, ensureConsoleBuilt } from '../../local/console';
import { settle } from '../../local/inprocess-invoker';
import { createLocalIssuer } from '../../local/tokens';
import { accessible, eventually, launchChromium, menuOf, open, type Role, rows, signIn as signInAs } from '../support/browser';
import { call, dept, finance, performance, setupTable } from '../support/harness';
import { expectWorkbookOfReport } from '../support/report-workbook';

const RECLAIM_WA1 = 'PROGRESS_RECLAIM~project~WA-1~2020-09-30';

let adapter: Adapter;
let browser: Browser;
let base: string;
const timings: Record<string, number> = {};

const target = (goal: string) => ({
  goal,
  indicators: [
    { level1: 'output', level2: 'quantity', name: '完成培训人次', unit: '人次', direction: '>=', targetValue: 500 },
    { level1: 'benefit', level2: 'social', name: '受益群众', unit: '人', direction: '>=', targetValue: 2000 },
    { level1: 'satisfaction', level2: 'service-object', name: '服务对象满意度', unit: '%', direction: '>=', targetValue: 90 },
  ],
});

async function fixtures() {
  await setupTable();
  for (const [id, name] of [
    ['WA', '市教育局'],
    ['WB', '市卫生健康委'],
  ] as const) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name, contactEmails: [`${id.toLowerCase()}@console.test`] })).status).toBe(201);
  }
  const p = { year: 2020, level: 1, category: 'operations', domain: '教育', fundSource: 'general' } as const;
  for (const [projectId, deptId, name, budgetFen, spentFen] of [
    ['WA-1', 'WA', '教师培训项目', 100_000_000, 60_000_000],
    ['WA-2', 'WA', '校园安全项目', 10_000_000, 9_000_000],
    ['WB-1', 'WB', '基层卫生项目', 10_000_000, 2_000_000],
  ] as const) {
    expect((await call(performance, 'POST', '/v1/projects', { ...p, projectId, deptId, name, budgetFen })).status).toBe(201);
    const pay = await call(dept(deptId), 'POST', `/v1/projects/${projectId}/expenditures`, {
      expenditureId: `${projectId}-E1`,
      date: '2020-05-15',
      amountFen: spentFen,
      kind: 'payment',
    });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
  }
  for (const [path, goal] of [
    ['/v1/projects/WA-1/target', '完成教师培训'],
    ['/v1/projects/WA-2/target', '校园安全零事故'],
    ['/v1/departments/WA/targets/2020', '教育事业稳步发展'],
  ] as const) {
    expect((await call(dept('WA'), 'PUT', path, target(goal))).status).toBe(201);
    expect((await call(dept('WA'), 'POST', `${path}/submit`)).status).toBe(200);
  }
  for (const path of ['/v1/projects/WA-2/target', '/v1/departments/WA/targets/2020']) {
    expect((await call(finance, 'POST', `${path}/review`, { decision: 'approve', grade: '优' })).body.status).toBe('approved');
  }
  // The indicator library the target editor's picker reads.
  const library = [
    'code,scope,category,domain,fundUse,level1,level2,name,unit,direction,benchmark',
    'WS-B-01,general,卫生健康,,,benefit,social,群众就医便利度提升,%,>=,',
    'WS-O-01,general,卫生健康,,,output,quantity,基层医疗机构覆盖数,个,>=,',
    'WS-S-01,general,卫生健康,,,satisfaction,service-object,患者满意度,%,>=,90',
  ].join('\n');
  expect((await call(performance, 'POST', '/v1/indicators/import', library, { 'content-type': 'text/csv; charset=utf-8' })).status).toBe(200);
  const run = await call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2020-09-30' });
  expect(run.body.summary).toMatchObject({ deductions: 2, amountFen: 26_000_000 });
  await settle();
}

beforeAll(async () => {
  const [built] = await Promise.all([ensureConsoleBuilt(() => undefined), fixtures()]);
  expect(built, 'web/dist could not be built').toBe(true);
  const issuer = await createLocalIssuer({ issuer: 'http://localhost/local' });
  adapter = await startAdapter({ port: 0, issuer, quiet: true, log: () => undefined, console: consoleFiles() });
  base = `http://127.0.0.1:${adapter.port}`;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await adapter?.close();
  await settle();
  if (Object.keys(timings).length) console.log(`console timings (ms): ${JSON.stringify(timings)}`);
});

const signIn = (page: Page, role: Role, deptId?: string) => signInAs(page, base, timings, role, deptId);

/** What each role is offered: never a page whose API refuses it. */
const DEPARTMENT_MENU = [
  '待办事项',
  '项目与支出进度',
  '部门整体绩效目标',
  '豁免申请',
  '指标库',
  '双监控亮灯',
  '沉淀资金台账',
  '扣减与申诉',
  '新增项目排序',
  '政策清理',
  '绩效自评',
  '评价整改',
  '重点评价',
  '结果应用',
];
const FINANCE_MENU = [
  '待办事项',
  '项目与支出进度',
  '豁免申请',
  '指标库',
  '审核队列',
  '绩效目标审核',
  '双监控亮灯',
  '作业运行',
  '沉淀资金台账',
  '扣减与申诉',
  '沉淀资金清理',
  '统筹资金',
  '事前绩效评估',
  '支出排序',
  '政策清理',
  '绩效自评',
  '评价整改',
  '重点评价',
  '结果应用',
  '年度绩效报告',
];

// A busy machine (2 cores, several test runs) stretches a browser flow well past the default 30 s.
describe('the console', { timeout: 120_000 }, () => {
  it('a department signs in, sees its inbox and only its own projects, and appeals a deduction', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await signIn(page, 'department', 'WA');
    await eventually(() => page.locator('[data-test=who]').innerText()).toContain('市教育局');
    await eventually(() => page.locator('[data-test=inbox-total]').innerText()).toBe('1 项');
    const inboxRow = await rows(page, 'inbox-table').first().innerText();
    expect(inboxRow).toContain('可申诉的扣减');
    expect(inboxRow).toContain('200,000.00 元');
    // The menu offers only what a department may read.
    expect(await menuOf(page)).toEqual(DEPARTMENT_MENU);
    await accessible(page, 'inbox');

    await page.getByRole('menuitem', { name: '项目与支出进度' }).click();
    await eventually(() => rows(page, 'projects-table').count()).toBe(2);
    const projects = await page.locator('[data-test=projects-table]').innerText();
    expect(projects).toContain('WA-1');
    expect(projects).toContain('WA-2');
    expect(projects).not.toContain('WB-1');
    // WA-1 after the reclaim (800,000.00) + WA-2 (100,000.00); spent 600,000.00 + 90,000.00.
    expect(await page.locator('[data-test=page-budget]').innerText()).toBe('900,000.00 元');
    expect(await page.locator('[data-test=page-spent]').innerText()).toBe('690,000.00 元');
    expect(projects).toContain('75.00%');
    await page.locator('canvas').first().waitFor();
    await accessible(page, 'projects');

    await page.getByRole('link', { name: 'WA-1' }).click();
    await eventually(() => page.locator('[data-test=budget]').innerText()).toBe('800,000.00 元');
    expect(await page.locator('[data-test=target-status]').innerText()).toBe('已提交待审');
    expect(await page.locator('[data-test=project-deductions]').innerText()).toContain('200,000.00 元');
    await page.locator('canvas').first().waitFor();
    await accessible(page, 'project detail');

    await page.getByRole('menuitem', { name: '扣减与申诉' }).click();
    await eventually(() => page.locator('[data-test=deduction-count]').innerText()).toBe('1 笔');
    expect(await page.locator('[data-test=deduction-total]').innerText()).toBe('200,000.00 元');
    await accessible(page, 'deductions');
    await page.getByRole('button', { name: '申诉' }).click();
    expect(await page.locator('[data-test=appeal-amount]').innerText()).toBe('200,000.00 元');
    await page.locator('[data-test=appeal-reason]').fill('该项目按合同节点付款，10月将支付第二期款项。');
    await page.locator('[data-test=appeal-submit]').click();
    await eventually(() => rows(page, 'deductions-table').first().innerText()).toContain('申诉中');
    const stored = await call(performance, 'GET', `/v1/deductions/${RECLAIM_WA1}`);
    expect(stored.body).toMatchObject({ status: 'appealed', appeal: { reason: '该项目按合同节点付款，10月将支付第二期款项。', by: 'officer-WA' } });
    await page.close();
  });

  it('finance sees the submitted target in its inbox and returns it; the department then sees it to revise', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await signIn(page, 'finance');
    await eventually(() => page.locator('[data-test=inbox-total]').innerText()).toBe('1 项');
    expect(await rows(page, 'inbox-table').first().innerText()).toContain('审核绩效目标');
    expect(await menuOf(page)).toEqual(FINANCE_MENU);
    await page.getByRole('link', { name: '去审核' }).click();
    // The link opens the review dialog of that target.
    await page.getByText('完成教师培训').waitFor();
    await accessible(page, 'targets review');
    await page.locator('[data-test=decision-return]').click();
    await page.locator('[data-test=review-comments]').fill('成本指标缺失，请补充单位成本。');
    await page.locator('[data-test=review-submit]').click();
    await eventually(() => rows(page, 'targets-table').count()).toBe(0);
    expect((await call(finance, 'GET', '/v1/projects/WA-1/target')).body).toMatchObject({ status: 'returned' });

    await page.getByRole('menuitem', { name: '统筹资金' }).click();
    // 200,000.00 from WA-1 + 60,000.00 from WB-1.
    await eventually(() => page.locator('[data-test=pool-balance]').innerText()).toBe('260,000.00 元');
    await page.locator('canvas').first().waitFor();
    await accessible(page, 'pool');

    await page.getByRole('menuitem', { name: '扣减与申诉' }).click();
    await eventually(() => page.locator('[data-test=deduction-count]').innerText()).toBe('2 笔');
    expect(await page.locator('[data-test=deduction-total]').innerText()).toBe('260,000.00 元');
    await accessible(page, 'ledger');
    await page.close();

    const back = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await signIn(back, 'department', 'WA');
    await eventually(() => back.locator('[data-test=inbox-table]').innerText()).toContain('修改退回的绩效目标');
    expect(await back.locator('[data-test=inbox-total]').innerText()).toBe('1 项');
    await back.close();
  });

  it('the performance office decides the appeal from its inbox and reruns a job as of a date', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await signIn(page, 'performance');
    await eventually(() => page.locator('[data-test=inbox-total]').innerText()).toBe('1 项');
    const line = await rows(page, 'inbox-table').first().innerText();
    expect(line).toContain('裁定扣减申诉');
    expect(line).toContain('200,000.00 元');
    await accessible(page, 'inbox (performance)');
    await page.getByRole('link', { name: '去裁定' }).click();
    // The link opens the ledger on WA's appeals with the decision open.
    await eventually(() => page.locator('[data-test=deduction-count]').innerText()).toBe('1 笔');
    await page.getByText('申诉成立，冲回 200,000.00 元').click();
    await page.getByLabel('裁定意见').fill('合同节点付款属实，予以冲回。');
    await page.getByRole('button', { name: '确定' }).click();
    await eventually(async () => (await call(performance, 'GET', `/v1/deductions/${RECLAIM_WA1}`)).body.status).toBe('reversed');
    // The reversal gives WA-1's 200,000.00 back: 60,000.00 (WB-1) stays in the pool.
    expect((await call(performance, 'GET', '/v1/pool/2020')).body.balanceFen).toBe(6_000_000);

    await page.getByRole('menuitem', { name: '作业运行' }).click();
    await eventually(() => rows(page, 'runs-table').count()).toBe(1);
    expect(await rows(page, 'runs-table').first().innerText()).toContain('扣减金额 260,000.00 元');
    // Run as of 2020-09-30 again: nothing new is taken.
    await page.locator('[data-test=run-job]').click();
    await eventually(() => rows(page, 'runs-table').count()).toBe(2);
    const rerun = await rows(page, 'runs-table').first().innerText();
    expect(rerun).toContain('成功');
    expect(rerun).toContain('扣减笔数 0');
    await accessible(page, 'jobs');
    await page.close();
  });

  it('a department fills a target from the library until the lint is clean, submits it and files a monitoring report', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await signIn(page, 'department', 'WB');
    // WB-1 has no target, WB no department-overall target, and WB-1's 60,000.00 元 may be appealed.
    await eventually(() => page.locator('[data-test=inbox-total]').innerText()).toBe('3 项');
    await rows(page, 'inbox-table').filter({ hasText: '填报绩效目标' }).filter({ hasText: 'WB-1' }).getByRole('link', { name: '去填报' }).click();
    await page.locator('h1', { hasText: '基层卫生项目 · 绩效目标' }).waitFor();
    expect(await page.locator('[data-test=editor-status]').innerText()).toBe('未填报');
    await page.locator('[data-test=target-goal]').fill('提升基层卫生服务能力，方便群众就近就医。');

    // The picker filters the library on the server; one output indicator first.
    await page.locator('[data-test=open-picker]').click();
    await page.getByRole('textbox', { name: '项目类别' }).fill('卫生健康');
    await page.getByRole('textbox', { name: '项目类别' }).press('Enter');
    await eventually(() => page.locator('[data-test=library-total]').innerText()).toBe('共 3 个指标');
    await accessible(page, 'indicator picker');
    await rows(page, 'library-table').filter({ hasText: '基层医疗机构覆盖数' }).locator('.el-checkbox').click();
    await page.locator('[data-test=pick-indicators]').click();
    await page.locator('[data-test=target-save]').click();
    // No value, no benefit and (an operations project serves the public) no satisfaction indicator.
    await eventually(() => page.locator('[data-test=lint-count]').innerText()).toBe('3 个问题');
    const lint = await page.locator('[data-test=lint-list]').innerText();
    expect(lint).toContain('第 1 行指标：请填写指标值');
    expect(lint).toContain('至少需要一个效益指标');
    expect(lint).toContain('面向社会公众的项目须设满意度指标');
    expect(await page.locator('[data-test=target-submit]').isDisabled()).toBe(true);
    await accessible(page, 'target editor with lint');

    await page.locator('[data-test=value-0]').fill('12');
    await page.locator('[data-test=open-picker]').click();
    await eventually(() => rows(page, 'library-table').count()).toBe(3);
    for (const name of ['群众就医便利度提升', '患者满意度']) await rows(page, 'library-table').filter({ hasText: name }).locator('.el-checkbox').click();
    await page.locator('[data-test=pick-indicators]').click();
    await page.locator('[data-test=value-1]').fill('15');
    // The satisfaction row took the library's benchmark (90); one custom output indicator beside them.
    expect(await page.locator('[data-test=value-2]').inputValue()).toBe('90');
    await page.locator('[data-test=add-custom]').click();
    await page.locator('[data-test=name-3]').fill('家庭医生签约人数');
    await page.locator('[data-test=unit-3]').fill('人');
    await page.locator('[data-test=value-3]').fill('3000');
    await page.locator('[data-test=target-save]').click();
    await page.locator('[data-test=lint-clean]').waitFor();
    expect(await page.locator('[data-test=lint-count]').innerText()).toBe('通过');
    await page.locator('[data-test=target-submit]').click();
    await eventually(() => page.locator('[data-test=editor-status]').innerText()).toBe('已提交待审');
    const stored = (await call(finance, 'GET', '/v1/projects/WB-1/target')).body;
    expect(stored).toMatchObject({ status: 'submitted', version: 2, lintErrors: 0 });
    expect(stored.indicators.map((i: { code?: string; name: string; targetValue?: number }) => [i.code ?? null, i.name, i.targetValue])).toEqual([
      ['WS-O-01', '基层医疗机构覆盖数', 12],
      ['WS-B-01', '群众就医便利度提升', 15],
      ['WS-S-01', '患者满意度', 90],
      [null, '家庭医生签约人数', 3000],
    ]);
    await accessible(page, 'target editor submitted');

    // The monitoring report of 06-30, against the target just submitted.
    await page.getByRole('link', { name: 'WB-1' }).click();
    await page.locator('[data-test=open-monitoring]').click();
    await eventually(() => rows(page, 'monitoring-rows').count()).toBe(4);
    expect(await page.locator('[data-test=report-version]').innerText()).toBe('未报送');
    for (const [i, v] of ['8', '9', '92', '2100'].entries()) await page.locator(`[data-test=actual-${i}]`).fill(v);
    await page.locator('[data-test=monitoring-file]').click();
    await eventually(() => page.locator('[data-test=report-version]').innerText()).toBe('第 1 版');
    const report = (await call(performance, 'GET', '/v1/projects/WB-1/monitoring/06-30')).body;
    expect(report).toMatchObject({ version: 1, outlook: 'certain' });
    expect(report.indicators.map((i: { actualValue: number; targetValue: number }) => [i.actualValue, i.targetValue])).toEqual([
      [8, 12],
      [9, 15],
      [92, 90],
      [2100, 3000],
    ]);
    await accessible(page, 'monitoring report');

    // The department's other pages: only its own, and nothing it may not read.
    for (const item of ['豁免申请', '指标库', '沉淀资金台账', '绩效自评', '评价整改']) {
      await open(page, item);
      await accessible(page, `${item} (department)`);
      // A department may export the library (GET /v1/indicators/export serves every reader).
      if (item === '指标库') await page.locator('[data-test=library-export-xlsx]').waitFor();
    }
    await page.close();
  });

  it('the bureau reads the queues, the monitoring lights and its other views', async () => {
    // Both checkpoints' snapshots (WB-1 reported at 06-30; WA's projects did not).
    for (const asOf of ['2020-06-30', '2020-09-30']) {
      expect((await call(performance, 'POST', '/v1/jobs/monitoring-snapshot/runs', { asOf })).body.status).toBe('succeeded');
    }
    const snap = (await call(performance, 'GET', '/v1/snapshots/2020/09-30')).body;
    expect(snap.totals.projects).toBe(3);
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await signIn(page, 'performance');
    const menu = await menuOf(page);
    expect(menu).toContain('政策情景推演');
    expect(menu.filter((m) => !FINANCE_MENU.includes(m))).toEqual(['数据导入', '暂停项目解除', '自评报告公开', '新建重点评价', '政策情景推演']);

    await open(page, '审核队列');
    // WB-1's target waits for review; WA-1's appeal was decided.
    await eventually(() => page.locator('[data-test=queue-targets]').innerText()).toBe('1 项');
    expect(await page.locator('[data-test=queue-appeals]').innerText()).toBe('0 项');
    await accessible(page, 'review queues');

    await open(page, '双监控亮灯');
    await page.locator('canvas').first().waitFor();
    expect(await page.locator('[data-test=snap-red]').innerText()).toBe(`${snap.totals.red} 个`);
    expect(await rows(page, 'snap-departments').allInnerTexts()).toHaveLength(2);
    expect(await rows(page, 'snap-projects').count()).toBe(3);
    await accessible(page, 'monitoring lights');

    for (const [item, heading] of [
      ['豁免申请', '豁免审批'],
      ['沉淀资金台账'],
      ['沉淀资金清理'],
      ['支出排序'],
      ['政策清理'],
      ['绩效自评'],
      ['评价整改'],
      ['重点评价'],
      ['结果应用'],
      ['年度绩效报告', '年度预算绩效管理报告'],
      ['政策情景推演'],
    ] as const) {
      await open(page, item, heading ?? item);
      await accessible(page, `${item} (performance)`);
    }
    await page.close();
  });

  it('the annual report, the ledger and the indicator library come as files the page also offers as a link, holding the API’s figures', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await signIn(page, 'performance');
    // The automatic save is a first try only: Chromium drops it once the click's user activation
    // has expired (a busy machine's annual report outlives it); the page's own link always saves.
    const saves: string[] = [];
    const automatic: Record<string, number> = {};
    page.on('download', (d) => saves.push(d.suggestedFilename()));
    /** Clicks a page's export button, then the link it shows: the file the link saves. */
    async function fetched(button: string, name: string | RegExp): Promise<Buffer> {
      const before = saves.length;
      await page.locator(`[data-test=${button}]`).click();
      const link = page.locator('[data-test=saved-file]');
      // The file is built on the request (the annual report's whole year): a busy machine's
      // report outlives Playwright's 30 s default.
      await link.waitFor({ timeout: 120_000 });
      const [clicked] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(clicked.suggestedFilename()).toMatch(name);
      expect(await link.innerText()).toBe(`点击保存 ${clicked.suggestedFilename()}`);
      automatic[button] = saves.length - before - 1;
      return readFileSync(await clicked.path());
    }
    /** The first sheet: its header row and the rows under it. */
    const sheet = async (bytes: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as never);
      const ws = wb.worksheets[0];
      if (!ws) throw new Error('the workbook has no sheet');
      const cells = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
      return { header: cells(1), lines: Array.from({ length: ws.actualRowCount - 1 }, (_, i) => cells(i + 2)) };
    };

    await open(page, '年度绩效报告', '年度预算绩效管理报告');
    await page.locator('[data-test=annual-frame]').waitFor();
    const report = (await call(performance, 'GET', '/v1/reports/2020/annual')).body;
    const annual = await fetched('annual-xlsx', '2020年度报告.xlsx');
    const figures = await expectWorkbookOfReport(annual, report);
    expect(figures).toBeGreaterThan(80);
    await accessible(page, 'annual report with its file');

    // The ledger's XLSX: the API's deductions of the year, fen for fen.
    const ledger = (await call(performance, 'GET', '/v1/deductions?year=2020')).body.items as { deductionId: string; amountFen: number }[];
    expect(ledger.length).toBeGreaterThan(1);
    await open(page, '扣减与申诉', '扣减台账');
    const { header, lines } = await sheet(await fetched('export-xlsx', 'ledger-2020.xlsx'));
    const [idAt, yuanAt] = [header.indexOf('扣减编号'), header.indexOf('扣减金额（元）')];
    expect(new Map(lines.map((l) => [l[idAt], Math.round(Number(l[yuanAt]) * 100)]))).toEqual(new Map(ledger.map((d) => [d.deductionId, d.amountFen])));

    // The library's XLSX: as many indicators as the library holds, the same codes.
    const library = (await call(performance, 'GET', '/v1/indicators?limit=1000')).body as { total: number; items: { code: string }[] };
    expect(library.total).toBe(3);
    await open(page, '指标库');
    await eventually(() => page.locator('[data-test=library-total]').innerText()).toBe('共 3 个指标');
    expect(await rows(page, 'library-table').count()).toBe(3);
    const exported = await fetched('library-export-xlsx', /^indicators-\d{8}\.xlsx$/);
    const book = await sheet(exported);
    expect(book.lines).toHaveLength(library.total);
    expect(book.lines.map((l) => l[book.header.indexOf('code')]).sort()).toEqual(library.items.map((i) => i.code).sort());
    await accessible(page, 'indicator library');
    console.log(`annual report workbook: ${figures} figures = the API's; automatic saves besides the link's: ${JSON.stringify(automatic)}`);
    await page.close();
  });

  it('the public portal shows the published targets and the coverage, without signing in', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    const started = Date.now();
    await page.goto(`${base}/public`);
    await page.locator('[data-test=coverage]').waitFor();
    timings['public portal interactive'] = Date.now() - started;
    expect(await page.locator('[data-test=coverage]').innerText()).toBe('1 / 2 个部门（50.00%）');
    expect(await page.locator('[data-test=published-count]').innerText()).toBe('2 个');
    const text = await page.locator('main').innerText();
    expect(text).toContain('教育事业稳步发展');
    expect(text).toContain('校园安全零事故');
    expect(text).not.toContain('完成教师培训');
    await accessible(page, 'public portal');
    expect(await page.locator('[data-test=public-annual]').getAttribute('href')).toBe('/v1/public/2020/annual?format=html');
    await page.getByRole('link', { name: '绩效自评报告' }).click();
    // No department's self-evaluations are published in the crafted year.
    await eventually(() => page.locator('[data-test=public-se-reports]').innerText()).toBe('0 份');
    await accessible(page, 'public self-evaluations');
    await page.close();
  });

  it('serves the SPA on every console path and the API beside it', async () => {
    const deep = await fetch(`${base}/projects/WA-1`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toContain('text/html');
    expect(deep.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await deep.text()).toContain('<div id="app"></div>');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    // Nothing outside web/dist, however the path is spelled.
    expect(await (await fetch(`${base}/..%2f..%2fpackage.json`)).text()).not.toContain('"name": "jixiao');
    expect(await (await fetch(`${base}/assets/..%2f..%2f..%2fpackage.json`)).text()).not.toContain('"name": "jixiao');
    expect((await fetch(`${base}/v1/projects?year=2020`)).status).toBe(401);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
