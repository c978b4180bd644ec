/**
 * Every route × every role × own/other department (SPEC §1). The catalog is the list of
 * routes: a route without a row here fails the completeness test. A refused request must
 * leave the table exactly as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../infra/catalog';
import { type Caller, call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { tableDigest } from '../support/table-digest';

type Who = 'own' | 'other' | 'finance' | 'performance' | 'expert' | 'anonymous';
const WHO: Who[] = ['own', 'other', 'finance', 'performance', 'expert', 'anonymous'];
const callers: Record<Who, Caller | null> = {
  own: dept('DA'),
  other: dept('DB'),
  finance,
  performance,
  expert,
  anonymous: null,
};

let seq = 0;
const fresh = (prefix: string) => `${prefix}-${++seq}`;

interface Row {
  /** The request for one caller; ids are fresh per call so successes do not collide. */
  request: (who: Who) => { method: string; path: string; body?: unknown };
  expect: Record<Who, number>;
}

const project = (projectId: string, deptId = 'DA') => ({
  projectId,
  year: 2020,
  deptId,
  level: 2 as const,
  parentId: 'PA-L1',
  name: '矩阵测试项目',
  category: 'other',
  domain: '教育',
  fundSource: 'general',
  budgetFen: 1_000_000,
});

export const MATRIX: Record<string, Row> = {
  'GET /health': {
    request: () => ({ method: 'GET', path: '/health' }),
    expect: { own: 200, other: 200, finance: 200, performance: 200, expert: 200, anonymous: 200 },
  },
  'PUT /v1/departments/{deptId}': {
    request: () => ({ method: 'PUT', path: `/v1/departments/${fresh('DX')}`, body: { name: '新部门', contactEmails: ['x@xm.gov.cn'] } }),
    expect: { own: 403, other: 403, finance: 403, performance: 201, expert: 403, anonymous: 401 },
  },
  'GET /v1/departments': {
    request: () => ({ method: 'GET', path: '/v1/departments' }),
    expect: { own: 200, other: 200, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/departments/{deptId}': {
    request: () => ({ method: 'GET', path: '/v1/departments/DA' }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/policies/{year}': {
    request: () => ({ method: 'GET', path: '/v1/policies/2020' }),
    expect: { own: 200, other: 200, finance: 200, performance: 200, expert: 200, anonymous: 401 },
  },
  'PUT /v1/policies/{year}': {
    request: () => ({ method: 'PUT', path: '/v1/policies/2031', body: { notifications: { appealDays: 10 + (++seq % 5) } } }),
    expect: { own: 403, other: 403, finance: 403, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/projects': {
    request: () => ({ method: 'POST', path: '/v1/projects', body: project(fresh('PM')) }),
    expect: { own: 201, other: 403, finance: 403, performance: 201, expert: 403, anonymous: 401 },
  },
  'GET /v1/projects': {
    request: (who) => ({ method: 'GET', path: `/v1/projects?year=2020${who === 'other' || who === 'own' ? '&deptId=DA' : ''}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/projects/{projectId}': {
    request: () => ({ method: 'GET', path: '/v1/projects/PA-1' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/projects/{projectId}/expenditures': {
    request: () => ({
      method: 'POST',
      path: '/v1/projects/PA-1/expenditures',
      body: { expenditureId: fresh('E'), date: '2020-05-01', amountFen: 100, kind: 'payment' },
    }),
    expect: { own: 201, other: 404, finance: 403, performance: 201, expert: 403, anonymous: 401 },
  },
  'GET /v1/projects/{projectId}/expenditures': {
    request: () => ({ method: 'GET', path: '/v1/projects/PA-1/expenditures' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/audit/{entity}/{id}': {
    request: () => ({ method: 'GET', path: '/v1/audit/project/PA-1' }),
    expect: { own: 403, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/jobs/{job}/runs': {
    request: () => ({ method: 'POST', path: '/v1/jobs/no-such-job/runs', body: { asOf: '2020-09-30' } }),
    // performance reaches the runner, which knows no such job.
    expect: { own: 403, other: 403, finance: 403, performance: 404, expert: 403, anonymous: 401 },
  },
  'GET /v1/jobs/{job}/runs': {
    request: () => ({ method: 'GET', path: '/v1/jobs/progress-reclaim/runs' }),
    expect: { own: 403, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/jobs/runs/{runId}': {
    request: () => ({ method: 'GET', path: '/v1/jobs/runs/NO-SUCH-RUN' }),
    expect: { own: 403, other: 403, finance: 404, performance: 404, expert: 403, anonymous: 401 },
  },
};

beforeAll(async () => {
  await setupTable();
  for (const id of ['DA', 'DB']) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name: `部门${id}`, contactEmails: [`${id}@xm.gov.cn`] })).status).toBe(201);
  }
  const l1 = { ...project('PA-L1'), level: 1, parentId: undefined, budgetFen: 0 };
  expect((await call(performance, 'POST', '/v1/projects', l1)).status).toBe(201);
  expect((await call(performance, 'POST', '/v1/projects', { ...project('PA-1'), budgetFen: 100_000_000 })).status).toBe(201);
});

describe('access matrix', () => {
  it('has a row for every route the stack serves', () => {
    const missing = allRoutes()
      .map((r) => r.routeKey)
      .filter((k) => !MATRIX[k]);
    expect(missing).toEqual([]);
  });

  for (const [routeKey, row] of Object.entries(MATRIX)) {
    it(`${routeKey}`, async () => {
      for (const who of WHO) {
        const req = row.request(who);
        const before = row.expect[who] >= 400 ? await tableDigest() : undefined;
        const res = await call(callers[who], req.method, req.path, req.body);
        expect({ who, status: res.status }).toEqual({ who, status: row.expect[who] });
        if (before) {
          // Refused: nothing changed (bar the audit of nothing).
          expect(await tableDigest()).toEqual(before);
          expect(res.body.error ?? res.body.message).toBeDefined();
        }
      }
    });
  }
});
