/**
 * The console on the full demo (issue 13): `npm start` as a user runs it — the demo seed (87
 * departments, 2,030 projects, a year of targets and reports), the scheduler off — in a child
 * process on free ports (test/support/demo-server.ts: `npm start` seeds the demo, and the seeded
 * table is cached per change of the seed's code, so a second run on a checkout writes it back
 * instead; CI, on a clean clone, seeds), driven in Debian's Chromium, one server and one browser
 * for the file. Part of `npm test` and CI (vitest.config.ts starts it first):
 *
 * 1. the performance office runs the first quarter's idle-fund sweep from 作业运行;
 * 2. 市委办公厅 (D001) signs in, sees its own projects only (as many as the API gives it), fixes
 *    its draft target until the lint is clean and submits it, files the 06-30 monitoring report
 *    of a project and appeals one of the sweep's deductions;
 * 3. finance returns that target (the department then finds it in its inbox), reads the pool
 *    and exports the ledger (the CSV's rows are the API's);
 * 4. the performance office decides the appeal from its inbox and takes the 06-30 snapshot;
 *    the lights by department;
 * 5. the annual report (shown, and its XLSX), a what-if, and the public portal.
 *
 * Every page shown is checked by axe-core (no serious or critical violation) and photographed
 * into docs/console/. Figures are the API's: the test reads them over HTTP with its own tokens.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan } from '../../shared/domain/money';
import {
  accessible,
  addPanel,
  EX_ANTE_STORED,
  eventually,
  field,
  fieldError,
  fillExAnte,
  launchChromium,
  menuOf,
  open,
  type Role,
  rows,
  SHOTS,
  shot,
  signIn as signInAs,
  tags,
} from '../support/browser';
import { type DemoServer, startDemo } from '../support/demo-server';
import { expectWorkbookOfReport } from '../support/report-workbook';
import { toast } from './browser';

/** 市委办公厅: a draft target (its inbox's 填报绩效目标) and three deferrable projects the Q1 sweep reclaims from. */
const DEPT = 'D001';
const DEPT_NAME = '市委办公厅';
const DRAFT = '2020-D001-01-02';
/** Approved target, no 06-30 report yet, one of the sweep's deferrable reclaims. */
const PROJECT = '2020-D001-02-01';
const REASON = '该设备采购已签订合同，第二季度到货验收后付款。';
/** 市人大常委会办公厅: four new projects ranked by the seed (version 1), one of them not yet assessed ex ante. */
const RANKER = 'D002';
const UNASSESSED = '2020-D002-01-02';
/** A department with confirmed self-evaluations the seed has not published. */
const TO_PUBLISH = 'D004';

/** Issue 13 item 8: each role's first page (the sign-in page) and its home (the inbox) interactive within this. */
const FIRST_PAGE_MS = 2000;
/** Cold loads per role; the median is held to FIRST_PAGE_MS (one load on a shared machine is the scheduler's as much as ours). */
const ROUNDS = 3;

let demo: DemoServer;
let browser: Browser;
const timings: Record<string, number> = {};
const tokens: Partial<Record<string, string>> = {};

async function token(role: Role, deptId?: string) {
  const key = `${role}:${deptId ?? ''}`;
  return (tokens[key] ??= await demo.token([role], deptId));
}

