/**
 * The deductions ledger routes (SPEC §2, §6): list and read with each role, appeals within the
 * window, decisions (uphold; reverse with a compensating entry that restores the budget and
 * debits the pool, once even when two decisions race), and the decision emails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { runJob } from '../../shared/app/jobs/runner';
import { config, sesClient } from '../../shared/aws/clients';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { sesMailer } from '../../shared/aws/mailer';
import { dispatchPending } from '../../shared/aws/outbox';
import { poolTotals } from '../../shared/aws/pool';
import { projectsRepo } from '../../shared/aws/projects-repo';
import { SYSTEM } from '../../shared/domain/access';
import { addDays, shanghaiDate } from '../../shared/domain/dates';
import { type Caller, call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { depsAt, emailsTo, envDb, project, putProjects } from '../support/ledger-fixtures';

const MAIL = { DD1: 'dd1@ded.test', DD2: 'dd2@ded.test' } as const;
const id = (projectId: string, asOf = '2020-09-30') => `PROGRESS_RECLAIM~project~${projectId}~${asOf}`;
const budget = async (projectId: string) => (await projectsRepo(envDb()).get(projectId))!.budgetFen;
const who: Record<string, Caller | null> = { own: dept('DD1'), other: dept('DD2'), finance, performance, expert, anonymous: null };

async function statuses(method: string, path: string, body?: unknown) {
  const out: Record<string, number> = {};
  for (const [name, caller] of Object.entries(who)) out[name] = (await call(caller, method, path, body)).status;
  return out;
}

beforeAll(async () => {
  await setupTable();
  const db = envDb();
  for (const [deptId, mail] of Object.entries(MAIL)) {
    await departmentsRepo(db).putPlain({ deptId, name: `部门${deptId}`, contactEmails: [mail], version: 1, createdAt: '', updatedAt: '' });
  }
  await putProjects(db, [
    project({ projectId: 'DD1-A', deptId: 'DD1', year: 2020, level: 1, budgetFen: 100_000_000, spentByDay: { '2020-05-01': 60_000_000 } }),
    project({ projectId: 'DD1-B', deptId: 'DD1', year: 2020, level: 1, budgetFen: 10_000_000 }),
    project({ projectId: 'DD2-A', deptId: 'DD2', year: 2020, level: 1, budgetFen: 10_000_000, spentByDay: { '2020-05-01': 2_000_000 } }),
    project({ projectId: 'DD1-OLD', deptId: 'DD1', year: 2019, level: 1, budgetFen: 10_000_000 }),
  ]);
  // 2019's reclaim was applied on 2019-10-01: its appeal window closed on 2019-10-11.
  const old = await runJob(depsAt('2019-10-01T01:20:00Z'), { job: 'progress-reclaim', asOf: '2019-09-30', runId: 'old-run', actor: SYSTEM });
  expect(old.summary).toMatchObject({ deductions: 1, amountFen: 8_000_000 });
  const run = await call(performance, 'POST', '/v1/jobs/progress-reclaim/runs', { asOf: '2020-09-30' });
  expect(run.body.summary).toMatchObject({ deductions: 3, amountFen: 34_000_000 });
  // A carryover of 2018, reclaimed by the 2019 year-end sweep (the idle-funds job).
  expect((await call(dept('DD1'), 'PUT', '/v1/carryovers/DD1-C1', { deptId: 'DD1', originYear: 2018, balanceFen: 5_000_000 })).status).toBe(201);
  const sweep = await call(performance, 'POST', '/v1/jobs/idle-funds-sweep/runs', { asOf: '2019-12-31' });
  expect(sweep.status, JSON.stringify(sweep.body)).toBe(200);
  await settle();
});

afterAll(async () => {
  await settle();
});

describe('GET /v1/deductions', () => {
  it('lets each role see what it may: a department its own only', async () => {
    expect(await statuses('GET', '/v1/deductions?year=2020&deptId=DD1')).toEqual({
      own: 200,
      other: 403,
      finance: 200,
      performance: 200,
      expert: 403,
      anonymous: 401,
    });
    const own = await call(dept('DD1'), 'GET', '/v1/deductions?year=2020');
    expect(own.body.items.map((d: { projectId: string }) => d.projectId).sort()).toEqual(['DD1-A', 'DD1-B']);
    const all = await call(finance, 'GET', '/v1/deductions?year=2020');
    expect(all.body.items.map((d: { projectId: string }) => d.projectId).sort()).toEqual(['DD1-A', 'DD1-B', 'DD2-A']);
    expect(all.body.items.reduce((s: number, d: { amountFen: number }) => s + d.amountFen, 0)).toBe(34_000_000);
  });

  it('filters by project (another department’s project is not found), rule and year', async () => {
    expect((await call(dept('DD1'), 'GET', '/v1/deductions?projectId=DD1-A')).body.items).toHaveLength(1);
    expect((await call(dept('DD1'), 'GET', '/v1/deductions?projectId=DD2-A')).status).toBe(404);
    expect((await call(finance, 'GET', '/v1/deductions?projectId=DD2-A')).body.items[0]).toMatchObject({ amountFen: 6_000_000, budgetAfterFen: 4_000_000 });
    expect((await call(finance, 'GET', '/v1/deductions?projectId=DD1-OLD&year=2020')).body.items).toEqual([]);
    expect((await call(finance, 'GET', '/v1/deductions?projectId=DD1-OLD&year=2019')).body.items).toHaveLength(1);
    expect((await call(finance, 'GET', '/v1/deductions?year=2020&rule=NEXT_YEAR_CAP')).body.items).toEqual([]);
    expect((await call(finance, 'GET', '/v1/deductions?year=2019&rule=CARRYOVER_RECLAIM')).body.items[0]).toMatchObject({
      carryoverId: 'DD1-C1',
      amountFen: 5_000_000,
    });
  });

  it('pages with nextToken', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await call(performance, `GET`, `/v1/deductions?year=2020&limit=1${token ? `&nextToken=${token}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((d: { deductionId: string }) => d.deductionId));
      token = res.body.nextToken;
      pages++;
    } while (token && pages < 10);
    expect(seen.sort()).toEqual([id('DD1-A'), id('DD1-B'), id('DD2-A')]);
  });

  it('lists every problem of a bad query in one 400', async () => {
    const bad = await call(finance, 'GET', '/v1/deductions?year=abc&rule=NOPE&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.limit', 'query.rule', 'query.year']);
    const none = await call(finance, 'GET', '/v1/deductions');
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([{ path: 'query.year', message: 'give a year, or a projectId' }]);
  });
});

describe('GET /v1/deductions/{deductionId}', () => {
  it('shows an entry to its department, finance and performance only', async () => {
    expect(await statuses('GET', `/v1/deductions/${id('DD1-A')}`)).toEqual({
      own: 200,
      other: 404,
      finance: 200,
      performance: 200,
      expert: 403,
      anonymous: 401,
    });
    const d = (await call(dept('DD1'), 'GET', `/v1/deductions/${id('DD1-A')}`)).body;
    expect(d).toMatchObject({
      amountFen: 20_000_000,
      budgetBeforeFen: 100_000_000,
      budgetAfterFen: 80_000_000,
      status: 'applied',
      appealDeadline: addDays(shanghaiDate(new Date()), 10),
    });
    expect((await call(finance, 'GET', '/v1/deductions/NO-SUCH')).status).toBe(404);
  });
});

describe('appeals', () => {
  it('only the department itself appeals; others are refused and nothing changes', async () => {
    const path = `/v1/deductions/${id('DD1-A')}/appeal`;
    const refused = { other: dept('DD2'), finance, performance, expert, anonymous: null };
    const got: Record<string, number> = {};
    for (const [name, caller] of Object.entries(refused)) got[name] = (await call(caller, 'POST', path, { reason: '不服' })).status;
    expect(got).toEqual({ other: 404, finance: 403, performance: 403, expert: 403, anonymous: 401 });
    expect((await call(dept('DD1'), 'POST', path, { reason: '' })).status).toBe(400);
    expect((await call(finance, 'GET', `/v1/deductions/${id('DD1-A')}`)).body.status).toBe('applied');
  });

  it('moves applied → appealed within the window; a retry answers the same; anything else is 409', async () => {
    const path = `/v1/deductions/${id('DD1-A')}/appeal`;
    const first = await call(dept('DD1'), 'POST', path, { reason: '采购合同9月已签订，10月付款' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'appealed',
      appeal: { reason: '采购合同9月已签订，10月付款', by: 'officer-DD1', deadline: addDays(shanghaiDate(new Date()), 10) },
    });
    const retry = await call(dept('DD1'), 'POST', path, { reason: '采购合同9月已签订，10月付款' });
    expect(retry.status).toBe(200);
    const other = await call(dept('DD1'), 'POST', path, { reason: '另一个理由' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('ILLEGAL_TRANSITION');
    for (const p of ['DD1-B']) expect((await call(dept('DD1'), 'POST', `/v1/deductions/${id(p)}/appeal`, { reason: '理由' })).status).toBe(200);
    expect((await call(dept('DD2'), 'POST', `/v1/deductions/${id('DD2-A')}/appeal`, { reason: '理由' })).status).toBe(200);
    expect((await call(dept('DD1'), 'POST', `/v1/deductions/CARRYOVER_RECLAIM~carryover~DD1-C1~2019-12-31/appeal`, { reason: '资金已有安排' })).status).toBe(
      200,
    );
  });

  it('closes the window appealDays after the day the deduction was applied', async () => {
    const res = await call(dept('DD1'), 'POST', `/v1/deductions/${id('DD1-OLD', '2019-09-30')}/appeal`, { reason: '迟到的申诉' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('APPEAL_WINDOW_CLOSED');
    expect(res.body.error.message).toBe('The appeal deadline was 2019-10-11');
    expect((await call(finance, 'GET', `/v1/deductions/${id('DD1-OLD', '2019-09-30')}`)).body.status).toBe('applied');
  });
});

describe('decisions', () => {
  it('only the performance office decides, on an appealed deduction, with a valid body', async () => {
    const path = `/v1/deductions/${id('DD1-A')}/decision`;
    const got: Record<string, number> = {};
    for (const [name, caller] of Object.entries({ own: dept('DD1'), other: dept('DD2'), finance, expert, anonymous: null })) {
      got[name] = (await call(caller, 'POST', path, { decision: 'reverse', comment: '同意' })).status;
    }
    expect(got).toEqual({ own: 403, other: 403, finance: 403, expert: 403, anonymous: 401 });
    const bad = await call(performance, 'POST', path, { decision: 'maybe', comment: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.comment', 'body.decision']);
    const notAppealed = await call(performance, 'POST', `/v1/deductions/${id('DD1-OLD', '2019-09-30')}/decision`, { decision: 'reverse', comment: '同意' });
    expect(notAppealed.status).toBe(409);
    expect(notAppealed.body.error.code).toBe('ILLEGAL_TRANSITION');
    expect(await budget('DD1-A')).toBe(80_000_000);
  });

  it('reverse: a new compensating entry restores the budget and debits the pool, in one go', async () => {
    const res = await call(performance, 'POST', `/v1/deductions/${id('DD1-A')}/decision`, { decision: 'reverse', comment: '申诉理由成立' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.deduction).toMatchObject({ status: 'reversed', decision: { decision: 'reverse', comment: '申诉理由成立', by: 'perf-officer' } });
    expect(res.body.reversal).toMatchObject({
      deductionId: `REVERSAL~${id('DD1-A')}`,
      rule: 'REVERSAL',
      year: 2020,
      projectId: 'DD1-A',
      amountFen: -20_000_000,
      budgetBeforeFen: 80_000_000,
      budgetAfterFen: 100_000_000,
      reversesDeductionId: id('DD1-A'),
      figures: { reversedAmountFen: 20_000_000, reversedRule: 'PROGRESS_RECLAIM' },
    });
    expect(res.body.emails).toBe(1);
    expect(await budget('DD1-A')).toBe(100_000_000);
    // the original is kept, marked reversed; the ledger of the project sums to the budget change
    const ledger = (await call(dept('DD1'), 'GET', '/v1/deductions?projectId=DD1-A')).body.items;
    expect(ledger.map((d: { rule: string; status: string }) => `${d.rule}:${d.status}`).sort()).toEqual(['PROGRESS_RECLAIM:reversed', 'REVERSAL:applied']);
    expect(ledger.reduce((s: number, d: { amountFen: number }) => s + d.amountFen, 0)).toBe(100_000_000 - (await budget('DD1-A')));
    const pool = await poolTotals(envDb(), 2020);
    expect(pool).toMatchObject({ inFen: 34_000_000, reversedFen: 20_000_000, balanceFen: 14_000_000 });
    const audit = await call(finance, 'GET', `/v1/audit/deduction/${encodeURIComponent(id('DD1-A'))}`);
    expect(audit.body.items.map((a: { action: string }) => a.action).sort()).toEqual(['deduction.appealed', 'deduction.applied', 'deduction.reversed']);
    // a reversal gives money back: it cannot be appealed; a retried decision changes nothing
    const appealRev = await call(dept('DD1'), 'POST', `/v1/deductions/REVERSAL~${id('DD1-A')}/appeal`, { reason: 'x' });
    expect(appealRev.body.error.code).toBe('NOT_APPEALABLE');
    const retry = await call(performance, 'POST', `/v1/deductions/${id('DD1-A')}/decision`, { decision: 'reverse', comment: '申诉理由成立' });
    expect(retry.status).toBe(200);
    expect(retry.body.emails).toBe(0);
    expect(await budget('DD1-A')).toBe(100_000_000);
    const flip = await call(performance, 'POST', `/v1/deductions/${id('DD1-A')}/decision`, { decision: 'uphold', comment: '改判' });
    expect(flip.status).toBe(409);
    expect(flip.body.error.code).toBe('ILLEGAL_TRANSITION');
  });

  it('two reverse decisions at once make one reversal and restore the budget once', async () => {
    const path = `/v1/deductions/${id('DD2-A')}/decision`;
    const [a, b] = await Promise.all([
      call(performance, 'POST', path, { decision: 'reverse', comment: '同意冲回' }),
      call(performance, 'POST', path, { decision: 'reverse', comment: '同意冲回' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await budget('DD2-A')).toBe(10_000_000);
    const ledger = (await call(finance, 'GET', '/v1/deductions?projectId=DD2-A')).body.items;
    expect(ledger).toHaveLength(2);
    expect((await poolTotals(envDb(), 2020)).reversedFen).toBe(26_000_000);
  });

  it('uphold: the deduction stands, the budget does not move', async () => {
    const res = await call(performance, 'POST', `/v1/deductions/${id('DD1-B')}/decision`, { decision: 'uphold', comment: '进度滞后属实' });
    expect(res.status).toBe(200);
    expect(res.body.deduction.status).toBe('upheld');
    expect(res.body.reversal).toBeUndefined();
    expect(await budget('DD1-B')).toBe(2_000_000);
  });

  it('reverse of a carryover reclaim gives the balance back to the record', async () => {
    const cid = 'CARRYOVER_RECLAIM~carryover~DD1-C1~2019-12-31';
    const res = await call(performance, 'POST', `/v1/deductions/${cid}/decision`, { decision: 'reverse', comment: '资金已有合同安排' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.reversal).toMatchObject({
      rule: 'REVERSAL',
      year: 2019,
      carryoverId: 'DD1-C1',
      amountFen: -5_000_000,
      budgetBeforeFen: 0,
      budgetAfterFen: 5_000_000,
    });
    const record = await call(dept('DD1'), 'GET', '/v1/carryovers/DD1-C1');
    expect(record.body).toMatchObject({ balanceFen: 5_000_000, status: 'restored' });
    expect((await poolTotals(envDb(), 2019)).reversedFen).toBe(5_000_000);
  });

  it('emails each decision to the department, in Chinese, once', async () => {
    const mailer = sesMailer(sesClient(), config().MAIL_FROM);
    const first = await dispatchPending(envDb(), mailer, () => new Date());
    expect(first.sent).toBe(4); // DD1-A reversed, DD2-A reversed, DD1-B upheld, DD1-C1 reversed
    expect((await dispatchPending(envDb(), mailer, () => new Date())).sent).toBe(0);
    const dd1 = (await emailsTo([MAIL.DD1])).filter((m) => m.subject.includes('扣减申诉处理结果'));
    expect(dd1).toHaveLength(3);
    const reversed = dd1.find((m) => m.body.text.includes('项目DD1-A'))!;
    expect(reversed.subject).toContain('1 项预算调整，合计 -200,000.00 元');
    expect(reversed.body.text).toContain('规则：申诉成立，冲回扣减');
    expect(reversed.body.text).toContain('冲回金额：200,000.00 元');
    expect(reversed.body.text).toContain('调整后预算：1,000,000.00 元');
    expect(reversed.body.text).toContain('处理意见：申诉理由成立');
    const upheld = dd1.find((m) => m.body.text.includes('申诉未获支持'))!;
    expect(upheld.body.text).toContain('扣减金额：80,000.00 元，维持原扣减。');
    const carry = dd1.find((m) => m.body.text.includes('结转资金'))!;
    expect(carry.body.text).toContain('调整后余额：50,000.00 元');
  });
});
