/**
 * Exports (issue 12 item 4) and the emails' words under a year's policy (item 2): a small year
 * under a 70% September threshold, its 09-30 reclaim run and its 06-30 snapshot, then the
 * exports read back — CSV as text, XLSX through exceljs — for headers, figures, formula
 * neutralisation, department isolation and parts.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PART_LIMITS } from '../../shared/app/exports/export';
import { runJob } from '../../shared/app/jobs/runner';
import { getItem } from '../../shared/aws/db';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { keys } from '../../shared/aws/keys';
import { type MailItem, mailId } from '../../shared/aws/outbox';
import { SYSTEM } from '../../shared/domain/access';
import { call, dept, finance, performance, setupTable } from '../support/harness';
import { depsAt, envDb, project, putProjects } from '../support/ledger-fixtures';

const YEAR = 2023;
const T0 = `${YEAR}-10-01T01:20:00Z`;

beforeAll(async () => {
  await setupTable();
  const db = envDb();
  for (const deptId of ['XA', 'XB']) {
    await departmentsRepo(db).putPlain({
      deptId,
      name: `部门${deptId}`,
      contactEmails: [`${deptId.toLowerCase()}@mail.test`],
      version: 1,
      createdAt: '',
      updatedAt: '',
    });
  }
  expect((await call(performance, 'PUT', `/v1/policies/${YEAR}`, { progressReclaim: { thresholdBp: 7000 } })).status).toBe(200);
  await putProjects(db, [
    project({ projectId: 'XA-1', deptId: 'XA', year: YEAR, level: 1, budgetFen: 100_000_000, spentByDay: { [`${YEAR}-05-01`]: 60_000_000 } }),
    project({ projectId: 'XA-2', deptId: 'XA', year: YEAR, level: 1, name: '=HYPERLINK("http://x","点我")', budgetFen: 10_000_000 }),
    project({
      projectId: 'XA-3',
      deptId: 'XA',
      year: YEAR,
      level: 1,
      name: '-2+3 维修',
      category: 'it',
      fundSource: 'business-income',
      budgetFen: 1_000_001,
      spentByDay: { [`${YEAR}-03-01`]: 1_000_001 },
    }),
    project({
      projectId: 'XB-1',
      deptId: 'XB',
      year: YEAR,
      level: 1,
      name: '@SUM(A1) 设备',
      budgetFen: 10_000_000,
      spentByDay: { [`${YEAR}-06-01`]: 6_999_999 },
    }),
  ]);
  const run = await runJob(depsAt(T0), { job: 'progress-reclaim', asOf: `${YEAR}-09-30`, runId: 'x-1', actor: SYSTEM });
  // lag behind 70%: XA-1 10,000,000; XA-2 7,000,000; XB-1 1 fen
  expect(run.summary).toMatchObject({ deductions: 3, amountFen: 17_000_001 });
  await runJob(depsAt(`${YEAR}-07-01T01:10:00Z`), { job: 'monitoring-snapshot', asOf: `${YEAR}-06-30`, runId: 'x-2', actor: SYSTEM });
});

afterEach(() => {
  PART_LIMITS.csv.maxRows = 200_000;
  PART_LIMITS.xlsx.maxRows = 100_000;
});

const csvRows = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');

describe('emails follow the year’s policy', () => {
  it('titles a deduction under a 70% threshold with 70%, and has no English footnote', async () => {
    const mail = await getItem<MailItem>(envDb(), keys.mail(mailId(`progress-reclaim~${YEAR}-09-30`, 'XA', 1)));
    expect(mail?.text).toContain('规则：9月底支出进度未达70%，按比例收回');
    expect(mail?.text).toContain('要求进度：70.00%');
    expect(mail?.text).not.toContain('80%');
    expect(mail?.text).not.toMatch(/This notice|in Chinese/);
    expect(mail?.html).toContain('9月底支出进度未达70%');
  });
});

describe('GET /v1/exports/{dataset}', () => {
  it('writes the ledger as CSV with Chinese headers and exact yuan', async () => {
    const res = await call(finance, 'GET', `/v1/exports/ledger?year=${YEAR}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['x-export-rows']).toBe('3');
    const [header, ...rows] = csvRows(res.body as string);
    expect(header).toBe(
      '扣减编号,规则代码,规则,年度,部门编码,扣减对象,对象编码,截至日期,扣减金额（元）,调整前（元）,调整后（元）,状态,申诉截止日期,冲回的扣减,记账时间',
    );
    const xa1 = rows.find((r) => r.startsWith('PROGRESS_RECLAIM~project~XA-1~'));
    expect(xa1?.split(',').slice(1, 12)).toEqual([
      'PROGRESS_RECLAIM',
      '9月底支出进度未达70%，按比例收回',
      String(YEAR),
      'XA',
      '项目',
      'XA-1',
      `${YEAR}-09-30`,
      '100000.00',
      '1000000.00',
      '900000.00',
      '已扣减',
    ]);
    expect(rows.find((r) => r.includes('XB-1'))?.split(',')[8]).toBe('0.01');
  });

  it('neutralises formulas in text cells of CSV and keeps numbers numbers', async () => {
    const res = await call(performance, 'GET', `/v1/exports/projects?year=${YEAR}&format=csv`);
    const rows = csvRows(res.body as string);
    expect(rows[0]).toBe(
      '项目编码,年度,部门编码,级次,一级项目编码,项目名称,项目类别,行业领域,资金来源,年初预算（元）,调整后预算（元）,已支出（元）,支出进度（%）,状态,标记,可暂缓实施,新增项目',
    );
    expect(rows).toContain(`XA-2,${YEAR},XA,1,,"'=HYPERLINK(""http://x"",""点我"")",运转保障,教育,一般公共预算,100000.00,30000.00,0.00,0,执行中,,否,否`);
    expect(rows).toContain(`XA-3,${YEAR},XA,1,,'-2+3 维修,信息化建设,教育,事业收入,10000.01,10000.01,10000.01,100,执行中,,否,否`);
    expect(rows).toContain(`XB-1,${YEAR},XB,1,,'@SUM(A1) 设备,运转保障,教育,一般公共预算,100000.00,99999.99,69999.99,69.99,执行中,,否,否`);
  });

  it('writes XLSX that exceljs reads back: headers, numbers in yuan, neutralised text', async () => {
    const res = await call(performance, 'GET', `/v1/exports/projects?year=${YEAR}&format=xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(res.body as string, 'latin1') as never);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('项目预算与支出进度');
    expect((ws.getRow(1).values as unknown[]).slice(1, 7)).toEqual(['项目编码', '年度', '部门编码', '级次', '一级项目编码', '项目名称']);
    const byId = new Map<string, unknown[]>();
    ws.eachRow((row, n) => {
      if (n > 1) byId.set(String(row.getCell(1).value), (row.values as unknown[]).slice(1));
    });
    expect([...byId.keys()].sort()).toEqual(['XA-1', 'XA-2', 'XA-3', 'XB-1']);
    const xa1 = byId.get('XA-1')!;
    expect(xa1.slice(9, 13)).toEqual([1_000_000, 900_000, 600_000, 66.66]);
    expect(byId.get('XA-2')![5]).toBe('\'=HYPERLINK("http://x","点我")');
    expect(byId.get('XB-1')![5]).toBe("'@SUM(A1) 设备");
    expect(typeof byId.get('XB-1')![10]).toBe('number');
    // Money in yuan with two decimals, progress in percent, a bold frozen header.
    const xa1Row = ws.getRow([...byId.keys()].indexOf('XA-1') + 2);
    expect([xa1Row.getCell(10).numFmt, xa1Row.getCell(13).numFmt]).toEqual(['#,##0.00', '0.00']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('splits a long XLSX export into parts, each a whole workbook with its header', async () => {
    PART_LIMITS.xlsx.maxRows = 3;
    const first = await call(performance, 'GET', `/v1/exports/projects?year=${YEAR}&format=xlsx`);
    const token = first.headers['x-next-token'];
    expect([first.headers['x-export-rows'], Boolean(token)]).toEqual(['3', true]);
    const second = await call(performance, 'GET', `/v1/exports/projects?year=${YEAR}&format=xlsx&nextToken=${token}`);
    expect(second.headers['x-next-token']).toBeUndefined();
    const ids: unknown[] = [];
    for (const part of [first, second]) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(part.body as string, 'latin1') as never);
      const ws = wb.worksheets[0]!;
      expect(ws.getRow(1).getCell(1).value).toBe('项目编码');
      ws.eachRow((row, n) => {
        if (n > 1) ids.push(row.getCell(1).value);
      });
    }
    expect(ids).toEqual(['XA-1', 'XA-2', 'XA-3', 'XB-1']);
  });

  it('gives a department its own rows only, and refuses another department and the pool', async () => {
    const own = csvRows((await call(dept('XA'), 'GET', `/v1/exports/ledger?year=${YEAR}&format=csv`)).body as string);
    expect(own.slice(1).map((r) => r.split(',')[4])).toEqual(['XA', 'XA']);
    const snap = csvRows((await call(dept('XB'), 'GET', `/v1/exports/snapshots?year=${YEAR}&checkpoint=06-30&format=csv`)).body as string);
    expect(snap[0]).toBe('截至日期,项目编码,部门编码,项目名称,预算（元）,已支出（元）,支出进度（%）,目标完成度（%）,监控结果,预警原因,完成预期,本次暂停');
    expect(snap.slice(1).map((r) => r.split(',').slice(0, 3))).toEqual([[`${YEAR}-06-30`, 'XB-1', 'XB']]);
    expect(snap[1]).toContain('红灯,未填报监控表');
    expect((await call(dept('XA'), 'GET', `/v1/exports/projects?year=${YEAR}&deptId=XB&format=csv`)).status).toBe(403);
    expect((await call(dept('XA'), 'GET', `/v1/exports/pool?year=${YEAR}`)).status).toBe(403);
    expect((await call(dept('XA'), 'GET', `/v1/exports/snapshots?year=${YEAR}&format=csv`)).status).toBe(400);
  });

  it('writes the pool with its totals, and the year’s lights for the bureau', async () => {
    const pool = csvRows((await call(finance, 'GET', `/v1/exports/pool?year=${YEAR}&format=csv`)).body as string);
    expect(pool[0]).toBe('类型,规则或拨付编号,说明,部门编码,项目编码,金额（元）,拨付后余额（元）,时间');
    expect(pool).toContain('收回,PROGRESS_RECLAIM,9月底支出进度未达70%，按比例收回,,,170000.01,,');
    expect(pool).toContain('余额,,,,,170000.01,,');
    const snap = csvRows((await call(performance, 'GET', `/v1/exports/snapshots?year=${YEAR}&checkpoint=06-30&format=csv`)).body as string);
    expect(snap).toHaveLength(5);
  });

  it('splits a long export into parts that go on with nextToken', async () => {
    PART_LIMITS.csv.maxRows = 3;
    const first = await call(performance, 'GET', `/v1/exports/projects?year=${YEAR}&format=csv`);
    expect(first.headers['x-export-rows']).toBe('3');
    const token = first.headers['x-next-token'];
    expect(token).toBeTruthy();
    const second = await call(performance, 'GET', `/v1/exports/projects?year=${YEAR}&format=csv&nextToken=${token}`);
    expect(second.headers['x-next-token']).toBeUndefined();
    const ids = [...csvRows(first.body as string).slice(1), ...csvRows(second.body as string).slice(1)].map((r) => r.split(',')[0]);
    expect(ids).toEqual(['XA-1', 'XA-2', 'XA-3', 'XB-1']);
    expect(csvRows(second.body as string)[0]).toMatch(/^项目编码,/);
    expect((await call(performance, 'GET', `/v1/exports/projects?year=${YEAR}&nextToken=nope`)).status).toBe(400);
  });
});