/** The API as the test reads it: JSON, with a token of the role. */
async function api<T = any>(role: Role, path: string, init: { method?: string; body?: unknown; deptId?: string } = {}): Promise<T> {
  const res = await fetch(`${demo.base}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${await token(role, init.deptId)}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  expect(res.ok, `${path}: ${res.status} ${text.slice(0, 300)}`).toBe(true);
  return JSON.parse(text) as T;
}

/** Every item of a paged list. */
async function all<T = any>(role: Role, path: string, deptId?: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  do {
    const page = await api<{ items: T[]; nextToken?: string }>(
      role,
      `${path}${path.includes('?') ? '&' : '?'}limit=100${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`,
      { deptId },
    );
    items.push(...page.items);
    next = page.nextToken;
  } while (next);
  return items;
}

beforeAll(async () => {
  const t = Date.now();
  [demo, browser] = await Promise.all([startDemo((line) => console.log(line)), launchChromium()]);
  mkdirSync(SHOTS, { recursive: true });
  console.log(
    `demo: ${demo.seeded.fromCache ? 'from the cache' : `seeded in ${demo.seeded.seconds.toFixed(0)} s`}, npm start ready in ${demo.startSeconds.toFixed(1)} s (${((Date.now() - t) / 1000).toFixed(1)} s with Chromium)`,
  );
}, 1_500_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  const load = loadavg().map((l) => l.toFixed(1));
  if (Object.keys(timings).length) console.log(`demo console timings (ms): ${JSON.stringify(timings)} at load ${load.join(' ')}`);
});

const newPage = () => browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
const signIn = (page: Page, role: Role, deptId?: string) => signInAs(page, demo.base, timings, role, deptId);

/** Picks an option of an Element Plus select by its visible label. */
async function choose(page: Page, label: string, option: string) {
  // The selected label lies over the input: the select's wrapper takes the click.
  await page.locator('.el-select__wrapper', { has: page.getByRole('combobox', { name: label }) }).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs a job from 作业运行 as of a date and waits for its run to succeed (a long job is followed). */
async function runJob(page: Page, job: string, name: string, asOf: string) {
  await open(page, '作业运行');
  await choose(page, '作业', name);
  const date = page.locator('.toolbar .el-date-editor input').first();
  await date.fill(asOf);
  await date.press('Enter');
  await page.locator('[data-test=run-job]').click();
  // The newest run first: this one once it has its as-of date (an earlier run of the job may be there before it).
  await eventually(() => rows(page, 'runs-table').first().innerText(), 240_000).toMatch(new RegExp(`${asOf}\\s+成功`));
  const [run] = (await api<{ items: { asOf: string; status: string; summary: Record<string, any> }[] }>('performance', `/v1/jobs/${job}/runs?limit=1`)).items;
  expect(run).toMatchObject({ asOf, status: 'succeeded' });
  return run!;
}

describe('the console on the demo', { timeout: 300_000 }, () => {
  it('the performance office runs the first quarter idle-fund sweep as of 2020-03-31', async () => {
    const page = await newPage();
    await signIn(page, 'performance');
    const run = await runJob(page, 'idle-funds-sweep', '沉淀资金清理', '2020-03-31');
    const byRule = Object.values(run.summary.sweepTotals.byRule as Record<string, { deductions: number }>);
    const count = byRule.reduce((n, r) => n + r.deductions, 0);
    expect(count).toBeGreaterThan(100);
    const line = await rows(page, 'runs-table').first().innerText();
    expect(line).toContain(`扣减笔数 ${count}`);
    expect(line).toContain(`扣减金额 ${formatYuan(run.summary.amountFen)}`);
    await accessible(page, 'jobs');
    await shot(page, 'jobs');
    await page.close();
  });

  it(`every role's first page and its inbox are interactive within ${FIRST_PAGE_MS / 1000} s (the median of ${ROUNDS} cold loads)`, async () => {
    // Each load in a new browser context (nothing cached): the sign-in page from its address
    // until 登录 can be clicked, then from the click until the inbox shows its rows.
    const roles: [Role, string?][] = [['performance'], ['department', DEPT], ['finance']];
    const samples = new Map(roles.map(([role]) => [role, { signin: [] as number[], inbox: [] as number[] }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [role, deptId] of roles) {
        const page = await newPage();
        const t: Record<string, number> = {};
        await signInAs(page, demo.base, t, role, deptId);
        samples.get(role)!.signin.push(t[`signin page interactive (${role})`]!);
        samples.get(role)!.inbox.push(t[`inbox after sign-in (${role})`]!);
        if (round === 0) {
          const inbox = await api(role, '/v1/inbox?year=2020', { deptId });
          expect(await rows(page, 'inbox-table').count()).toBe(inbox.total);
        }
        await page.close();
      }
    }
    const load = loadavg().map((l) => l.toFixed(1));
    const lines = [...samples].map(
      ([role, s]) =>
        `  ${role.padEnd(12)} first page (sign-in) ${s.signin.join(' ')} (median ${median(s.signin)}) · inbox after sign-in ${s.inbox.join(' ')} (median ${median(s.inbox)})`,
    );
    console.log(`first page interactive, ms, ${ROUNDS} cold loads per role, load ${load.join(' ')}:\n${lines.join('\n')}`);
    for (const [role, s] of samples) {
      timings[`first page median (${role})`] = median(s.signin);
      timings[`inbox median (${role})`] = median(s.inbox);
    }
    for (const [role, s] of samples) {
      expect(median(s.signin), `${role}: the sign-in page ${s.signin.join(', ')} ms`).toBeLessThanOrEqual(FIRST_PAGE_MS);
      expect(median(s.inbox), `${role}: the inbox after sign-in ${s.inbox.join(', ')} ms`).toBeLessThanOrEqual(FIRST_PAGE_MS);
    }
  });

  it('市委办公厅 sees only its projects, fixes its draft target until the lint is clean, files a report and appeals a deduction', async () => {
    const page = await newPage();
    await signIn(page, 'department', DEPT);
    await eventually(() => page.locator('[data-test=who]').innerText()).toContain(DEPT_NAME);
    const inbox = await api('department', '/v1/inbox?year=2020', { deptId: DEPT });
    const ownDeductions = (await all('department', '/v1/deductions?year=2020', DEPT)).filter((d) => d.status === 'applied' && d.appealDeadline >= inbox.today);
    expect(inbox.counts['deduction-appeal'] ?? 0).toBe(ownDeductions.length);
    expect(ownDeductions.length).toBeGreaterThan(0);
    await eventually(() => page.locator('[data-test=inbox-total]').innerText()).toBe(`${inbox.total} 项`);
    expect(await rows(page, 'inbox-table').count()).toBe(inbox.total);
    const menu = await menuOf(page);
    expect(menu).toContain('扣减与申诉');
    for (const bureauOnly of ['审核队列', '作业运行', '统筹资金', '年度绩效报告', '政策情景推演']) expect(menu).not.toContain(bureauOnly);
    await accessible(page, 'inbox (department)');
    await shot(page, 'inbox-department');

    // Its projects, page by page on the server (20 a page): as many as the API gives it, no one else's.
    const projects = await all('department', '/v1/projects?year=2020', DEPT);
    await open(page, '项目与支出进度', '项目与支出进度');
    await page.locator('canvas').first().waitFor();
    const shown: string[] = [];
    for (;;) {
      await eventually(async () => (await rows(page, 'projects-table').count()) > 0).toBe(true);
      const onPage = (await rows(page, 'projects-table').locator('td:first-child').allInnerTexts()).map((t) => t.trim());
      shown.push(...onPage);
      if (shown.length === 20) {
        await accessible(page, 'projects');
        await shot(page, 'projects-department');
      }
      const next = page.getByRole('button', { name: '下一页' });
      if (await next.isDisabled()) break;
      const first = onPage[0];
      await next.click();
      await eventually(() => rows(page, 'projects-table').locator('td:first-child').first().innerText()).not.toBe(first);
    }
    expect(shown.length).toBe(projects.length);
    expect(new Set(shown)).toEqual(new Set(projects.map((p) => p.projectId)));
    expect(shown.every((id) => id.startsWith(`2020-${DEPT}-`))).toBe(true);

    // The project, its figures the API's.
    const project = projects.find((p) => p.projectId === PROJECT);
    await page.goto(`${demo.base}/projects/${PROJECT}`);
    await eventually(() => page.locator('[data-test=budget]').innerText()).toBe(formatYuan(project.budgetFen));
    expect(await page.locator('[data-test=target-status]').innerText()).toBe('已通过');
    await page.locator('canvas').first().waitFor();
    await accessible(page, 'project detail');
    await shot(page, 'project-detail');

    // The draft target, from the inbox: one more indicator, written without its value, is what the lint finds.
    await page.getByRole('menuitem', { name: '待办事项' }).click();
    await rows(page, 'inbox-table').filter({ hasText: DRAFT }).getByRole('link', { name: '去填报' }).click();
    await eventually(() => page.locator('[data-test=editor-status]').innerText()).toBe('草稿');
    const before = await api('department', `/v1/projects/${DRAFT}/target`, { deptId: DEPT });
    expect(before).toMatchObject({ status: 'draft', lintErrors: 0 });
    const n = before.indicators.length;
    await page.locator('[data-test=add-custom]').click();
    await page.locator(`[data-test=name-${n}]`).fill('公务用车服务按时响应率');
    await page.locator(`[data-test=unit-${n}]`).fill('%');
    await page.locator('[data-test=target-save]').click();
    await eventually(() => page.locator('[data-test=lint-count]').innerText()).toBe('1 个问题');
    expect(await page.locator('[data-test=lint-list]').innerText()).toContain(`第 ${n + 1} 行指标：请填写指标值`);
    expect(await page.locator('[data-test=target-submit]').isDisabled()).toBe(true);
    await accessible(page, 'target editor with lint');
    await shot(page, 'target-editor-lint');
    await page.locator(`[data-test=value-${n}]`).fill('98');
    await page.locator('[data-test=target-save]').click();
    await page.locator('[data-test=lint-clean]').waitFor();
    await page.locator('[data-test=target-submit]').click();
    await eventually(() => page.locator('[data-test=editor-status]').innerText()).toBe('已提交待审');
    const submitted = await api('department', `/v1/projects/${DRAFT}/target`, { deptId: DEPT });
    expect(submitted).toMatchObject({ status: 'submitted', lintErrors: 0, version: before.version + 2 });
    expect(submitted.indicators).toHaveLength(n + 1);
    expect(submitted.indicators[n]).toMatchObject({ name: '公务用车服务按时响应率', unit: '%', targetValue: 98 });
    await accessible(page, 'target editor submitted');
    await shot(page, 'target-editor-submitted');

    // The 06-30 monitoring report of PROJECT, one actual per indicator of its approved target.
    const target = await api('department', `/v1/projects/${PROJECT}/target`, { deptId: DEPT });
    await page.goto(`${demo.base}/projects/${PROJECT}/monitoring`);
    await eventually(() => rows(page, 'monitoring-rows').count()).toBe(target.indicators.length);
    await page.locator('[data-test=checkpoint-06-30]').click();
    await eventually(() => page.locator('[data-test=report-version]').innerText()).toBe('未报送');
    const actuals = target.indicators.map((i: { targetValue: number | string }) =>
      typeof i.targetValue === 'number' ? Math.floor(i.targetValue / 2) : i.targetValue,
    );
    for (const [i, v] of actuals.entries()) await page.locator(`[data-test=actual-${i}]`).fill(String(v));
    await page.locator('[data-test=monitoring-file]').click();
    await eventually(() => page.locator('[data-test=report-version]').innerText()).toBe('第 1 版');
    const report = await api('department', `/v1/projects/${PROJECT}/monitoring/06-30`, { deptId: DEPT });
    expect(report.version).toBe(1);
    expect(report.indicators.map((i: { actualValue: unknown }) => i.actualValue)).toEqual(actuals);
    await accessible(page, 'monitoring report');
    await shot(page, 'monitoring-report');

    // The sweep's reclaim from PROJECT, appealed from 扣减与申诉.
    const deduction = ownDeductions.find((d) => d.projectId === PROJECT);
    expect(deduction).toMatchObject({ rule: 'DEFERRABLE_RECLAIM', asOf: '2020-03-31', status: 'applied' });
    await open(page, '扣减与申诉', '扣减与申诉');
    const mine = await all('department', '/v1/deductions?year=2020', DEPT);
    await eventually(() => page.locator('[data-test=deduction-count]').innerText()).toBe(`${mine.length} 笔`);
    expect(await page.locator('[data-test=deduction-total]').innerText()).toBe(formatYuan(mine.reduce((s, d) => s + d.amountFen, 0)));
    await accessible(page, 'deductions (department)');
    await rows(page, 'deductions-table').filter({ hasText: PROJECT }).getByRole('button', { name: '申诉' }).click();
    expect(await page.locator('[data-test=appeal-amount]').innerText()).toBe(formatYuan(deduction.amountFen));
    await page.locator('[data-test=appeal-reason]').fill(REASON);
    await shot(page, 'appeal-dialog');
    await page.locator('[data-test=appeal-submit]').click();
    await eventually(() => rows(page, 'deductions-table').filter({ hasText: PROJECT }).innerText()).toContain('申诉中');
    expect(await api('department', `/v1/deductions/${encodeURIComponent(deduction.deductionId)}`, { deptId: DEPT })).toMatchObject({
      status: 'appealed',
      amountFen: deduction.amountFen,
      appeal: { reason: REASON, by: `officer-${DEPT}` },
    });
    await page.close();
  });

  it('finance returns the submitted target, reads the pool and exports the ledger; the department finds the target to revise', async () => {
    const page = await newPage();
    await signIn(page, 'finance');
    const inbox = await api('finance', '/v1/inbox?year=2020');
    await eventually(() => page.locator('[data-test=inbox-total]').innerText()).toBe(`${inbox.total} 项`);
    await rows(page, 'inbox-table').filter({ hasText: DRAFT }).getByRole('link', { name: '去审核' }).click();
    await page.getByText('公务用车服务按时响应率').waitFor();
    await accessible(page, 'targets review');
    await page.locator('[data-test=decision-return]').click();
    await page.locator('[data-test=review-comments]').fill('新增的响应率指标请说明统计口径。');
    await shot(page, 'target-review-dialog');
    await page.locator('[data-test=review-submit]').click();
    await eventually(async () => (await api('finance', `/v1/projects/${DRAFT}/target`)).status).toBe('returned');

    const pool = await api('finance', '/v1/pool/2020');
    await open(page, '统筹资金');
    await eventually(() => page.locator('[data-test=pool-balance]').innerText()).toBe(formatYuan(pool.balanceFen));
    await page.locator('canvas').first().waitFor();
    await accessible(page, 'pool');
    await shot(page, 'pool');

    // The ledger's CSV: the same deductions as the API's list, fen for fen.
    const ledger = await all('finance', '/v1/deductions?year=2020');
    await open(page, '扣减与申诉', '扣减台账');
    await eventually(() => page.locator('[data-test=deduction-count]').innerText()).toBe(`${Math.min(50, ledger.length)} 笔`);
    await accessible(page, 'ledger');
    await shot(page, 'ledger-finance');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-csv]').click()]);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const [header, ...lines] = csv.trim().split(/\r\n/);
    const columns = header!.split(',');
    const at = (name: string) => columns.indexOf(name);
    const fileRows = lines.map((l) => l.split(','));
    expect(fileRows).toHaveLength(ledger.length);
    const fromFile = new Map(fileRows.map((r) => [r[at('扣减编号')], Math.round(Number(r[at('扣减金额（元）')]) * 100)]));
    expect(fromFile).toEqual(new Map(ledger.map((d) => [d.deductionId, d.amountFen])));
    expect(fileRows.find((r) => r[at('扣减编号')]?.includes(PROJECT))?.[at('状态')]).toBe('申诉中');
    await page.close();

    const back = await newPage();
    await signIn(back, 'department', DEPT);
    await eventually(() => rows(back, 'inbox-table').filter({ hasText: DRAFT }).innerText()).toContain('修改退回的绩效目标');
    await back.close();
  });

  it('the performance office decides the appeal from its inbox, takes the 06-30 snapshot and reads the lights by department', async () => {
    const [appealed] = (await all('performance', `/v1/deductions?year=2020&deptId=${DEPT}`)).filter((d) => d.status === 'appealed');
    const poolBefore = (await api('performance', '/v1/pool/2020')).balanceFen;
    const page = await newPage();
    await signIn(page, 'performance');
    const line = rows(page, 'inbox-table').filter({ hasText: '裁定扣减申诉' }).filter({ hasText: PROJECT });
    expect(await line.innerText()).toContain(formatYuan(appealed.amountFen));
    await accessible(page, 'inbox (performance)');
    await shot(page, 'inbox-performance');
    await line.getByRole('link', { name: '去裁定' }).click();
    await page.getByText(`申诉成立，冲回 ${formatYuan(appealed.amountFen)}`).click();
    await page.getByLabel('裁定意见').fill('合同付款节点属实，予以冲回。');
    await page.getByRole('button', { name: '确定' }).click();
    await eventually(async () => (await api('performance', `/v1/deductions/${encodeURIComponent(appealed.deductionId)}`)).status).toBe('reversed');
    expect((await api('performance', '/v1/pool/2020')).balanceFen).toBe(poolBefore - appealed.amountFen);

    await open(page, '审核队列');
    const submitted = await api('performance', '/v1/targets?year=2020&status=submitted&limit=1');
    await eventually(() => page.locator('[data-test=queue-targets]').innerText()).toBe(`${submitted.counts.submitted} 项`);
    expect(await page.locator('[data-test=queue-appeals]').innerText()).toBe('0 项');
    await accessible(page, 'review queues');
    await shot(page, 'review-queues');

    const run = await runJob(page, 'monitoring-snapshot', '双监控快照', '2020-06-30');
    const snap = await api('performance', '/v1/snapshots/2020/06-30?limit=1');
    expect(snap.totals.projects).toBe(run.summary.projects);
    const names = new Map((await api('performance', '/v1/departments')).items.map((d: { deptId: string; name: string }) => [d.deptId, d.name]));
    await open(page, '双监控亮灯', '双监控亮灯');
    await page.locator('canvas').first().waitFor();
    expect(await page.locator('[data-test=snap-red]').innerText()).toBe(`${snap.totals.red} 个`);
    // By name, not code: the table beside the heat map (whose rows are the same names).
    const deptRows = await rows(page, 'snap-departments').locator('td:first-child').allInnerTexts();
    expect(deptRows).toHaveLength(snap.departments.length);
    expect(deptRows[0]?.trim()).toBe(names.get(snap.departments[0].deptId));
    await accessible(page, 'monitoring lights');
    await shot(page, 'monitoring-lights');
    await page.close();
  });

  it('the annual report, its XLSX, a what-if and the public portal', async () => {
    const page = await newPage();
    await signIn(page, 'performance');
    const report = await api('performance', '/v1/reports/2020/annual');
    await open(page, '年度绩效报告', '年度预算绩效管理报告');
    const frame = page.frameLocator('[data-test=annual-frame]');
    await eventually(() => frame.locator('body').innerText(), 60_000).toContain('2020');
    const text = await frame.locator('body').innerText();
    expect(text).toContain(report.cleanup.projects.value.toLocaleString('en-US'));
    await accessible(page, 'annual report');
    await shot(page, 'annual-report');
    // The page's 下载 Excel fetches the workbook with the sign-in's token and offers it as a
    // 点击保存 link (an automatic save is dropped once a slow build outlives the click's user
    // activation): the file the link saves is the workbook.
    await page.locator('[data-test=annual-xlsx]').click();
    const link = page.locator('[data-test=saved-file]');
    await link.waitFor({ timeout: 120_000 });
    const [saved] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(saved.suggestedFilename()).toBe('2020年度报告.xlsx');
    // Every figure of the workbook is the API's (the sheet per section, money in yuan and fen).
    expect(await expectWorkbookOfReport(readFileSync(await saved.path()), report)).toBeGreaterThan(100);

    // What-if: half the reclaim ratio; the figures are the API's for the same policy.
    await open(page, '政策情景推演');
    await page.getByRole('spinbutton', { name: '收回比例' }).fill('50');
    await page.locator('[data-test=what-if-run]').click();
    await page.locator('[data-test=what-if-actual]').waitFor({ timeout: 120_000 });
    const { policy } = await api('performance', '/v1/policies/2020');
    const same = await api('performance', '/v1/scenarios', {
      method: 'POST',
      body: { scenarioId: `e2e-${Date.now()}`, year: 2020, policy: { ...policy, progressReclaim: { ...policy.progressReclaim, ratioBp: 5000 } } },
    });
    const totals = same.result.totals;
    expect(await page.locator('[data-test=what-if-actual]').innerText()).toBe(formatYuan(totals.actual.amountFen));
    expect(await page.locator('[data-test=what-if-alternative]').innerText()).toBe(formatYuan(totals.alternative.amountFen));
    expect(await page.locator('[data-test=what-if-reproduces]').innerText()).toBe(same.result.reproducesLedger ? '是（逐笔一致）' : '否');
    if ((await rows(page, 'what-if-rules').count()) > 0) await page.locator('canvas').first().waitFor();
    await accessible(page, 'what-if');
    await shot(page, 'what-if');
    await page.close();

    // The public portal: no sign-in, the API's coverage.
    const publicPage = await newPage();
    const started = Date.now();
    await publicPage.goto(`${demo.base}/public`);
    await publicPage.locator('[data-test=coverage]').waitFor();
    timings['public portal interactive'] = Date.now() - started;
    // The page lists 20 targets at first (each a card with its table), the rest on 加载更多.
    const published = (await (await fetch(`${demo.base}/v1/public/2020/targets?limit=20`)).json()) as any;
    const { departments, published: count } = published.coverage;
    expect(await publicPage.locator('[data-test=coverage]').innerText()).toBe(
      `${count} / ${departments} 个部门（${(Math.floor((count * 10_000) / departments) / 100).toFixed(2)}%）`,
    );
    expect(count).toBe(87);
    expect(await publicPage.locator('[data-test=public-target]').count()).toBe(published.items.length);
    // The screenshot is the page as it opens (加载更多 then scrolls down to the button).
    await shot(publicPage, 'public-portal', false);
    const next = (await (await fetch(`${demo.base}/v1/public/2020/targets?limit=20&nextToken=${encodeURIComponent(published.nextToken)}`)).json()) as any;
    await publicPage.locator('[data-test=public-more]').click();
    await eventually(() => publicPage.locator('[data-test=public-target]').count()).toBe(published.items.length + next.items.length);
    await accessible(publicPage, 'public portal');
    await publicPage.close();
  });

  // The forms (test/web/forms.e2e.test.ts drives them on a crafted year), on the demo's own
  // departments and projects, each then read back from the API.

  it('新增项目排序: 市人大常委会办公厅 puts its last new project first; the API stores that order as the next version', async () => {
    const before = await api('department', `/v1/departments/${RANKER}/rankings/2020`, { deptId: RANKER });
    const fresh = (await all('department', '/v1/projects?year=2020', RANKER)).filter((p) => p.isNew && p.leaf && p.status !== 'cancelled');
    expect(new Set(before.projectIds)).toEqual(new Set(fresh.map((p) => p.projectId)));
    const page = await newPage();
    await signIn(page, 'department', RANKER);
    await open(page, '新增项目排序', '新增项目排序');
    await eventually(() => rows(page, 'ranking-table').count()).toBe(fresh.length);
    expect(await page.locator('[data-test=ranking-version]').innerText()).toBe(`第 ${before.version} 版`);
    const shown = (await rows(page, 'ranking-table').locator('td:nth-child(2)').allInnerTexts()).map((t) => t.trim());
    expect(shown).toEqual(before.projectIds);
    const last = shown.at(-1)!;
    for (let i = 1; i < shown.length; i++) await page.getByRole('button', { name: `上移 ${last}` }).click();
    expect((await rows(page, 'ranking-table').first().innerText()).includes(last)).toBe(true);
    await accessible(page, 'department ranking (demo)');
    await page.locator('[data-test=ranking-save]').click();
    expect(await toast(page)).toContain(`排序已保存（第 ${before.version + 1} 版，共 ${shown.length} 个项目）`);
    expect(await api('department', `/v1/departments/${RANKER}/rankings/2020`, { deptId: RANKER })).toMatchObject({
      deptId: RANKER,
      year: 2020,
      projectIds: [last, ...shown.slice(0, -1)],
      version: before.version + 1,
      by: `officer-${RANKER}`,
    });
    await page.close();
  });

  it('事前绩效评估: the performance office assesses a new demo project the seed left unassessed: 90/80/70/85/60 → 78.00 → 调整后支持', async () => {
    const missing = await fetch(`${demo.base}/v1/projects/${UNASSESSED}/ex-ante`, { headers: { authorization: `Bearer ${await token('performance')}` } });
    expect(missing.status).toBe(404);
    const page = await newPage();
    await signIn(page, 'performance');
    await open(page, '事前绩效评估');
    await field(page, 'ex-ante-project').fill(UNASSESSED);
    await page.getByRole('button', { name: '查询' }).click();
    await fillExAnte(page, '建设内容与部门职能相符，建议压缩设备购置规模。');
    await accessible(page, 'ex-ante form (demo)');
    await page.locator('[data-test=ex-ante-save]').click();
    expect(await toast(page)).toContain('事前评估已保存（第 1 版）：78.00 分，调整后支持');
    await eventually(() => page.locator('[data-test=ex-ante-score]').innerText()).toBe('78.00 分');
    expect(await rows(page, 'ex-ante-history').count()).toBe(1);
    expect(await api('finance', `/v1/projects/${UNASSESSED}/ex-ante`)).toMatchObject({
      projectId: UNASSESSED,
      deptId: RANKER,
      ...EX_ANTE_STORED,
      by: 'performance-officer',
    });
    await page.close();
  });

  it('新建重点评价: an unknown project and department are shown under their fields, then the evaluation of two 市委办公厅 projects is created with its funds', async () => {
    const id = 'KE-2020-E2E';
    const projects = [PROJECT, '2020-D001-01-01'];
    const page = await newPage();
    await signIn(page, 'performance');
    await open(page, '新建重点评价', '新建重点评价');
    await field(page, 'eval-id').fill(id);
    await field(page, 'eval-title').fill('2020 年市委办公厅公务保障资金重点评价');
    await tags(page, 'eval-projects', [...projects, '2020-D999-01-01']);
    await field(page, 'eval-dept').fill('D999');
    await field(page, 'eval-funds').fill('12,600,000.50');
    await tags(page, 'eval-experts', ['expert-1', 'expert-2']);
    await addPanel(page, [
      ['王建国', '市人大常委会'],
      ['李明', '厦门大学'],
    ]);
    await page.locator('[data-test=eval-save]').click();
    await eventually(() => fieldError(page, '涉及项目').innerText()).toContain('2020-D999-01-01');
    expect(await fieldError(page, '部门编号').innerText()).toContain('D999');
    const absent = await fetch(`${demo.base}/v1/evaluations/${id}`, { headers: { authorization: `Bearer ${await token('performance')}` } });
    expect(absent.status).toBe(404);
    await accessible(page, 'evaluation form with problems (demo)');
    await page.locator('[data-test=eval-projects] .el-tag', { hasText: '2020-D999-01-01' }).locator('.el-tag__close').click();
    await field(page, 'eval-dept').fill(DEPT);
    await page.locator('[data-test=eval-save]').click();
    expect(await toast(page)).toContain('重点评价已创建：2020 年市委办公厅公务保障资金重点评价（涉及资金 12,600,000.50 元）');
    await eventually(() => page.locator('[data-test=eval-created-funds]').innerText()).toBe('12,600,000.50 元');
    const stored = await api('performance', `/v1/evaluations/${id}`);
    expect(stored).toMatchObject({
      evaluationId: id,
      year: 2020,
      fundsFen: 1_260_000_050,
      projectIds: projects,
      deptIds: [DEPT],
      status: 'open',
      panel: [
        { name: '王建国', kind: 'expert', org: '市人大常委会' },
        { name: '李明', kind: 'expert', org: '厦门大学' },
      ],
    });
    expect(stored.experts).toEqual(['expert-1', 'expert-2']);
    await page.close();
  });

  it('自评报告公开: the performance office publishes a demo department’s confirmed self-evaluations; the public portal then counts them', async () => {
    const before = (await (await fetch(`${demo.base}/v1/public/2020/self-evaluations`)).json()) as any;
    expect(before.items.some((i: { deptId: string }) => i.deptId === TO_PUBLISH)).toBe(false);
    const confirmed = (await api('performance', '/v1/self-evaluations?year=2020&status=confirmed')).items.filter(
      (e: { deptId: string }) => e.deptId === TO_PUBLISH,
    );
    expect(confirmed.length).toBeGreaterThan(0);
    const departments = (await api('performance', '/v1/departments')).items;
    const page = await newPage();
    await signIn(page, 'performance');
    await open(page, '自评报告公开', '自评报告公开');
    await eventually(() => rows(page, 'publish-table').count()).toBe(departments.length);
    expect(await page.locator('[data-test=published-count]').innerText()).toBe(`${before.coverage.departments} 个`);
    await page.locator(`[data-test=pick-${TO_PUBLISH}]`).click();
    await accessible(page, 'publish self-evaluations (demo)');
    await page.locator('[data-test=publish-submit]').click();
    expect(await toast(page)).toContain('已公开 1 个部门的自评报告');
    await eventually(() => page.locator('[data-test=published-count]').innerText()).toBe(`${before.coverage.departments + 1} 个`);
    const after = (await (await fetch(`${demo.base}/v1/public/2020/self-evaluations`)).json()) as any;
    expect(after.coverage).toEqual({ departments: before.coverage.departments + 1, reports: before.coverage.reports + confirmed.length });
    expect(new Set(after.items.filter((i: { deptId: string }) => i.deptId === TO_PUBLISH).map((i: { projectId: string }) => i.projectId))).toEqual(
      new Set(confirmed.map((e: { projectId: string }) => e.projectId)),
    );
    await page.close();
  });

  it('暂停项目解除: the 09-30 snapshot suspends projects; one is lifted with a reason and takes payments again', async () => {
    const page = await newPage();
    await signIn(page, 'performance');
    const run = await runJob(page, 'monitoring-snapshot', '双监控快照', '2020-09-30');
    expect(run.summary.suspended).toBeGreaterThan(0);
    const suspended: { projectId: string; deptId: string }[] = [];
    let next: string | undefined;
    do {
      const snap = await api('performance', `/v1/snapshots/2020/09-30?limit=1000${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`);
      suspended.push(...snap.projects.filter((p: { suspended?: boolean }) => p.suspended));
      next = snap.nextToken;
    } while (next);
    expect(suspended).toHaveLength(run.summary.suspended);
    await open(page, '暂停项目解除', '暂停项目解除');
    await eventually(() => page.locator('[data-test=still-suspended]').innerText()).toBe(`${suspended.length} 个`);
    expect(await rows(page, 'suspensions-table').count()).toBe(suspended.length);
    const { projectId, deptId } = suspended[0]!;
    expect(await api('performance', `/v1/projects/${projectId}`)).toMatchObject({ status: 'suspended' });
    await page.locator(`[data-test=lift-${projectId}]`).click();
    await page.locator('[data-test=lift-submit]').click();
    await eventually(() => fieldError(page, '解除理由').innerText()).toBe('请填写解除理由');
    expect((await api('performance', `/v1/projects/${projectId}`)).status).toBe('suspended');
    await field(page, 'lift-comment').fill('已调整实施方案，四季度可完成建设任务。');
    await accessible(page, 'lift dialog (demo)');
    await page.locator('[data-test=lift-submit]').click();
    expect(await toast(page)).toContain(`已解除 ${projectId} 的暂停，项目恢复正常执行`);
    await eventually(() => page.locator('[data-test=still-suspended]').innerText()).toBe(`${suspended.length - 1} 个`);
    const lifted = await api('department', `/v1/projects/${projectId}`, { deptId });
    expect(lifted).toMatchObject({ status: 'active' });
    const pay = { expenditureId: `${projectId}-E2E-1`, date: '2020-10-20', amountFen: 100_000, kind: 'payment' };
    await api('department', `/v1/projects/${projectId}/expenditures`, { method: 'POST', body: pay, deptId });
    expect((await api('department', `/v1/projects/${projectId}`, { deptId })).spentFen).toBe(lifted.spentFen + 100_000);
    await page.close();
  });

  it('数据导入: a bad indicator file and a bad carryover file list their problems and import nothing; the good ones are added to the demo’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-demo-imports-'));
    const write = (name: string, lines: string[]) => {
      const path = join(dir, name);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    };
    const header = 'code,scope,category,domain,fundUse,level1,level2,name,unit,direction,benchmark';
    const library = (direction: string) =>
      write(`library-${direction === '>=' ? 'good' : 'bad'}.csv`, [
        header,
        `E2E-O-01,general,信息化建设类,,,output,quantity,系统接入单位数量,个,${direction},`,
        'E2E-S-01,general,信息化建设类,,,satisfaction,service-object,系统使用人员满意度,%,>=,90',
      ]);
    const carryovers = (balance: string) =>
      write(`carryovers-${balance.length}.csv`, [
        '结转资金编号,部门编码,结转年度,余额(元)',
        `C-E2E-${RANKER}-1,${RANKER},2018,${balance}`,
        `C-E2E-${RANKER}-2,${RANKER},2019,800.00`,
      ]);
    const before = (await api('performance', '/v1/indicators/summary')).stats.total;
    const page = await newPage();
    await signIn(page, 'performance');
    await open(page, '数据导入');
    const card = page.locator('[data-test=import-indicators]');
    await card.locator('input[type=file]').setInputFiles(library('bigger'));
    await page.locator('[data-test=indicators-submit]').click();
    await eventually(() => page.locator('[data-test=indicators-problems]').innerText()).toContain('direction');
    expect((await api('performance', '/v1/indicators/summary')).stats.total).toBe(before);
    await card.locator('input[type=file]').setInputFiles(library('>='));
    await page.locator('[data-test=indicators-submit]').click();
    expect(await toast(page)).toContain('指标库已导入：2 行，新增 2');
    const summary = await api('performance', '/v1/indicators/summary');
    expect(summary.stats.total).toBe(before + 2);
    expect(summary.lastImport).toMatchObject({ mode: 'merge', rows: 2, created: 2, deleted: 0 });
    const listed = await all('performance', `/v1/indicators?scope=general&category=${encodeURIComponent('信息化建设类')}`);
    expect(
      listed
        .filter((i) => i.code.startsWith('E2E-'))
        .map((i) => i.code)
        .sort(),
    ).toEqual(['E2E-O-01', 'E2E-S-01']);

    const idle = page.locator('[data-test=import-idle]');
    await idle.locator('input[type=file]').setInputFiles(carryovers('12.345'));
    await page.locator('[data-test=idle-submit]').click();
    await eventually(() => page.locator('[data-test=idle-problems]').innerText()).toContain('第 ');
    const none = await fetch(`${demo.base}/v1/carryovers/C-E2E-${RANKER}-1`, { headers: { authorization: `Bearer ${await token('performance')}` } });
    expect(none.status).toBe(404);
    await accessible(page, 'imports with problems (demo)');
    await idle.locator('input[type=file]').setInputFiles(carryovers('"12,345.67"'));
    await page.locator('[data-test=idle-submit]').click();
    expect(await toast(page)).toContain('结转资金已导入：2 行，新增 2');
    expect(await api('performance', `/v1/carryovers/C-E2E-${RANKER}-1`)).toMatchObject({ deptId: RANKER, originYear: 2018, balanceFen: 1_234_567 });
    expect(await api('department', `/v1/carryovers/C-E2E-${RANKER}-2`, { deptId: RANKER })).toMatchObject({ deptId: RANKER, balanceFen: 80_000 });
    await page.close();
  });
});
