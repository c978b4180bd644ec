/**
 * GET /v1/public/{year}/targets: what is published, and nothing else, with the year's coverage.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, dept, finance, performance, setupTable } from '../support/harness';

const LIBRARY = [
  'code,scope,category,domain,fundUse,level1,level2,name,unit,direction,benchmark',
  'P-OUT,general,公开测试,,,output,quantity,建成公园数量,个,>=,2',
  'P-BEN,general,公开测试,,,benefit,social,惠及居民人数,万人,>=,',
].join('\n');

/** Three parks at 1,000,000 fen each match a 3,000,000 fen project; a department gives no cost figures. */
const target = (goal: string, cost = true) => ({
  goal,
  indicators: [
    { code: 'P-OUT', targetValue: 3, ...(cost ? { unitCostFen: 1_000_000, quantity: 3 } : {}) },
    { code: 'P-BEN', targetValue: 12.5 },
    { level1: 'satisfaction', level2: 'service-object', name: '居民满意度', unit: '%', direction: '>=', targetValue: 90 },
  ],
});

async function approve(path: string, owner: string, goal: string) {
  expect((await call(dept(owner), 'PUT', path, target(goal, path.includes('/projects/')))).status).toBe(201);
  expect((await call(dept(owner), 'POST', `${path}/submit`)).status).toBe(200);
  expect((await call(finance, 'POST', `${path}/review`, { decision: 'approve', grade: '优' })).body.status).toBe('approved');
}

const publicIndicators = [
  { code: 'P-OUT', level1: 'output', level2: 'quantity', name: '建成公园数量', unit: '个', direction: '>=', targetValue: 3 },
  { code: 'P-BEN', level1: 'benefit', level2: 'social', name: '惠及居民人数', unit: '万人', direction: '>=', targetValue: 12.5 },
  { level1: 'satisfaction', level2: 'service-object', name: '居民满意度', unit: '%', direction: '>=', targetValue: 90 },
];

beforeAll(async () => {
  await setupTable();
  for (const id of ['D1', 'D2', 'D3']) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name: `部门${id}`, contactEmails: [`${id.toLowerCase()}@xm.gov.cn`] })).status).toBe(201);
  }
  expect((await call(performance, 'POST', '/v1/indicators/import', LIBRARY, { 'content-type': 'text/csv' })).status).toBe(200);
  const p = { year: 2020, category: 'policy', domain: '城乡建设', fundSource: 'general', level: 1 } as const;
  for (const body of [
    { ...p, projectId: 'PA', deptId: 'D1', name: '口袋公园建设', budgetFen: 3_000_000 },
    { ...p, projectId: 'PB', deptId: 'D1', name: '绿道建设', budgetFen: 0 },
    { ...p, projectId: 'PB1', deptId: 'D1', level: 2, parentId: 'PB', name: '绿道一期', budgetFen: 3_000_000 },
    { ...p, projectId: 'PC', deptId: 'D2', name: '城市照明', budgetFen: 3_000_000 },
  ]) {
    expect((await call(performance, 'POST', '/v1/projects', body)).status).toBe(201);
  }
});

describe('GET /v1/public/{year}/targets', () => {
  it('answers an empty list, with the department count, until a target is approved', async () => {
    const res = await call(null, 'GET', '/v1/public/2020/targets');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ year: 2020, items: [], coverage: { departments: 3, published: 0 } });
  });

  it('shows approved department-overall and level-1 targets only, with public fields only', async () => {
    await approve('/v1/departments/D1/targets/2020', 'D1', '部门整体：完善城市公园体系');
    await approve('/v1/projects/PA/target', 'D1', '建成 3 个口袋公园');
    await approve('/v1/projects/PB1/target', 'D1', '绿道一期（二级项目，不公开）');
    // Submitted, returned, draft: not published.
    await call(dept('D1'), 'PUT', '/v1/projects/PB/target', target('绿道建设（待审）'));
    await call(dept('D1'), 'POST', '/v1/projects/PB/target/submit');
    await call(dept('D2'), 'PUT', '/v1/projects/PC/target', target('城市照明（退回）'));
    await call(dept('D2'), 'POST', '/v1/projects/PC/target/submit');
    await call(finance, 'POST', '/v1/projects/PC/target/review', { decision: 'return', grade: '中', comments: '请细化' });
    await call(dept('D2'), 'PUT', '/v1/departments/D2/targets/2020', target('D2 草稿', false));
    // Another year's approval stays in its year.
    await approve('/v1/departments/D3/targets/2021', 'D3', '2021 年部门整体目标');

    const res = await call(null, 'GET', '/v1/public/2020/targets');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      year: 2020,
      items: [
        { kind: 'department', deptId: 'D1', goal: '部门整体：完善城市公园体系', indicators: publicIndicators },
        { kind: 'project', deptId: 'D1', projectId: 'PA', goal: '建成 3 个口袋公园', indicators: publicIndicators },
      ],
      coverage: { departments: 3, published: 1 },
    });
    const text = JSON.stringify(res.body);
    for (const internal of ['unitCostFen', 'quantity', 'benchmark', 'lint', 'grade', 'version', 'budgetFen', 'source'])
      expect(text).not.toContain(`"${internal}":`);

    const y2021 = await call(null, 'GET', '/v1/public/2021/targets');
    expect(y2021.body.items.map((i: { deptId: string }) => i.deptId)).toEqual(['D3']);
    expect(y2021.body.coverage).toEqual({ departments: 3, published: 1 });
  });

  it('counts every department once all have approved department-overall targets', async () => {
    await call(dept('D2'), 'POST', '/v1/departments/D2/targets/2020/submit');
    await call(performance, 'POST', '/v1/departments/D2/targets/2020/review', { decision: 'approve', grade: '良' });
    await approve('/v1/departments/D3/targets/2020', 'D3', 'D3 部门整体');
    const res = await call(null, 'GET', '/v1/public/2020/targets?limit=2');
    expect(res.body.coverage).toEqual({ departments: 3, published: 3 });
    expect(res.body.items).toHaveLength(2);
    const next = await call(null, 'GET', `/v1/public/2020/targets?nextToken=${res.body.nextToken}`);
    expect([...res.body.items, ...next.body.items].map((i: { deptId: string; projectId?: string }) => i.projectId ?? i.deptId)).toEqual([
      'D1',
      'D2',
      'D3',
      'PA',
    ]);
  });

  it('refuses a bad year with 400', async () => {
    expect((await call(null, 'GET', '/v1/public/20x0/targets')).status).toBe(400);
  });
});
