/**
 * The idle-funds sweep through the jobs API against DynamoDB Local, a year of quarters with
 * figures: each rule at its boundary, reruns (0 new deductions, 0 emails), one email per
 * department per sweep, the pool and the stored sweep totals, and a 2019 policy of two years.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { idleRepo, recordRestoreChange } from '../../shared/aws/idle-funds-repo';
import { applyDeduction, getDeduction } from '../../shared/aws/ledger';
import type { Deduction } from '../../shared/domain/ledger';
import { depsFor, liveDb } from '../../functions/compose';
import { call, dept, finance, performance, setupTable } from '../support/harness';

const deps = depsFor(liveDb());
const db = liveDb();
const MAIL = { S01: 'sweep-s01@idle-sweep.test', S02: 'sweep-s02@idle-sweep.test' } as const;

async function sweep(asOf: string) {
  const res = await call(performance, 'POST', '/v1/jobs/idle-funds-sweep/runs', { asOf });
  expect(res.status).toBe(200);
  expect(res.body.status).toBe('succeeded');
  await settle();
  return res.body.summary;
}

async function pay(projectId: string, expenditureId: string, date: string, amountFen: number) {
  const res = await call(performance, 'POST', `/v1/projects/${projectId}/expenditures`, { expenditureId, date, amountFen, kind: 'payment' });
  expect(res.status).toBe(201);
}

async function mailsFor(asOf: string) {
  const res = await fetch(`${process.env.AWS_ENDPOINT_URL_SESV2}/store`);
  const { emails } = (await res.json()) as { emails: { subject: string; destination: { to: string[] }; body: { text: string } }[] };
  const ours = emails.filter((e) => e.subject.includes(`${asOf} 沉淀资金清理`) && e.destination.to.some((t) => t.endsWith('@idle-sweep.test')));
  return ours.map((e) => ({ to: e.destination.to[0], subject: e.subject, text: e.body.text }));
}

async function budget(projectId: string): Promise<number> {
  return (await call(performance, 'GET', `/v1/projects/${projectId}`)).body.budgetFen;
}

beforeAll(async () => {
  await setupTable();
  for (const id of ['S01', 'S02'] as const) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name: `清理部门${id}`, contactEmails: [MAIL[id]] })).status).toBe(201);
  }
  const project = (projectId: string, deptId: string, budgetFen: number, deferrable: boolean) => ({
    projectId,
    year: 2020,
    deptId,
    level: 1,
    name: `项目${projectId}`,
    category: 'infrastructure',
    domain: '城乡建设',
    fundSource: 'general',
    budgetFen,
    deferrable,
  });
  for (const p of [project('PD-1', 'S01', 100_000_000, true), project('PD-2', 'S02', 40_000_000, true), project('PN-1', 'S01', 50_000_000, false)]) {
    expect((await call(performance, 'POST', '/v1/projects', p)).status).toBe(201);
  }
  await pay('PD-1', 'E1', '2020-02-10', 10_000_000);
  const puts: [string, unknown][] = [
    ['/v1/carryovers/C-2018', { deptId: 'S01', originYear: 2018, balanceFen: 3_000_000 }],
    ['/v1/carryovers/C-2019', { deptId: 'S01', originYear: 2019, balanceFen: 2_000_000 }],
    ['/v1/carryovers/C-2020', { deptId: 'S02', originYear: 2020, balanceFen: 1_000_000 }],
    // Exactly three years on 2020-03-31, and three years and a day.
    ['/v1/payables/PY-3Y', { deptId: 'S01', counterparty: '某工程公司', amountFen: 500_000, since: '2017-03-31' }],
    ['/v1/payables/PY-3Y1D', { deptId: 'S02', counterparty: '某物业公司', amountFen: 600_000, since: '2017-03-30' }],
    // Exactly twelve months on 2020-03-31, and a day short of it.
    ['/v1/account-balances/AC-12M', { deptId: 'S02', unitName: '市某中心', balanceFen: 700_000, lastMovementDate: '2019-03-31' }],
    ['/v1/account-balances/AC-11M', { deptId: 'S01', unitName: '市某站', balanceFen: 800_000, lastMovementDate: '2019-04-01' }],
  ];
  for (const [path, body] of puts) expect((await call(performance, 'PUT', path, body)).status).toBe(201);
});

describe('idle-funds-sweep over 2020', () => {
  it('quarter 1: carryover 2018, the payable of 3 years and a day, the balance of exactly 12 months, deferrable lag', async () => {
    const s = await sweep('2020-03-31');
    expect(s).toMatchObject({ asOf: '2020-03-31', quarter: 1, deductions: 5, amountFen: 29_300_000, emails: 2 });
    expect(s.byRule).toEqual({
      CARRYOVER_RECLAIM: { deductions: 1, amountFen: 3_000_000 },
      STALE_PAYABLE_RECLAIM: { deductions: 1, amountFen: 600_000 },
      IDLE_BALANCE_RECLAIM: { deductions: 1, amountFen: 700_000 },
      // PD-1: 25% of 100,000,000 − 10,000,000 = 15,000,000; PD-2: 25% of 40,000,000 (quarter 1: lag only).
      DEFERRABLE_RECLAIM: { deductions: 2, amountFen: 25_000_000 },
    });
    expect(s.byDept).toEqual([
      {
        deptId: 'S01',
        deductions: 2,
        amountFen: 18_000_000,
        byRule: { CARRYOVER_RECLAIM: { deductions: 1, amountFen: 3_000_000 }, DEFERRABLE_RECLAIM: { deductions: 1, amountFen: 15_000_000 } },
      },
      {
        deptId: 'S02',
        deductions: 3,
        amountFen: 11_300_000,
        byRule: {
          STALE_PAYABLE_RECLAIM: { deductions: 1, amountFen: 600_000 },
          IDLE_BALANCE_RECLAIM: { deductions: 1, amountFen: 700_000 },
          DEFERRABLE_RECLAIM: { deductions: 1, amountFen: 10_000_000 },
        },
      },
    ]);
    expect(s.sweepTotals).toMatchObject({ deductions: 5, amountFen: 29_300_000 });
    // Only what can be due was read from the index: the 2019 and 2020 carryovers were not.
    expect(s.read).toMatchObject({ carryover: 1, payable: 1, account: 1, deferrableProjects: 2, projects: 3 });
    expect(s.cutoffs).toEqual({ carryover: '2019', payable: '2017-03-31', account: '2019-04-01' });

    expect(await budget('PD-1')).toBe(85_000_000);
    expect(await budget('PD-2')).toBe(30_000_000);
    expect(await budget('PN-1')).toBe(50_000_000);
    expect((await call(finance, 'GET', '/v1/payables/PY-3Y')).body).toMatchObject({ status: 'open', amountFen: 500_000 });
    expect((await call(finance, 'GET', '/v1/account-balances/AC-11M')).body).toMatchObject({ status: 'open', balanceFen: 800_000 });
    expect((await call(dept('S02'), 'GET', '/v1/account-balances/AC-12M')).body).toMatchObject({ status: 'reclaimed', balanceFen: 0, version: 2 });

    const entry = await getDeduction(db, 'DEFERRABLE_RECLAIM~project~PD-1~2020-03-31');
    expect(entry).toMatchObject({
      rule: 'DEFERRABLE_RECLAIM',
      year: 2020,
      deptId: 'S01',
      projectId: 'PD-1',
      amountFen: 15_000_000,
      budgetBeforeFen: 100_000_000,
      budgetAfterFen: 85_000_000,
      status: 'applied',
      figures: { quarter: 1, benchmarkBp: 2500, spentAsOfFen: 10_000_000, lagFen: 15_000_000, zeroSpend: false },
    });
    const payable = await getDeduction(db, 'STALE_PAYABLE_RECLAIM~payable~PY-3Y1D~2020-03-31');
    expect(payable).toMatchObject({
      payableId: 'PY-3Y1D',
      amountFen: 600_000,
      budgetBeforeFen: 600_000,
      budgetAfterFen: 0,
      figures: { since: '2017-03-30', limitDate: '2020-03-30' },
    });

    const pool = await call(finance, 'GET', '/v1/pool/2020');
    expect(pool.body).toMatchObject({
      balanceFen: 29_300_000,
      inFen: 29_300_000,
      outFen: 0,
      reversedFen: 0,
      byRule: { CARRYOVER_RECLAIM: 3_000_000, STALE_PAYABLE_RECLAIM: 600_000, IDLE_BALANCE_RECLAIM: 700_000, DEFERRABLE_RECLAIM: 25_000_000 },
    });

    const mails = await mailsFor('2020-03-31');
    expect(mails.map((m) => m.to).sort()).toEqual([MAIL.S01, MAIL.S02]);
    const s02 = mails.find((m) => m.to === MAIL.S02);
    expect(s02?.subject).toContain('3 项预算调整，合计 113,000.00 元');
    expect(s02?.text).toContain('往来款：应付往来款（某物业公司）（PY-3Y1D）');
    expect(s02?.text).toContain('单位实有账户资金：市某中心实有账户（AC-12M）');
    expect(s02?.text).toContain('调整前余额：7,000.00 元');
    expect(s02?.text).toContain('要求进度：25.00%');
  });

  it('a rerun of quarter 1 takes nothing and sends nothing', async () => {
    const s = await sweep('2020-03-31');
    expect(s).toMatchObject({ deductions: 0, amountFen: 0, emails: 0, alreadyApplied: 2 });
    // Reclaimed records left the sweep's index.
    expect(s.read).toMatchObject({ carryover: 0, payable: 0, account: 0 });
    expect(s.sweepTotals).toMatchObject({ deductions: 5, amountFen: 29_300_000 });
    expect((await call(finance, 'GET', '/v1/pool/2020')).body.inFen).toBe(29_300_000);
    expect(await mailsFor('2020-03-31')).toHaveLength(2);
  });

  it('a reclamation reversed on appeal gives the balance back, and the record stays out of later sweeps', async () => {
    const original = await getDeduction(db, 'IDLE_BALANCE_RECLAIM~account~AC-12M~2020-03-31');
    if (!original) throw new Error('no entry');
    const record = await idleRepo(db).get('account', 'AC-12M');
    if (!record) throw new Error('no record');
    const now = new Date().toISOString();
    const reversal: Deduction = {
      ...original,
      deductionId: `REVERSAL~${original.deductionId}`,
      rule: 'REVERSAL',
      amountFen: -original.amountFen,
      budgetBeforeFen: 0,
      budgetAfterFen: original.amountFen,
      reversesDeductionId: original.deductionId,
      createdAt: now,
    };
    const outcome = await applyDeduction(db, {
      deduction: reversal,
      targetChange: recordRestoreChange(db, record, {
        originalId: original.deductionId,
        reversalId: reversal.deductionId,
        amountFen: original.amountFen,
        now,
        actor: 'perf-officer',
      }),
      audit: { auditId: deps.ids.next(), actor: 'perf-officer', at: now },
    });
    expect(outcome).toBe('applied');
    expect((await call(finance, 'GET', '/v1/account-balances/AC-12M')).body).toMatchObject({ status: 'restored', balanceFen: 700_000, version: 3 });
    expect((await call(finance, 'GET', '/v1/pool/2020')).body).toMatchObject({ inFen: 29_300_000, reversedFen: 700_000, balanceFen: 28_600_000 });
    // The same feed again leaves it restored; only a changed body reopens it.
    const same = await call(performance, 'PUT', '/v1/account-balances/AC-12M', {
      deptId: 'S02',
      unitName: '市某中心',
      balanceFen: 700_000,
      lastMovementDate: '2019-03-31',
    });
    expect(same.body).toMatchObject({ status: 'restored', version: 3 });
  });

  it('quarter 2: the payable of exactly 3 years and the balance now idle; a deferrable project with nothing spent loses all', async () => {
    await pay('PD-1', 'E2', '2020-05-01', 20_000_000);
    const s = await sweep('2020-06-30');
    // PD-1: 50% of 85,000,000 − 30,000,000 = 12,500,000; PD-2: spent nothing → all 30,000,000.
    expect(s).toMatchObject({ quarter: 2, deductions: 4, amountFen: 500_000 + 800_000 + 12_500_000 + 30_000_000 });
    expect(s.byRule.DEFERRABLE_RECLAIM).toEqual({ deductions: 2, amountFen: 42_500_000 });
    expect(await budget('PD-1')).toBe(72_500_000);
    expect(await budget('PD-2')).toBe(0);
    const zero = await getDeduction(db, 'DEFERRABLE_RECLAIM~project~PD-2~2020-06-30');
    expect(zero).toMatchObject({ amountFen: 30_000_000, budgetBeforeFen: 30_000_000, budgetAfterFen: 0, figures: { zeroSpend: true, lagFen: 15_000_000 } });
  });

  it('quarters 3 and 4: the lag behind 75% and 100%; as of 12-31 the 2019 and 2018 carryovers go, 2020 stays', async () => {
    const q3 = await sweep('2020-09-30');
    // 75% of 72,500,000 = 54,375,000 − 30,000,000.
    expect(q3).toMatchObject({ deductions: 1, amountFen: 24_375_000, byRule: { DEFERRABLE_RECLAIM: { deductions: 1, amountFen: 24_375_000 } } });
    // A 2018 carryover reported late is due as well.
    expect((await call(performance, 'PUT', '/v1/carryovers/C-2018-late', { deptId: 'S02', originYear: 2018, balanceFen: 250_000 })).status).toBe(201);
    const q4 = await sweep('2020-12-31');
    // 100% of 48,125,000 − 30,000,000 = 18,125,000: the budget comes down to what was spent.
    expect(q4.byRule).toEqual({
      CARRYOVER_RECLAIM: { deductions: 2, amountFen: 2_250_000 },
      DEFERRABLE_RECLAIM: { deductions: 1, amountFen: 18_125_000 },
    });
    expect(await budget('PD-1')).toBe(30_000_000);
    expect((await call(finance, 'GET', '/v1/carryovers/C-2019')).body.status).toBe('reclaimed');
    expect((await call(finance, 'GET', '/v1/carryovers/C-2020')).body).toMatchObject({ status: 'open', balanceFen: 1_000_000 });

    const year = await call(finance, 'GET', '/v1/idle-funds/sweeps/2020');
    expect(year.body.sweeps.map((x: { asOf: string; amountFen: number }) => [x.asOf, x.amountFen])).toEqual([
      ['2020-03-31', 29_300_000],
      ['2020-06-30', 43_800_000],
      ['2020-09-30', 24_375_000],
      ['2020-12-31', 20_375_000],
    ]);
    expect(year.body.totals).toMatchObject({ deductions: 13, amountFen: 117_850_000 });
    expect(year.body.totals.byRule.DEFERRABLE_RECLAIM).toEqual({ deductions: 6, amountFen: 110_000_000 });
    const pool = await call(performance, 'GET', '/v1/pool/2020');
    expect(pool.body).toMatchObject({ inFen: 117_850_000, reversedFen: 700_000, balanceFen: 117_150_000 });
    // AC-12M, restored after 03-31, was not taken again.
    expect((await call(finance, 'GET', '/v1/account-balances/AC-12M')).body.status).toBe('restored');
    // PD-1's four quarters add up to its budget change: 100,000,000 → 30,000,000.
    expect(15_000_000 + 12_500_000 + 24_375_000 + 18_125_000).toBe(100_000_000 - 30_000_000);
  });

  it('applies the policy of the as-of year: 2019 gave carryovers two years', async () => {
    expect((await call(performance, 'PUT', '/v1/policies/2019', { idleFunds: { carryoverYears: 2 } })).status).toBe(200);
    for (const [id, originYear] of [
      ['C9-2017', 2017],
      ['C9-2018', 2018],
    ] as const) {
      expect((await call(performance, 'PUT', `/v1/carryovers/${id}`, { deptId: 'S01', originYear, balanceFen: 1_000 * originYear })).status).toBe(201);
    }
    const s = await sweep('2019-12-31');
    expect(s).toMatchObject({ deductions: 1, amountFen: 2_017_000, byRule: { CARRYOVER_RECLAIM: { deductions: 1, amountFen: 2_017_000 } } });
    expect((await call(finance, 'GET', '/v1/carryovers/C9-2018')).body.status).toBe('open');
    expect((await call(finance, 'GET', '/v1/pool/2019')).body).toMatchObject({ inFen: 2_017_000, byRule: { CARRYOVER_RECLAIM: 2_017_000 } });
  });

  it('refuses an as-of date that is not a quarter end', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/idle-funds-sweep/runs', { asOf: '2020-05-31' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].message).toBe('idle-funds-sweep runs as of 2020-03-31, 2020-06-30, 2020-09-30, 2020-12-31 in 2020');
  });
});
