/**
 * Rows for test/integration/access-matrix.test.ts (fixtures: departments DA and DB, project PA-1
 * of DA, year 2020) for the ex-ante, ranking and clean-up routes (SPEC §3.1–§3.3). Add them after
 * the target rows (`Object.assign(MATRIX, FRONT_MATRIX_ROWS)`): the assessment PA-1 gets here
 * supports it (8000 bp), so nothing the target rows check changes. In this order: the GET rows
 * read what the PUT/POST rows before them wrote. The figures are in test/integration/front.test.ts.
 */
type Who = 'own' | 'other' | 'finance' | 'performance' | 'expert' | 'anonymous';
interface Row {
  request: (who: Who) => { method: string; path: string; body?: unknown };
  expect: Record<Who, number>;
}

const onlyPerformance = (status: number) => ({ own: 403, other: 403, finance: 403, performance: status, expert: 403, anonymous: 401 });
const projectReaders = { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 };
const bureau = { own: 403, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 };
const domain = encodeURIComponent('教育');
const eighty = { standard: 80, inputOutput: 80, goals: 80, affordability: 80, sustainability: 80 };

export const FRONT_MATRIX_ROWS: Record<string, Row> = {
  'PUT /v1/projects/{projectId}/ex-ante': {
    request: () => ({ method: 'PUT', path: '/v1/projects/PA-1/ex-ante', body: { remit: true, scores: eighty, comments: '矩阵测试' } }),
    expect: onlyPerformance(201),
  },
  'GET /v1/projects/{projectId}/ex-ante': { request: () => ({ method: 'GET', path: '/v1/projects/PA-1/ex-ante' }), expect: projectReaders },
  'GET /v1/projects/{projectId}/ex-ante/history': { request: () => ({ method: 'GET', path: '/v1/projects/PA-1/ex-ante/history' }), expect: projectReaders },
  'PUT /v1/departments/{deptId}/rankings/{year}': {
    // DA has no new projects in the fixtures: the complete order is the empty one.
    request: () => ({ method: 'PUT', path: '/v1/departments/DA/rankings/2020', body: { projectIds: [] } }),
    expect: { own: 201, other: 403, finance: 403, performance: 403, expert: 403, anonymous: 401 },
  },
  'GET /v1/departments/{deptId}/rankings/{year}': {
    request: () => ({ method: 'GET', path: '/v1/departments/DA/rankings/2020' }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/rankings/{year}/{domain}/rounds': {
    request: () => ({ method: 'POST', path: `/v1/rankings/2020/${domain}/rounds`, body: { capFen: 1_000 } }),
    expect: onlyPerformance(201),
  },
  'GET /v1/rankings/{year}/{domain}': { request: () => ({ method: 'GET', path: `/v1/rankings/2020/${domain}` }), expect: bureau },
  'GET /v1/cleanup/{year}/candidates': {
    request: (who) => ({ method: 'GET', path: `/v1/cleanup/2020/candidates${who === 'other' ? '?deptId=DA' : ''}` }),
    // No scan has run in this table: whoever may read is told so.
    expect: { own: 404, other: 403, finance: 404, performance: 404, expert: 403, anonymous: 401 },
  },
  'GET /v1/cleanup/{year}/totals': { request: () => ({ method: 'GET', path: '/v1/cleanup/2020/totals' }), expect: bureau },
  'POST /v1/projects/{projectId}/cancel': {
    request: () => ({ method: 'POST', path: '/v1/projects/NO-SUCH/cancel', body: { reason: '矩阵测试' } }),
    expect: onlyPerformance(404),
  },
};
