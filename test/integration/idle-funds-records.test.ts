/**
 * Idle-fund records through the API against DynamoDB Local: PUT semantics (create, same body,
 * change, reclaimed), validation, department scoping, audit, and CSV/XLSX imports.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { tableDigest } from '../support/table-digest';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  await setupTable();
  for (const id of ['R01', 'R02']) {
    expect(
      (await call(performance, 'PUT', `/v1/departments/${id}`, { name: `记录部门${id}`, contactEmails: [`records-${id.toLowerCase()}@idle.test`] })).status,
    ).toBe(201);
  }
  for (const [projectId, deptId] of [
    ['PR19-1', 'R01'],
    ['PR19-2', 'R02'],
  ] as const) {
    const p = { projectId, year: 2019, deptId, level: 1, name: '上年项目', category: 'other', domain: '教育', fundSource: 'general', budgetFen: 0 };
    expect((await call(performance, 'POST', '/v1/projects', p)).status).toBe(201);
  }
});

describe('PUT and GET a record', () => {
  const body = { deptId: 'R01', originYear: 2019, balanceFen: 1_000_000, projectId: 'PR19-1' };

  it('creates, answers the same body unchanged, versions a change, and audits both', async () => {
    const created = await call(dept('R01'), 'PUT', '/v1/carryovers/C-1', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'carryover', carryoverId: 'C-1', ...body, status: 'open', version: 1, createdBy: 'officer-R01' });
    expect(created.body.requestHash).toBeUndefined();

    const same = await call(dept('R01'), 'PUT', '/v1/carryovers/C-1', { ...body });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ version: 1, balanceFen: 1_000_000, updatedAt: created.body.updatedAt });

    const changed = await call(performance, 'PUT', '/v1/carryovers/C-1', { ...body, balanceFen: 900_000 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, balanceFen: 900_000, updatedBy: 'perf-officer', createdBy: 'officer-R01' });

    const read = await call(finance, 'GET', '/v1/carryovers/C-1');
    expect(read.body).toMatchObject({ balanceFen: 900_000, version: 2, status: 'open' });
    const audit = await call(finance, 'GET', '/v1/audit/carryover/C-1');
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['carryover.updated', 'carryover.created']);
    expect(audit.body.items[0]).toMatchObject({ actor: 'perf-officer', before: { balanceFen: 1_000_000 }, after: { balanceFen: 900_000 } });
  });

  it('puts payables and account balances the same way', async () => {
    const payable = await call(dept('R02'), 'PUT', '/v1/payables/PY-1', {
      deptId: 'R02',
      counterparty: '厦门某建设公司',
      amountFen: 2_500_000,
      since: '2017-05-20',
    });
    expect(payable.status).toBe(201);
    expect(payable.body).toMatchObject({ kind: 'payable', payableId: 'PY-1', amountFen: 2_500_000, since: '2017-05-20', version: 1 });
    const account = await call(dept('R02'), 'PUT', '/v1/account-balances/AC-1', {
      deptId: 'R02',
      unitName: '市某中心',
      balanceFen: 3_300_000,
      lastMovementDate: '2019-08-31',
    });
    expect(account.status).toBe(201);
    expect(account.body).toMatchObject({ kind: 'account', accountId: 'AC-1', balanceFen: 3_300_000, lastMovementDate: '2019-08-31' });
  });

  it('lists every field problem and changes nothing', async () => {
    const before = await tableDigest();
    const bad = await call(dept('R01'), 'PUT', '/v1/carryovers/C-bad', { deptId: 'R01', originYear: 1990, balanceFen: 1.5, colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body', 'body.balanceFen', 'body.originYear']);
    const badPayable = await call(performance, 'PUT', '/v1/payables/PY-bad', { deptId: 'R01', counterparty: '', amountFen: -1, since: '2017-02-30' });
    expect(badPayable.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.amountFen', 'body.counterparty', 'body.since']);
    const unknown = await call(performance, 'PUT', '/v1/carryovers/C-x', { deptId: 'R99', originYear: 2019, balanceFen: 1, projectId: 'PR19-2' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([
      { path: 'body.deptId', message: 'no department R99' },
      { path: 'body.projectId', message: 'project PR19-2 belongs to another department' },
    ]);
    expect(await tableDigest()).toEqual(before);
  });

  it('keeps each department to its own records', async () => {
    const before = await tableDigest();
    // Writing another department's record, or taking an id another department uses.
    expect((await call(dept('R01'), 'PUT', '/v1/carryovers/C-9', { ...body, deptId: 'R02', projectId: undefined })).status).toBe(403);
    const taken = await call(dept('R02'), 'PUT', '/v1/carryovers/C-1', { deptId: 'R02', originYear: 2019, balanceFen: 1 });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('ID_CONFLICT');
    expect(JSON.stringify(taken.body)).not.toContain('900000');
    expect((await call(finance, 'PUT', '/v1/carryovers/C-9', body)).status).toBe(403);
    expect((await call(dept('R02'), 'GET', '/v1/carryovers/C-1')).status).toBe(404);
    expect((await call(expert, 'GET', '/v1/carryovers/C-1')).status).toBe(403);
    expect(await tableDigest()).toEqual(before);

    const own = await call(dept('R02'), 'GET', '/v1/payables');
    expect(own.body.items.map((r: { payableId: string }) => r.payableId)).toEqual(['PY-1']);
    expect((await call(dept('R01'), 'GET', '/v1/payables')).body.items).toEqual([]);
    expect((await call(dept('R01'), 'GET', '/v1/payables?deptId=R02')).status).toBe(403);
    expect((await call(finance, 'GET', '/v1/carryovers?deptId=R02')).body.items).toEqual([]);
    expect((await call(finance, 'GET', '/v1/carryovers')).body.items.map((r: { carryoverId: string }) => r.carryoverId)).toEqual(['C-1']);
  });
});

describe('a reclaimed record', () => {
  it('is closed: the same body is answered as it stands, a different one is refused with 409', async () => {
    const body = { deptId: 'R01', originYear: 2018, balanceFen: 4_444_444 };
    expect((await call(dept('R01'), 'PUT', '/v1/carryovers/C-2018', body)).status).toBe(201);
    const run = await call(performance, 'POST', '/v1/jobs/idle-funds-sweep/runs', { asOf: '2020-03-31' });
    expect(run.status).toBe(200);
    expect(run.body.summary.byRule.CARRYOVER_RECLAIM).toEqual({ deductions: 1, amountFen: 4_444_444 });
    // The run's email goes out in the background; let it finish before the table is compared.
    await settle();

    const same = await call(dept('R01'), 'PUT', '/v1/carryovers/C-2018', body);
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({
      status: 'reclaimed',
      balanceFen: 0,
      version: 2,
      reclaimed: { deductionId: 'CARRYOVER_RECLAIM~carryover~C-2018~2020-03-31', asOf: '2020-03-31', amountFen: 4_444_444, rule: 'CARRYOVER_RECLAIM' },
    });
    const before = await tableDigest();
    const changed = await call(performance, 'PUT', '/v1/carryovers/C-2018', { ...body, balanceFen: 5_000_000 });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('RECORD_RECLAIMED');
    const csv = 'carryoverId,deptId,originYear,balanceFen\r\nC-2018,R01,2018,5000000\r\n';
    const imported = await call(performance, 'POST', '/v1/carryovers/import', csv, { 'content-type': 'text/csv' });
    expect(imported.status).toBe(400);
    expect(imported.body.error.details).toEqual([{ path: 'rows[2].carryoverId', message: expect.stringContaining('was reclaimed as of 2020-03-31') }]);
    expect(await tableDigest()).toEqual(before);
    const audit = await call(performance, 'GET', '/v1/audit/carryover/C-2018');
    expect(audit.body.items[0]).toMatchObject({
      action: 'carryover.reclaimed',
      before: { balanceFen: 4_444_444, status: 'open' },
      after: { balanceFen: 0, status: 'reclaimed' },
    });
  });
});

describe('imports', () => {
  it('imports a good CSV (Chinese headers, yuan, GB-style dates), and the same file again changes nothing', async () => {
    const csv = [
      '往来款编号,部门编码,往来单位,金额（元）,挂账日期',
      'IMP-P1,R01,"厦门某某科技有限公司, 分公司",1234.56,2017/3/30',
      'IMP-P2,R02,某物业公司,100,20180115',
      'IMP-P3,R02,"某""联合""体",0.07,2019-12-31',
    ].join('\r\n');
    const first = await call(performance, 'POST', '/v1/payables/import', csv, { 'content-type': 'text/csv; charset=utf-8' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ kind: 'payable', rows: 3, created: 3, updated: 0, unchanged: 0 });
    const p1 = await call(finance, 'GET', '/v1/payables/IMP-P1');
    expect(p1.body).toMatchObject({ deptId: 'R01', counterparty: '厦门某某科技有限公司, 分公司', amountFen: 123_456, since: '2017-03-30', version: 1 });
    expect((await call(finance, 'GET', '/v1/payables/IMP-P3')).body).toMatchObject({ counterparty: '某"联合"体', amountFen: 7 });

    const before = await tableDigest();
    const again = await call(performance, 'POST', '/v1/payables/import', csv, { 'content-type': 'text/csv' });
    expect(again.body).toEqual({ kind: 'payable', rows: 3, created: 0, updated: 0, unchanged: 3 });
    expect(await tableDigest()).toEqual(before);

    // One row changed: one update, audited as imported.
    const changed = csv.replace('0.07', '0.08');
    expect((await call(performance, 'POST', '/v1/payables/import', changed, { 'content-type': 'text/csv' })).body).toMatchObject({ updated: 1, unchanged: 2 });
    const audit = await call(finance, 'GET', '/v1/audit/payable/IMP-P3');
    expect(audit.body.items[0]).toMatchObject({ action: 'payable.imported', before: { amountFen: 7 }, after: { amountFen: 8 } });
  });

  it('imports a good XLSX with date and number cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('余额');
    ws.addRow(['accountId', 'deptId', 'unitName', 'balanceFen', 'lastMovementDate']);
    ws.addRow(['IMP-A1', 'R01', '市某某服务中心', 98_765_432, new Date(Date.UTC(2019, 2, 31))]);
    ws.addRow(['IMP-A2', 'R02', '市某某站', 1, '2019-12-01']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await call(performance, 'POST', '/v1/account-balances/import', xlsx, { 'content-type': XLSX });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'account', rows: 2, created: 2, updated: 0, unchanged: 0 });
    const a1 = await call(finance, 'GET', '/v1/account-balances/IMP-A1');
    expect(a1.body).toMatchObject({ deptId: 'R01', unitName: '市某某服务中心', balanceFen: 98_765_432, lastMovementDate: '2019-03-31', status: 'open' });
    // The same workbook with no content type is recognised by its bytes.
    expect((await call(performance, 'POST', '/v1/account-balances/import', xlsx, { 'content-type': 'application/octet-stream' })).body.unchanged).toBe(2);
  });

  it('refuses a bad file naming every bad row and column, and stores nothing', async () => {
    const csv = [
      'carryoverId,deptId,originYear,balanceYuan,projectId',
      'IMP-C1,R01,2019,10.00,PR19-1',
      'IMP-C2,R01,19,abc,',
      'IMP-C3,R77,2019,5,',
      'IMP-C1,R02,2019,5,PR19-1',
      'IMP-C5,R02,2019,-3,NOPE',
    ].join('\n');
    const before = await tableDigest();
    const res = await call(performance, 'POST', '/v1/carryovers/import', csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('The file has 6 problem(s); nothing was imported');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'rows[3].balanceYuan',
      'rows[3].originYear',
      'rows[4].deptId',
      'rows[5].carryoverId',
      'rows[5].projectId',
      'rows[6].balanceYuan',
    ]);
    expect(res.body.error.details[3].message).toBe('IMP-C1 is also on row 2');
    expect(res.body.error.details[4].message).toBe('project PR19-1 belongs to another department');
    expect(await tableDigest()).toEqual(before);
    expect((await call(finance, 'GET', '/v1/carryovers/IMP-C1')).status).toBe(404);

    const notXlsx = await call(performance, 'POST', '/v1/carryovers/import', Buffer.from('PK\u0003\u0004garbage'), { 'content-type': XLSX });
    expect(notXlsx.status).toBe(400);
    expect(notXlsx.body.error.details[0]).toMatchObject({ path: 'file', message: expect.stringContaining('not an XLSX workbook') });
    const noColumns = await call(performance, 'POST', '/v1/carryovers/import', 'id,dept\r\n1,2\r\n', { 'content-type': 'text/csv' });
    expect(noColumns.body.error.details.map((d: { message: string }) => d.message)).toEqual([
      expect.stringContaining('unknown column "id"'),
      expect.stringContaining('unknown column "dept"'),
      'missing column carryoverId',
      'missing column deptId',
      'missing column originYear',
      'missing column balanceFen or balanceYuan',
    ]);
    expect(await tableDigest()).toEqual(before);
  });

  it('is for the performance office only', async () => {
    const csv = 'carryoverId,deptId,originYear,balanceFen\r\nIMP-X,R01,2019,1\r\n';
    for (const caller of [dept('R01'), finance, expert]) {
      expect((await call(caller, 'POST', '/v1/carryovers/import', csv, { 'content-type': 'text/csv' })).status).toBe(403);
    }
    expect((await call(null, 'POST', '/v1/carryovers/import', csv, { 'content-type': 'text/csv' })).status).toBe(401);
  });
});
