/**
 * SPEC §3.7 end to end: the 11-30 flag, the 12-31 cap, the next-year cuts, their emails, and
 * reruns that change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { poolTotals } from '../../shared/aws/pool';
import { projectsRepo } from '../../shared/aws/projects-repo';
import { call, finance, performance, setupTable } from '../support/harness';
import { emailsTo, envDb, project, putProjects } from '../support/ledger-fixtures';

const MAIL = { CP1: 'cp1@cap.test', CP2: 'cp2@cap.test' } as const;
const stored = (id: string) => projectsRepo(envDb()).get(id) as Promise<Record<string, any>>;

beforeAll(async () => {
  await setupTable();
  const db = envDb();
  for (const [deptId, mail] of Object.entries(MAIL)) {
    await departmentsRepo(db).putPlain({ deptId, name: `部门${deptId}`, contactEmails: [mail], version: 1, createdAt: '', updatedAt: '' });
  }
  const y = 2020;
  await putProjects(db, [
    project({ projectId: 'CAP-90', deptId: 'CP1', year: y, level: 1, budgetFen: 50_000_000, spentByDay: { '2020-11-30': 45_000_000 } }),
    project({
      projectId: 'CAP-1F',
      deptId: 'CP1',
      year: y,
      level: 1,
      budgetFen: 50_000_000,
      spentByDay: { '2020-11-01': 44_999_999, '2020-12-15': 1_000_001 },
    }),
    project({
      projectId: 'CAP-LATE',
      deptId: 'CP1',
      year: y,
      level: 1,
      budgetFen: 10_000_000,
      spentByDay: { '2020-05-01': 8_000_000, '2020-12-10': 1_500_000 },
    }),
    project({ projectId: 'CAP-ZERO', deptId: 'CP1', year: y, level: 1, budgetFen: 0 }),
    project({ projectId: 'CAP-CAN', deptId: 'CP2', year: y, level: 1, budgetFen: 10_000_000, status: 'cancelled' }),
    project({ projectId: 'CAP-L1', deptId: 'CP2', year: y, level: 1, budgetFen: 0, childCount: 1 }),
    project({ projectId: 'CAP-L1a', deptId: 'CP2', year: y, parentId: 'CAP-L1', budgetFen: 10_000_000, spentByDay: { '2020-04-01': 2_000_000 } }),
    // 9,500,000 paid, 1,000,000 refunded on 11-20 → 8,500,000 as of 11-30 (85%)
    project({
      projectId: 'CAP-REF',
      deptId: 'CP2',
      year: y,
      level: 1,
      budgetFen: 10_000_000,
      spentByDay: { '2020-06-01': 9_500_000, '2020-11-20': -1_000_000 },
    }),
    // next year
    project({ projectId: 'N-1F', deptId: 'CP1', year: 2021, level: 1, budgetFen: 60_000_000, continuesProjectId: 'CAP-1F' }),
    project({ projectId: 'N-LATE', deptId: 'CP1', year: 2021, level: 1, budgetFen: 9_000_000, continuesProjectId: 'CAP-LATE' }),
    project({ projectId: 'N-90', deptId: 'CP1', year: 2021, level: 1, budgetFen: 99_000_000, continuesProjectId: 'CAP-90' }),
    project({ projectId: 'N-L1', deptId: 'CP2', year: 2021, level: 1, budgetFen: 0, childCount: 2, continuesProjectId: 'CAP-REF' }),
    project({ projectId: 'N-L1a', deptId: 'CP2', year: 2021, parentId: 'N-L1', budgetFen: 6_000_000 }),
    project({ projectId: 'N-L1b', deptId: 'CP2', year: 2021, parentId: 'N-L1', budgetFen: 4_000_000 }),
    project({
      projectId: 'N-SPENT',
      deptId: 'CP2',
      year: 2021,
      level: 1,
      budgetFen: 5_000_000,
      continuesProjectId: 'CAP-L1a',
      spentByDay: { '2021-01-02': 3_000_000 },
    }),
  ]);
});

afterAll(async () => {
  await settle();
});

describe('progress-cap (SPEC §3.7)', () => {
  it('11-30: flags leaves below 90% (exactly 90% is not), records the figures, tells each department once', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/progress-cap/runs', { asOf: '2020-11-30' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary).toMatchObject({
      phase: 'flag',
      thresholdBp: 9000,
      projects: 7,
      flagged: 4,
      alreadyFlagged: 0,
      atOrAboveThreshold: 1,
      skippedZeroBudget: 1,
      skippedCancelled: 1,
      byDept: { CP1: { flagged: 2 }, CP2: { flagged: 2 } },
      emails: 2,
    });
    const p = await call(finance, 'GET', '/v1/projects/CAP-1F');
    expect(p.body.flags).toEqual(['NEXT_YEAR_AT_ACTUAL']);
    expect((await call(finance, 'GET', '/v1/projects/CAP-90')).body.flags).toEqual([]);
    expect((await call(finance, 'GET', '/v1/projects/CAP-L1')).body.flags).toEqual([]);
    expect((await stored('CAP-1F')).nextYearAtActual).toMatchObject({
      asOf: '2020-11-30',
      budgetFen: 50_000_000,
      spentAsOfFen: 44_999_999,
      progressBp: 8999,
      thresholdBp: 9000,
    });
    // payments dated after 11-30 do not count; refunds do by their date
    expect((await stored('CAP-LATE')).nextYearAtActual).toMatchObject({ spentAsOfFen: 8_000_000, progressBp: 8000 });
    expect((await stored('CAP-REF')).nextYearAtActual).toMatchObject({ spentAsOfFen: 8_500_000, progressBp: 8500 });

    await settle();
    const [cp1] = await emailsTo([MAIL.CP1]);
    expect(await emailsTo([MAIL.CP1])).toHaveLength(1);
    expect(cp1!.subject).toBe('【绩效管理】2020-11-30 支出进度低于要求按实际执行数安排（progress-cap）：2 项通知');
    expect(cp1!.body.text).toContain('【支出进度低于要求，下一年度按实际执行数安排预算】项目CAP-1F（CAP-1F）');
    expect(cp1!.body.text).toContain('截至 2020-11-30：预算 500,000.00 元，已支出 449,999.99 元，支出进度 89.99%，低于要求的 90.00%');
    expect(cp1!.body.text).not.toContain('CAP-90');
  });

  it('11-30 again: no flag twice, no email', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/progress-cap/runs', { asOf: '2020-11-30' });
    expect(res.body.summary).toMatchObject({ flagged: 0, alreadyFlagged: 4, emails: 0 });
    expect((await call(finance, 'GET', '/v1/projects/CAP-1F')).body.flags).toEqual(['NEXT_YEAR_AT_ACTUAL']);
  });

  it('12-31: caps flagged projects at the year’s actual spending and cuts next year’s continuations to it', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/progress-cap/runs', { asOf: '2020-12-31' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary).toMatchObject({
      phase: 'cap',
      flaggedSeen: 4,
      capped: 4,
      alreadyCapped: 0,
      // 46,000,000 + 9,500,000 + 2,000,000 + 8,500,000
      capFen: 66_000_000,
      nextYearProjects: 7,
      continuing: 4,
      withinCap: 1,
      deductions: 4,
      amountFen: 17_500_000,
      byDept: { CP1: { deductions: 1, amountFen: 14_000_000 }, CP2: { deductions: 3, amountFen: 3_500_000 } },
      emails: 2,
    });
    expect((await stored('CAP-1F')).nextYearCapFen).toBe(46_000_000);
    expect((await stored('CAP-LATE')).nextYearCapFen).toBe(9_500_000);
    const budgets = Object.fromEntries(
      await Promise.all(['N-1F', 'N-LATE', 'N-90', 'N-L1a', 'N-L1b', 'N-SPENT'].map(async (id) => [id, (await stored(id)).budgetFen])),
    );
    expect(budgets).toEqual({
      'N-1F': 46_000_000, // 60,000,000 cut by 14,000,000
      'N-LATE': 9_000_000, // below its cap of 9,500,000
      'N-90': 99_000_000, // CAP-90 was at exactly 90%: no cap
      'N-L1a': 5_100_000, // the level-1's cap 8,500,000 shared 6:4
      'N-L1b': 3_400_000,
      'N-SPENT': 3_000_000, // cap 2,000,000, but 3,000,000 already spent
    });
    const list = await call(performance, 'GET', '/v1/deductions?year=2020&rule=NEXT_YEAR_CAP');
    expect(list.body.items).toHaveLength(4);
    const d = list.body.items.find((x: { projectId: string }) => x.projectId === 'N-1F');
    expect(d).toMatchObject({
      deductionId: 'NEXT_YEAR_CAP~project~N-1F~2020-12-31',
      year: 2020,
      asOf: '2020-12-31',
      amountFen: 14_000_000,
      budgetBeforeFen: 60_000_000,
      budgetAfterFen: 46_000_000,
      figures: { capFen: 46_000_000, allowanceFen: 46_000_000, cappedProjectId: 'CAP-1F', cappedYear: 2020, flaggedProgressBp: 8999, thresholdBp: 9000 },
    });
    expect(list.body.items.find((x: { projectId: string }) => x.projectId === 'N-L1a').figures).toMatchObject({
      continuingProjectId: 'N-L1',
      capFen: 8_500_000,
      allowanceFen: 5_100_000,
    });
    const pool = await poolTotals(envDb(), 2020);
    expect(pool.byRule.NEXT_YEAR_CAP).toBe(17_500_000);

    await settle();
    const cp1 = await emailsTo([MAIL.CP1]);
    expect(cp1).toHaveLength(2);
    const cut = cp1.find((m) => m.subject.includes('2020-12-31'))!;
    expect(cut.subject).toContain('1 项预算调整，合计 140,000.00 元');
    expect(cut.body.text).toContain('规则：上年11月支出进度低于90%，按实际执行数安排预算');
    expect(cut.body.text).toContain('上年实际支出（预算上限）：460,000.00 元');
    expect(cut.body.text).toContain('调整后预算：460,000.00 元');
  });

  it('12-31 again: nothing changes and nothing is sent', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/progress-cap/runs', { asOf: '2020-12-31' });
    expect(res.body.summary).toMatchObject({ capped: 0, alreadyCapped: 4, deductions: 0, emails: 0 });
    expect((await stored('N-1F')).budgetFen).toBe(46_000_000);
    await settle();
    expect(await emailsTo(Object.values(MAIL))).toHaveLength(4);
  });

  it('runs only on its two dates', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/progress-cap/runs', { asOf: '2020-12-30' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].message).toBe('progress-cap runs as of 2020-11-30, 2020-12-31 in 2020');
  });
});
