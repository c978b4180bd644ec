/**
 * Every route × every role × own/other department (SPEC §1). The catalog is the list of
 * routes: a route without a row here fails the completeness test. A refused request must
 * leave the table exactly as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../infra/catalog';
import { type Caller, call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { tableDigest } from '../support/table-digest';
import { TARGET_MATRIX_ROWS } from '../support/targets-matrix-rows';
import { FRONT_MATRIX_ROWS } from '../support/front-matrix-rows';
import { REPORT_MATRIX_ROWS } from '../support/reports-matrix-rows';
import { EVALUATION_MATRIX_ROWS, evaluationMatrixSetup } from '../support/evaluations-matrix-rows';

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
  'GET /openapi.json': {
    request: () => ({ method: 'GET', path: '/openapi.json' }),
    expect: { own: 200, other: 200, finance: 200, performance: 200, expert: 200, anonymous: 200 },
  },
  'GET /docs': {
    request: () => ({ method: 'GET', path: '/docs' }),
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
  // Monitoring (SPEC §3.5): the report rows run in this order (PUT files version 1, then 2).
  'PUT /v1/projects/{projectId}/monitoring/{checkpoint}': {
    request: () => ({
      method: 'PUT',
      path: '/v1/projects/PA-1/monitoring/06-30',
      body: { indicators: [{ name: '矩阵指标', direction: '>=', targetValue: 10, actualValue: 5, outlook: 'certain' }], note: fresh('N') },
    }),
    expect: { own: 201, other: 404, finance: 403, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/projects/{projectId}/monitoring/{checkpoint}': {
    request: () => ({ method: 'GET', path: '/v1/projects/PA-1/monitoring/06-30' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/projects/{projectId}/monitoring': {
    request: () => ({ method: 'GET', path: '/v1/projects/PA-1/monitoring' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/projects/{projectId}/suspension/lift': {
    request: () => ({ method: 'POST', path: '/v1/projects/PA-1/suspension/lift', body: { comment: '矩阵测试' } }),
    // performance reaches the project, which is not suspended.
    expect: { own: 403, other: 403, finance: 403, performance: 409, expert: 403, anonymous: 401 },
  },
  'GET /v1/snapshots/{year}/{checkpoint}': {
    request: (who) => ({ method: 'GET', path: `/v1/snapshots/2020/06-30${who === 'other' || who === 'own' ? '?deptId=DA' : ''}` }),
    // No snapshot has been taken in this table: whoever may read it is told so.
    expect: { own: 404, other: 403, finance: 404, performance: 404, expert: 403, anonymous: 401 },
  },
  // Idle-fund records (SPEC §3.8): a department writes and reads its own, finance reads, performance all.
  'PUT /v1/carryovers/{carryoverId}': {
    request: () => ({ method: 'PUT', path: `/v1/carryovers/${fresh('MX')}`, body: { deptId: 'DA', originYear: 2019, balanceFen: 1_000 } }),
    expect: { own: 201, other: 403, finance: 403, performance: 201, expert: 403, anonymous: 401 },
  },
  'GET /v1/carryovers': {
    request: (who) => ({ method: 'GET', path: `/v1/carryovers${who === 'other' || who === 'own' ? '?deptId=DA' : ''}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/carryovers/{carryoverId}': {
    request: () => ({ method: 'GET', path: '/v1/carryovers/MX-C1' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/carryovers/import': {
    request: () => ({ method: 'POST', path: '/v1/carryovers/import', body: `carryoverId,deptId,originYear,balanceFen\r\n${fresh('MXI')},DA,2019,100\r\n` }),
    expect: { own: 403, other: 403, finance: 403, performance: 200, expert: 403, anonymous: 401 },
  },
  'PUT /v1/payables/{payableId}': {
    request: () => ({
      method: 'PUT',
      path: `/v1/payables/${fresh('MX')}`,
      body: { deptId: 'DA', counterparty: '某公司', amountFen: 1_000, since: '2019-01-01' },
    }),
    expect: { own: 201, other: 403, finance: 403, performance: 201, expert: 403, anonymous: 401 },
  },
  'GET /v1/payables': {
    request: (who) => ({ method: 'GET', path: `/v1/payables${who === 'other' || who === 'own' ? '?deptId=DA' : ''}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/payables/{payableId}': {
    request: () => ({ method: 'GET', path: '/v1/payables/MX-P1' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/payables/import': {
    request: () => ({
      method: 'POST',
      path: '/v1/payables/import',
      body: `payableId,deptId,counterparty,amountFen,since\r\n${fresh('MXI')},DA,某公司,100,2019-01-01\r\n`,
    }),
    expect: { own: 403, other: 403, finance: 403, performance: 200, expert: 403, anonymous: 401 },
  },
  'PUT /v1/account-balances/{accountId}': {
    request: () => ({
      method: 'PUT',
      path: `/v1/account-balances/${fresh('MX')}`,
      body: { deptId: 'DA', unitName: '某单位', balanceFen: 1_000, lastMovementDate: '2019-01-01' },
    }),
    expect: { own: 201, other: 403, finance: 403, performance: 201, expert: 403, anonymous: 401 },
  },
  'GET /v1/account-balances': {
    request: (who) => ({ method: 'GET', path: `/v1/account-balances${who === 'other' || who === 'own' ? '?deptId=DA' : ''}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/account-balances/{accountId}': {
    request: () => ({ method: 'GET', path: '/v1/account-balances/MX-A1' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/account-balances/import': {
    request: () => ({
      method: 'POST',
      path: '/v1/account-balances/import',
      body: `accountId,deptId,unitName,balanceFen,lastMovementDate\r\n${fresh('MXI')},DA,某单位,100,2019-01-01\r\n`,
    }),
    expect: { own: 403, other: 403, finance: 403, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/idle-funds/sweeps/{year}': {
    request: () => ({ method: 'GET', path: '/v1/idle-funds/sweeps/2020' }),
    expect: { own: 403, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/pool/{year}': {
    request: () => ({ method: 'GET', path: '/v1/pool/2020' }),
    expect: { own: 403, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/pool/{year}/allocations': {
    request: () => ({
      method: 'POST',
      path: '/v1/pool/2020/allocations',
      body: { allocationId: fresh('AL'), projectId: 'PA-1', amountFen: 100, reason: '追加' },
    }),
    // performance reaches the pool, which this table leaves empty.
    expect: { own: 403, other: 403, finance: 403, performance: 409, expert: 403, anonymous: 401 },
  },
  'GET /v1/pool/{year}/allocations': {
    request: () => ({ method: 'GET', path: '/v1/pool/2020/allocations' }),
    expect: { own: 403, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/pool/{year}/allocations/{allocationId}': {
    request: () => ({ method: 'GET', path: '/v1/pool/2020/allocations/NO-SUCH' }),
    expect: { own: 403, other: 403, finance: 404, performance: 404, expert: 403, anonymous: 401 },
  },
  // Deductions ledger and exemptions (SPEC §3.6, §6); with real entries in deductions.test.ts
  // and exemptions.test.ts.
  'GET /v1/deductions': {
    request: (who) => ({ method: 'GET', path: `/v1/deductions?year=2020${who === 'other' || who === 'own' ? '&deptId=DA' : ''}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/deductions/{deductionId}': {
    request: () => ({ method: 'GET', path: '/v1/deductions/NO-SUCH' }),
    expect: { own: 404, other: 404, finance: 404, performance: 404, expert: 403, anonymous: 401 },
  },
  'POST /v1/deductions/{deductionId}/appeal': {
    request: () => ({ method: 'POST', path: '/v1/deductions/NO-SUCH/appeal', body: { reason: '矩阵测试' } }),
    expect: { own: 404, other: 404, finance: 403, performance: 403, expert: 403, anonymous: 401 },
  },
  'POST /v1/deductions/{deductionId}/decision': {
    request: () => ({ method: 'POST', path: '/v1/deductions/NO-SUCH/decision', body: { decision: 'uphold', comment: '矩阵测试' } }),
    expect: { own: 403, other: 403, finance: 403, performance: 404, expert: 403, anonymous: 401 },
  },
  'POST /v1/projects/{projectId}/exemptions': {
    request: () => ({ method: 'POST', path: '/v1/projects/PA-1/exemptions', body: { rule: 'PROGRESS_RECLAIM', reason: 'procurement' } }),
    // The 2020 checkpoint (09-30) is past: whoever may ask is told it is too late.
    expect: { own: 409, other: 404, finance: 403, performance: 409, expert: 403, anonymous: 401 },
  },
  'POST /v1/exemptions/{exemptionId}/decision': {
    request: () => ({ method: 'POST', path: '/v1/exemptions/NO-SUCH/decision', body: { decision: 'approve', comment: '矩阵测试' } }),
    expect: { own: 403, other: 403, finance: 403, performance: 404, expert: 403, anonymous: 401 },
  },
  'GET /v1/exemptions': {
    request: (who) => ({ method: 'GET', path: `/v1/exemptions?year=2020${who === 'other' || who === 'own' ? '&deptId=DA' : ''}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/exemptions/{exemptionId}': {
    request: () => ({ method: 'GET', path: '/v1/exemptions/NO-SUCH' }),
    expect: { own: 404, other: 404, finance: 404, performance: 404, expert: 403, anonymous: 401 },
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
  // Every role has an inbox (an expert's is empty until evaluations land); figures in inbox.test.ts.
  'GET /v1/inbox': {
    request: () => ({ method: 'GET', path: '/v1/inbox?year=2020' }),
    expect: { own: 200, other: 200, finance: 200, performance: 200, expert: 200, anonymous: 401 },
  },
  // Figures, isolation and the pool's refusal in exports.test.ts.
  'GET /v1/exports/{dataset}': {
    request: (who) => ({ method: 'GET', path: `/v1/exports/ledger?year=2020&format=csv${who === 'other' || who === 'own' ? '&deptId=DA' : ''}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
};

// The target rows build on each other and on PA-1's monitoring rows: they go last.
Object.assign(MATRIX, TARGET_MATRIX_ROWS);
Object.assign(MATRIX, FRONT_MATRIX_ROWS);
// Evaluation rows need PA-1's approved target: after the target rows.
Object.assign(MATRIX, EVALUATION_MATRIX_ROWS);
Object.assign(MATRIX, REPORT_MATRIX_ROWS);

beforeAll(async () => {
  await setupTable();
  for (const id of ['DA', 'DB']) {
    expect((await call(performance, 'PUT', `/v1/departments/${id}`, { name: `部门${id}`, contactEmails: [`${id}@xm.gov.cn`] })).status).toBe(201);
  }
  const l1 = { ...project('PA-L1'), level: 1, parentId: undefined, budgetFen: 0 };
  expect((await call(performance, 'POST', '/v1/projects', l1)).status).toBe(201);
  expect((await call(performance, 'POST', '/v1/projects', { ...project('PA-1'), budgetFen: 100_000_000 })).status).toBe(201);
  for (const [path, body] of [
    ['/v1/carryovers/MX-C1', { deptId: 'DA', originYear: 2019, balanceFen: 1_000 }],
    ['/v1/payables/MX-P1', { deptId: 'DA', counterparty: '某公司', amountFen: 1_000, since: '2019-01-01' }],
    ['/v1/account-balances/MX-A1', { deptId: 'DA', unitName: '某单位', balanceFen: 1_000, lastMovementDate: '2019-01-01' }],
  ] as const) {
    expect((await call(performance, 'PUT', path, body)).status).toBe(201);
  }
  await evaluationMatrixSetup();
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
