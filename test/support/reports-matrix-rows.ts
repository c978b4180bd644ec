/**
 * Rows for test/integration/access-matrix.test.ts for the annual report and what-if routes
 * (SPEC §3.11). In this order: the public report is 404 to everyone until the publish row has
 * published it; the scenario GET reads what the POST wrote. Figures: test/integration/reports.test.ts.
 */
type Who = 'own' | 'other' | 'finance' | 'performance' | 'expert' | 'anonymous';
interface Row {
  request: (who: Who) => { method: string; path: string; body?: unknown };
  expect: Record<Who, number>;
}

const onlyPerformance = (status: number) => ({ own: 403, other: 403, finance: 403, performance: status, expert: 403, anonymous: 401 });
const bureau = { own: 403, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 };
const nobody = { own: 404, other: 404, finance: 404, performance: 404, expert: 404, anonymous: 404 };

export const REPORT_MATRIX_ROWS: Record<string, Row> = {
  'GET /v1/reports/{year}/annual': { request: () => ({ method: 'GET', path: '/v1/reports/2020/annual' }), expect: bureau },
  'GET /v1/public/{year}/annual': { request: () => ({ method: 'GET', path: '/v1/public/2020/annual' }), expect: nobody },
  'POST /v1/reports/{year}/annual/publish': { request: () => ({ method: 'POST', path: '/v1/reports/2020/annual/publish' }), expect: onlyPerformance(201) },
  'POST /v1/scenarios': {
    request: () => ({ method: 'POST', path: '/v1/scenarios', body: { scenarioId: 'matrix-1', year: 2020, policy: { progressReclaim: { ratioBp: 5000 } } } }),
    expect: onlyPerformance(201),
  },
  'GET /v1/scenarios/{scenarioId}': { request: () => ({ method: 'GET', path: '/v1/scenarios/matrix-1' }), expect: onlyPerformance(200) },
};
