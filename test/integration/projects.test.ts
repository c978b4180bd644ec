import { beforeAll, describe, expect, it } from 'vitest';
import { call, dept, finance, performance, setupTable } from '../support/harness';

const Y = 2020;

beforeAll(async () => {
  await setupTable();
  for (const id of ['D01', 'D02']) {
    const res = await call(performance, 'PUT', `/v1/departments/${id}`, { name: `部门${id}`, contactEmails: [`${id.toLowerCase()}@xm.gov.cn`] });
    expect(res.status).toBe(201);
  }
});

const base = { year: Y, category: 'operations', domain: '教育', fundSource: 'general' } as const;

describe('projects and expenditures', () => {
  it('creates a level-1 with children, rolls up their budgets, and is idempotent by projectId', async () => {
    const l1 = { ...base, projectId: 'P-L1', deptId: 'D01', level: 1, name: '教育发展', budgetFen: 0 };
    expect((await call(dept('D01'), 'POST', '/v1/projects', l1)).status).toBe(201);
    const c1 = { ...base, projectId: 'P-L2a', deptId: 'D01', level: 2, parentId: 'P-L1', name: '校舍维修', budgetFen: 100_000_000 };
    const c2 = { ...base, projectId: 'P-L2b', deptId: 'D01', level: 2, parentId: 'P-L1', name: '教师培训', budgetFen: 23_456_789 };
    expect((await call(dept('D01'), 'POST', '/v1/projects', c1)).status).toBe(201);
    expect((await call(dept('D01'), 'POST', '/v1/projects', c2)).status).toBe(201);

    const again = await call(dept('D01'), 'POST', '/v1/projects', c1);
    expect(again.status).toBe(200);
    expect(again.body.budgetFen).toBe(100_000_000);
    const different = await call(dept('D01'), 'POST', '/v1/projects', { ...c1, budgetFen: 1 });
    expect(different.status).toBe(409);
    expect(different.body.error.code).toBe('ID_CONFLICT');

    const parent = await call(finance, 'GET', '/v1/projects/P-L1');
    expect(parent.body).toMatchObject({ budgetFen: 123_456_789, originalBudgetFen: 123_456_789, spentFen: 0, leaf: false, progressBp: 0 });
    expect(parent.body.children).toEqual(['P-L2a', 'P-L2b']);
  });

  it('books payments and refunds, refuses spending above the budget, and replays by expenditureId', async () => {
    const pay = { expenditureId: 'E1', date: '2020-03-15', amountFen: 60_000_000, kind: 'payment' };
    const first = await call(dept('D01'), 'POST', '/v1/projects/P-L2a/expenditures', pay);
    expect(first.status).toBe(201);
    expect(first.body.project).toMatchObject({ spentFen: 60_000_000, progressBp: 6000 });
    const replay = await call(dept('D01'), 'POST', '/v1/projects/P-L2a/expenditures', pay);
    expect(replay.status).toBe(200);
    expect(replay.body.project.spentFen).toBe(60_000_000);
    expect((await call(dept('D01'), 'POST', '/v1/projects/P-L2a/expenditures', { ...pay, amountFen: 1 })).status).toBe(409);

    const over = await call(dept('D01'), 'POST', '/v1/projects/P-L2a/expenditures', { ...pay, expenditureId: 'E2', amountFen: 40_000_001 });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('OVER_BUDGET');
    const exact = await call(dept('D01'), 'POST', '/v1/projects/P-L2a/expenditures', { ...pay, expenditureId: 'E3', amountFen: 40_000_000 });
    expect(exact.status).toBe(201);
    expect(exact.body.project.progressBp).toBe(10000);
    const refund = await call(dept('D01'), 'POST', '/v1/projects/P-L2a/expenditures', {
      expenditureId: 'R1',
      date: '2020-04-01',
      amountFen: 5_000_000,
      kind: 'refund',
    });
    expect(refund.status).toBe(201);
    expect(refund.body.project).toMatchObject({ spentFen: 95_000_000, progressBp: 9500 });

    const project = await call(performance, 'GET', '/v1/projects/P-L2a');
    expect(project.body.spentFen).toBe(95_000_000);
    const parent = await call(performance, 'GET', '/v1/projects/P-L1');
    expect(parent.body).toMatchObject({ spentFen: 95_000_000, budgetFen: 123_456_789, progressBp: 7695 });
  });

  it('hides another department’s projects and lists every field problem', async () => {
    expect((await call(dept('D02'), 'GET', '/v1/projects/P-L2a')).status).toBe(404);
    expect(
      (await call(dept('D02'), 'POST', '/v1/projects/P-L2a/expenditures', { expenditureId: 'X', date: '2020-05-01', amountFen: 1, kind: 'payment' })).status,
    ).toBe(404);
    const bad = await call(dept('D01'), 'POST', '/v1/projects', { projectId: '', year: 1990, level: 3, budgetFen: 1.5 });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.projectId', 'body.year', 'body.level', 'body.budgetFen', 'body.name', 'body.deptId']));
  });
});
