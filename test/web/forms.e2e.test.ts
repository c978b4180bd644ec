/**
 * The console's forms in a real browser (issue 13: the department's and the bureau's whole
 * year): Debian's Chromium by playwright-core against web/dist and the real handlers behind the
 * local adapter, on DynamoDB Local with a crafted 2020:
 *
 * - department FA (市交通运输局): FA-1 城市道路改造工程, new, 8,000,000.00 元 (ex-ante required);
 *   FA-2 智慧交通信息系统, new, 300,000.00 元; FA-3 公交运营补贴, its self-evaluation confirmed;
 *   FA-4 公交站台建设, 40% spent at 09-30 and "完全不可能" → suspended by the 09-30 snapshot;
 * - department FB (市水利局): nothing confirmed.
 *
 * Each form is filled in the browser, the API's 400 shown where it says, and the figures the API
 * then answers asserted: the ranking stored, the assessment's weighted score and outcome, the
 * evaluation with its funds, the public reports, the project active again, the rows imported.
 * Every new page is checked by axe-core and photographed into docs/console/forms-*.png.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { call, dept, finance, performance, setupTable } from '../support/harness';
import { addPanel, EX_ANTE_STORED, field, fieldError, fillExAnte, tags } from '../support/browser';
import { accessible, type Console, eventually, menuOf, open, shot, signIn, startConsole, toast } from './browser';

const Y = 2020;
let app: Console;
const files = mkdtempSync(join(tmpdir(), 'jixiao-forms-'));

const indicators = [
  { level1: 'output', level2: 'quantity', name: '完成建设数量', unit: '个', direction: '>=', targetValue: 50 },
  { level1: 'benefit', level2: 'social', name: '受益群众', unit: '人', direction: '>=', targetValue: 2000 },
  { level1: 'satisfaction', level2: 'service-object', name: '群众满意度', unit: '%', direction: '>=', targetValue: 90 },
];

async function approvedTarget(projectId: string) {
  const path = `/v1/projects/${projectId}/target`;
  expect((await call(dept('FA'), 'PUT', path, { goal: '按期完成建设任务', indicators })).status).toBe(201);
  expect((await call(dept('FA'), 'POST', `${path}/submit`)).status).toBe(200);
  expect((await call(finance, 'POST', `${path}/review`, { decision: 'approve', grade: '优' })).body.status).toBe('approved');
}

async function fixtures() {
  await setupTable();
  for (const [id, name] of [
    ['FA', '市交通运输局'],
    ['FB', '市水利局'],
  ] as const) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name, contactEmails: [`${id.toLowerCase()}@forms.test`] })).status).toBe(201);
  }
  const p = { year: Y, level: 1, deptId: 'FA', domain: '交通', fundSource: 'general' } as const;
  for (const [projectId, name, category, budgetFen, isNew, spentFen] of [
    ['FA-1', '城市道路改造工程', 'infrastructure', 800_000_000, true, 0],
    ['FA-2', '智慧交通信息系统', 'it', 30_000_000, true, 0],
    ['FA-3', '公交运营补贴', 'operations', 50_000_000, false, 50_000_000],
    ['FA-4', '公交站台建设', 'operations', 30_000_000, false, 12_000_000],
  ] as const) {
    const made = await call(performance, 'POST', '/v1/projects', { ...p, projectId, name, category, budgetFen, isNew });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    if (spentFen > 0) {
      const pay = { expenditureId: `${projectId}-E1`, date: '2020-05-15', amountFen: spentFen, kind: 'payment' };
      expect((await call(dept('FA'), 'POST', `/v1/projects/${projectId}/expenditures`, pay)).status).toBe(201);
    }
  }
  await approvedTarget('FA-3');
  await approvedTarget('FA-4');
  // FA-4 at 09-30: 12,000,000 of 30,000,000 = 4000 bp, and it says it cannot make it → suspended.
  const report = await call(dept('FA'), 'PUT', '/v1/projects/FA-4/monitoring/09-30', {
    indicators: [
      { name: '完成建设数量', direction: '>=', targetValue: 50, actualValue: 10, outlook: 'impossible', deviationCause: 'funding', measures: '申请调整' },
      { name: '受益群众', direction: '>=', targetValue: 2000, actualValue: 800, outlook: 'certain' },
      { name: '群众满意度', direction: '>=', targetValue: 90, actualValue: 90, outlook: 'certain' },
    ],
  });
  expect(report.status, JSON.stringify(report.body)).toBe(201);
  const snap = await call(performance, 'POST', '/v1/jobs/monitoring-snapshot/runs', { asOf: '2020-09-30' });
  expect(snap.body.summary, JSON.stringify(snap.body)).toMatchObject({ suspended: 1 });
  expect((await call(performance, 'GET', '/v1/projects/FA-4')).body.status).toBe('suspended');
  // FA-3's self-evaluation, confirmed by finance and then the performance office.
  const se = await call(dept('FA'), 'PUT', '/v1/projects/FA-3/self-evaluation', {
    indicators: [
      { index: 0, actual: 55 },
      { index: 1, actual: 2100 },
      { index: 2, actual: 95 },
    ],
    summary: '全年补贴按时足额拨付',
    problems: '无',
    measures: '继续做好补贴发放',
  });
  expect(se.status, JSON.stringify(se.body)).toBe(201);
  expect((await call(dept('FA'), 'POST', '/v1/projects/FA-3/self-evaluation/submit')).body.status).toBe('submitted');
  expect((await call(finance, 'POST', '/v1/projects/FA-3/self-evaluation/review', { decision: 'confirm' })).body.status).toBe('finance-confirmed');
  expect((await call(performance, 'POST', '/v1/projects/FA-3/self-evaluation/review', { decision: 'confirm' })).body.status).toBe('confirmed');
  await settle();
}

beforeAll(async () => {
  app = await startConsole(fixtures);
}, 180_000);

afterAll(async () => {
  await app?.close();
  await settle();
});

const newPage = () => app.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
const rows = (page: Page, table: string) => page.locator(`[data-test=${table}] .el-table__body tr`);
describe('the console forms', { timeout: 150_000 }, () => {
  it('offers each form only to the roles that may use it, and the guard refuses the rest', async () => {
    const page = await newPage();
    await signIn(page, app.base, 'finance');
    const menu = await menuOf(page);
    expect(menu).toContain('事前绩效评估');
    for (const m of ['新增项目排序', '数据导入', '暂停项目解除', '自评报告公开', '新建重点评价']) expect(menu).not.toContain(m);
    // Typed addresses of a performance-only form land on the inbox.
    await page.goto(`${app.base}/imports`);
    await page.locator('h1', { hasText: '待办事项' }).waitFor();
    await page.goto(`${app.base}/evaluations/new`);
    await page.locator('h1', { hasText: '待办事项' }).waitFor();
    await page.close();
  });

  it('a department ranks its new projects: the API’s 400 is shown, then the order is stored', async () => {
    const page = await newPage();
    await signIn(page, app.base, 'department', 'FA');
    const menu = await menuOf(page);
    expect(menu).toContain('新增项目排序');
    for (const m of ['事前绩效评估', '数据导入', '暂停项目解除']) expect(menu).not.toContain(m);
    await open(page, '新增项目排序', '新增项目排序');
    await eventually(() => rows(page, 'ranking-table').count()).toBe(2);
    expect(await page.locator('[data-test=ranking-version]').innerText()).toBe('尚未排序');
    // A new project arrives after the page was read: the API lists what the order misses.
    const late = {
      projectId: 'FA-5',
      year: Y,
      level: 1,
      deptId: 'FA',
      name: '交通安全设施',
      category: 'equipment',
      domain: '交通',
      fundSource: 'general',
      budgetFen: 1_000_000,
      isNew: true,
    };
    expect((await call(performance, 'POST', '/v1/projects', late)).status).toBe(201);
    await page.locator('[data-test=ranking-save]').click();
    await eventually(() => page.locator('[data-test=ranking-problems]').innerText()).toContain('FA-5 未列入排序：本年度每个新增项目都须排序');
    expect((await call(dept('FA'), 'GET', `/v1/departments/FA/rankings/${Y}`)).status).toBe(404);

    await page.reload();
    await eventually(() => rows(page, 'ranking-table').count()).toBe(3);
    // Largest budget first until ranked: FA-1, FA-2, FA-5; FA-2 goes first.
    await page.getByRole('button', { name: '上移 FA-2' }).click();
    expect(await rows(page, 'ranking-table').first().innerText()).toContain('FA-2');
    await accessible(page, 'department ranking');
    await shot(page, 'forms-department-ranking');
    await page.locator('[data-test=ranking-save]').click();
    expect(await toast(page)).toContain('排序已保存（第 1 版，共 3 个项目）');
    const stored = await call(dept('FA'), 'GET', `/v1/departments/FA/rankings/${Y}`);
    expect(stored.body).toMatchObject({ deptId: 'FA', year: Y, projectIds: ['FA-2', 'FA-1', 'FA-5'], version: 1, by: 'officer-FA' });
    await eventually(() => page.locator('[data-test=ranking-version]').innerText()).toBe('第 1 版');
    await page.close();
  });

  it('the performance office files an ex-ante assessment: 90/80/70/85/60 → 78.00 → 调整后支持', async () => {
    const page = await newPage();
    await signIn(page, app.base, 'performance');
    await open(page, '事前绩效评估');
    await field(page, 'ex-ante-project').fill('FA-1');
    await page.getByRole('button', { name: '查询' }).click();
    await fillExAnte(page, '建设规模偏大，建议分期实施。');
    await accessible(page, 'ex-ante form');
    await shot(page, 'forms-ex-ante');
    await page.locator('[data-test=ex-ante-save]').click();
    expect(await toast(page)).toContain('事前评估已保存（第 1 版）：78.00 分，调整后支持');
    await eventually(() => page.locator('[data-test=ex-ante-score]').innerText()).toBe('78.00 分');
    expect(await rows(page, 'ex-ante-history').count()).toBe(1);
    const stored = await call(finance, 'GET', '/v1/projects/FA-1/ex-ante');
    expect(stored.body).toMatchObject({
      projectId: 'FA-1',
      ...EX_ANTE_STORED,
      comments: '建设规模偏大，建议分期实施。',
    });
    await page.close();
  });

  it('creates a key evaluation: unknown project and department shown under their fields, then created with its funds', async () => {
    const page = await newPage();
    await signIn(page, app.base, 'performance');
    await open(page, '新建重点评价', '新建重点评价');
    // The client's checks first: nothing is sent without the required fields.
    await page.locator('[data-test=eval-save]').click();
    await eventually(() => fieldError(page, '评价编号').innerText()).toBe('请填写评价编号');
    expect(await fieldError(page, '评分专家').innerText()).toBe('请至少指定一位评分专家');

    await field(page, 'eval-id').fill('KE-FA-1');
    await field(page, 'eval-title').fill('2020 年城市交通建设资金重点评价');
    await tags(page, 'eval-projects', ['FA-1', 'FA-2', 'NOPE-9']);
    await field(page, 'eval-dept').fill('ZZ');
    await field(page, 'eval-funds').fill('8,300,000.50');
    await tags(page, 'eval-experts', ['expert-1', 'expert-2']);
    const members: [string, string][] = [
      ['王建国', '市人大常委会'],
      ['李明', '厦门大学'],
    ];
    await addPanel(page, members);
    await page.locator('[data-test=eval-save]').click();
    // The API's 400: each problem under the field it names.
    await eventually(() => fieldError(page, '涉及项目').innerText()).toContain('NOPE-9');
    expect(await fieldError(page, '部门编号').innerText()).toContain('ZZ');
    expect((await call(performance, 'GET', '/v1/evaluations/KE-FA-1')).status).toBe(404);
    await accessible(page, 'evaluation form with problems');
    await shot(page, 'forms-evaluation-problems');

    await page.locator('[data-test=eval-projects] .el-tag', { hasText: 'NOPE-9' }).locator('.el-tag__close').click();
    await field(page, 'eval-dept').fill('');
    await page.locator('[data-test=eval-save]').click();
    expect(await toast(page)).toContain('重点评价已创建：2020 年城市交通建设资金重点评价（涉及资金 8,300,000.50 元）');
    await eventually(() => page.locator('[data-test=eval-created-funds]').innerText()).toBe('8,300,000.50 元');
    await accessible(page, 'evaluation created');
    await shot(page, 'forms-evaluation-created');
    const stored = await call(performance, 'GET', '/v1/evaluations/KE-FA-1');
    expect(stored.body).toMatchObject({
      evaluationId: 'KE-FA-1',
      year: Y,
      kind: 'livelihood-project',
      fundsFen: 830_000_050,
      projectIds: ['FA-1', 'FA-2'],
      deptIds: ['FA'],
      status: 'open',
      panel: [
        { name: '王建国', kind: 'expert', org: '市人大常委会' },
        { name: '李明', kind: 'expert', org: '厦门大学' },
      ],
    });
    expect(stored.body.experts).toEqual(['expert-1', 'expert-2']);
    await page.close();
  });

  it('publishes a department’s confirmed self-evaluations; the public portal then shows them', async () => {
    const page = await newPage();
    await signIn(page, app.base, 'performance');
    await open(page, '自评报告公开', '自评报告公开');
    await eventually(() => rows(page, 'publish-table').count()).toBe(2);
    expect(await page.locator('[data-test=published-count]').innerText()).toBe('0 个');
    // FB has nothing confirmed: it cannot be chosen.
    expect(await field(page, 'pick-FB').isDisabled()).toBe(true);
    await page.locator('[data-test=pick-FA]').click();
    await accessible(page, 'publish self-evaluations');
    await shot(page, 'forms-self-evaluation-publish');
    await page.locator('[data-test=publish-submit]').click();
    expect(await toast(page)).toContain('已公开 1 个部门的自评报告');
    await eventually(() => rows(page, 'publish-table').first().innerText()).toContain('已公开 1 份自评报告');
    expect(await page.locator('[data-test=published-count]').innerText()).toBe('1 个');
    const pub = await call(null, 'GET', `/v1/public/${Y}/self-evaluations`);
    expect(pub.body.coverage).toEqual({ departments: 1, reports: 1 });
    expect(pub.body.items[0]).toMatchObject({ deptId: 'FA', projectId: 'FA-3', departmentName: '市交通运输局' });
    await page.close();
  });

  it('lifts a suspension: a reason is required, then the project is active and takes payments again', async () => {
    const page = await newPage();
    await signIn(page, app.base, 'performance');
    await open(page, '暂停项目解除', '暂停项目解除');
    await eventually(() => page.locator('[data-test=still-suspended]').innerText()).toBe('1 个');
    expect(await rows(page, 'suspensions-table').first().innerText()).toContain('FA-4');
    await page.locator('[data-test=lift-FA-4]').click();
    await page.locator('[data-test=lift-submit]').click();
    await eventually(() => fieldError(page, '解除理由').innerText()).toBe('请填写解除理由');
    expect((await call(performance, 'GET', '/v1/projects/FA-4')).body.status).toBe('suspended');
    await field(page, 'lift-comment').fill('已调整实施方案，四季度可完成建设任务。');
    await accessible(page, 'lift dialog');
    await shot(page, 'forms-suspension-lift', { dialog: true });
    await page.locator('[data-test=lift-submit]').click();
    expect(await toast(page)).toContain('已解除 FA-4 的暂停，项目恢复正常执行');
    await eventually(() => page.locator('[data-test=still-suspended]').innerText()).toBe('0 个');
    expect(await rows(page, 'suspensions-table').first().innerText()).toContain('已调整实施方案');
    const project = await call(dept('FA'), 'GET', '/v1/projects/FA-4');
    expect(project.body).toMatchObject({ status: 'active', flags: [] });
    const pay = await call(dept('FA'), 'POST', '/v1/projects/FA-4/expenditures', {
      expenditureId: 'FA-4-E2',
      date: '2020-10-20',
      amountFen: 3_000_000,
      kind: 'payment',
    });
    expect(pay.status).toBe(201);
    expect((await call(dept('FA'), 'GET', '/v1/projects/FA-4')).body.spentFen).toBe(15_000_000);
    await page.close();
  });

  it('imports the indicator library and idle-fund records: a bad file lists its problems and imports nothing', async () => {
    const write = (name: string, lines: string[]) => {
      const path = join(files, name);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    };
    const header = 'code,scope,category,domain,fundUse,level1,level2,name,unit,direction,benchmark';
    const badLibrary = write('library-bad.csv', [
      header,
      'JT-O-01,general,交通运输,,,output,quantity,道路改造里程,公里,bigger,',
      'JT-S-01,general,交通运输,,,satisfaction,service-object,群众满意度,%,>=,90',
    ]);
    const library = write('library.csv', [
      header,
      'JT-O-01,general,交通运输,,,output,quantity,道路改造里程,公里,>=,',
      'JT-S-01,general,交通运输,,,satisfaction,service-object,群众满意度,%,>=,90',
    ]);
    const badCarry = write('carryovers-bad.csv', ['结转资金编号,部门编码,结转年度,余额(元)', 'C-FA-1,FA,2018,12.345']);
    const carry = write('carryovers.csv', ['结转资金编号,部门编码,结转年度,余额(元)', 'C-FA-1,FA,2018,"12,345.67"', 'C-FA-2,FA,2019,800.00']);

    const page = await newPage();
    await signIn(page, app.base, 'performance');
    await open(page, '数据导入');
    // No file: the client says so and sends nothing.
    await page.locator('[data-test=indicators-submit]').click();
    await eventually(() => page.locator('[data-test=import-indicators] .el-form-item__error').innerText()).toBe('请选择要导入的文件');

    const card = page.locator('[data-test=import-indicators]');
    await card.locator('input[type=file]').setInputFiles(badLibrary);
    await page.locator('[data-test=indicators-submit]').click();
    await eventually(() => page.locator('[data-test=indicators-problems]').innerText()).toContain('direction');
    expect((await call(performance, 'GET', '/v1/indicators?limit=10')).body.items).toEqual([]);
    await card.locator('input[type=file]').setInputFiles(library);
    await page.locator('[data-test=indicators-submit]').click();
    expect(await toast(page)).toContain('指标库已导入：2 行，新增 2');
    await eventually(() => page.locator('[data-test=indicators-created]').innerText()).toBe('2');
    const lib = (await call(performance, 'GET', '/v1/indicators?limit=10')).body.items;
    expect(lib.map((i: { code: string }) => i.code).sort()).toEqual(['JT-O-01', 'JT-S-01']);

    const idle = page.locator('[data-test=import-idle]');
    await idle.locator('input[type=file]').setInputFiles(badCarry);
    await page.locator('[data-test=idle-submit]').click();
    await eventually(() => page.locator('[data-test=idle-problems]').innerText()).toContain('第 ');
    expect((await call(performance, 'GET', '/v1/carryovers/C-FA-1')).status).toBe(404);
    await accessible(page, 'imports with problems');
    await shot(page, 'forms-imports-problems');
    await idle.locator('input[type=file]').setInputFiles(carry);
    await page.locator('[data-test=idle-submit]').click();
    expect(await toast(page)).toContain('结转资金已导入：2 行，新增 2');
    await accessible(page, 'imports done');
    await shot(page, 'forms-imports');
    expect((await call(performance, 'GET', '/v1/carryovers/C-FA-1')).body).toMatchObject({ deptId: 'FA', originYear: 2018, balanceFen: 1_234_567 });
    expect((await call(dept('FA'), 'GET', '/v1/carryovers/C-FA-2')).body).toMatchObject({ balanceFen: 80_000 });
    await page.close();
  });
});
