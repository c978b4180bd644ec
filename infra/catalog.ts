/**
 * Which function serves which routes: the one list the CDK stack wires into API Gateway and
 * the local adapter routes by. Pure data, no CDK imports, so local/ and tests can read it.
 * A test checks that every route listed here is handled by its function, and no more.
 */
export interface HttpFunctionSpec {
  /** The entry file, relative to the repository root; it exports `handler`. */
  entry: string;
  routes: string[];
  memoryMb?: number;
  timeoutSeconds?: number;
  /** Routes of this function that need no token. */
  publicRoutes?: string[];
  /** Files (relative to the repository root) copied beside the bundle, read at run time. */
  files?: string[];
}

export const HTTP_FUNCTIONS = {
  health: { entry: 'functions/http/health.ts', routes: ['GET /health'], publicRoutes: ['GET /health'] },
  // The contract (docs/openapi.json) and its reference page; Swagger UI's files ship beside it.
  openapi: {
    entry: 'functions/http/openapi.ts',
    routes: ['GET /openapi.json', 'GET /docs'],
    publicRoutes: ['GET /openapi.json', 'GET /docs'],
    files: ['node_modules/swagger-ui-dist/swagger-ui-bundle.js', 'node_modules/swagger-ui-dist/swagger-ui.css'],
  },
  departments: {
    entry: 'functions/http/departments.ts',
    routes: ['PUT /v1/departments/{deptId}', 'GET /v1/departments', 'GET /v1/departments/{deptId}'],
  },
  policies: { entry: 'functions/http/policies.ts', routes: ['GET /v1/policies/{year}', 'PUT /v1/policies/{year}'] },
  projects: {
    entry: 'functions/http/projects.ts',
    routes: [
      'POST /v1/projects',
      'GET /v1/projects',
      'GET /v1/projects/{projectId}',
      'POST /v1/projects/{projectId}/expenditures',
      'GET /v1/projects/{projectId}/expenditures',
    ],
  },
  audit: { entry: 'functions/http/audit.ts', routes: ['GET /v1/audit/{entity}/{id}'] },
  indicators: {
    entry: 'functions/http/indicators.ts',
    routes: ['GET /v1/indicators', 'GET /v1/indicators/summary', 'GET /v1/indicators/export', 'POST /v1/indicators/import'],
    // A 3,000-row XLSX is parsed and written in one request: memory buys CPU.
    memoryMb: 1024,
    timeoutSeconds: 29,
  },
  targets: {
    entry: 'functions/http/targets.ts',
    routes: [
      'PUT /v1/projects/{projectId}/target',
      'GET /v1/projects/{projectId}/target',
      'GET /v1/projects/{projectId}/target/history',
      'POST /v1/projects/{projectId}/target/submit',
      'POST /v1/projects/{projectId}/target/review',
      'PUT /v1/departments/{deptId}/targets/{year}',
      'GET /v1/departments/{deptId}/targets/{year}',
      'GET /v1/departments/{deptId}/targets/{year}/history',
      'POST /v1/departments/{deptId}/targets/{year}/submit',
      'POST /v1/departments/{deptId}/targets/{year}/review',
      'GET /v1/targets',
      'GET /v1/public/{year}/targets',
    ],
    publicRoutes: ['GET /v1/public/{year}/targets'],
    timeoutSeconds: 29,
  },
  monitoring: {
    entry: 'functions/http/monitoring.ts',
    routes: [
      'PUT /v1/projects/{projectId}/monitoring/{checkpoint}',
      'GET /v1/projects/{projectId}/monitoring/{checkpoint}',
      'GET /v1/projects/{projectId}/monitoring',
      'POST /v1/projects/{projectId}/suspension/lift',
      'GET /v1/snapshots/{year}/{checkpoint}',
    ],
  },
  deductions: {
    entry: 'functions/http/deductions.ts',
    routes: [
      'GET /v1/deductions',
      'GET /v1/deductions/{deductionId}',
      'POST /v1/deductions/{deductionId}/appeal',
      'POST /v1/deductions/{deductionId}/decision',
    ],
  },
  exemptions: {
    entry: 'functions/http/exemptions.ts',
    routes: [
      'POST /v1/projects/{projectId}/exemptions',
      'POST /v1/exemptions/{exemptionId}/decision',
      'GET /v1/exemptions',
      'GET /v1/exemptions/{exemptionId}',
    ],
  },
  idleFundsImport: {
    entry: 'functions/http/idle-funds-import.ts',
    routes: ['POST /v1/carryovers/import', 'POST /v1/payables/import', 'POST /v1/account-balances/import'],
    // Imports parse up to 20,000 rows (CSV or XLSX) and write them in one request.
    memoryMb: 1024,
    timeoutSeconds: 29,
  },
  idleFunds: {
    entry: 'functions/http/idle-funds.ts',
    routes: [
      'PUT /v1/carryovers/{carryoverId}',
      'GET /v1/carryovers',
      'GET /v1/carryovers/{carryoverId}',
      'PUT /v1/payables/{payableId}',
      'GET /v1/payables',
      'GET /v1/payables/{payableId}',
      'PUT /v1/account-balances/{accountId}',
      'GET /v1/account-balances',
      'GET /v1/account-balances/{accountId}',
      'GET /v1/idle-funds/sweeps/{year}',
    ],
  },
  pool: {
    entry: 'functions/http/pool.ts',
    routes: ['GET /v1/pool/{year}', 'POST /v1/pool/{year}/allocations', 'GET /v1/pool/{year}/allocations', 'GET /v1/pool/{year}/allocations/{allocationId}'],
  },
  exAnte: {
    entry: 'functions/http/ex-ante.ts',
    routes: ['PUT /v1/projects/{projectId}/ex-ante', 'GET /v1/projects/{projectId}/ex-ante', 'GET /v1/projects/{projectId}/ex-ante/history'],
  },
  rankings: {
    entry: 'functions/http/rankings.ts',
    routes: [
      'PUT /v1/departments/{deptId}/rankings/{year}',
      'GET /v1/departments/{deptId}/rankings/{year}',
      'POST /v1/rankings/{year}/{domain}/rounds',
      'GET /v1/rankings/{year}/{domain}',
    ],
  },
  cleanup: {
    entry: 'functions/http/cleanup.ts',
    routes: ['GET /v1/cleanup/{year}/candidates', 'GET /v1/cleanup/{year}/totals', 'POST /v1/projects/{projectId}/cancel'],
    // A level-1 cancel cuts each leaf in turn.
    timeoutSeconds: 29,
  },
  selfEvaluations: {
    entry: 'functions/http/self-evaluations.ts',
    routes: [
      'PUT /v1/projects/{projectId}/self-evaluation',
      'GET /v1/projects/{projectId}/self-evaluation',
      'GET /v1/projects/{projectId}/self-evaluation/history',
      'POST /v1/projects/{projectId}/self-evaluation/submit',
      'POST /v1/projects/{projectId}/self-evaluation/review',
      'GET /v1/self-evaluations',
      'POST /v1/departments/{deptId}/self-evaluations/{year}/publish',
      'GET /v1/public/{year}/self-evaluations',
    ],
    publicRoutes: ['GET /v1/public/{year}/self-evaluations'],
  },
  evaluations: {
    entry: 'functions/http/evaluations.ts',
    routes: [
      'POST /v1/evaluations',
      'GET /v1/evaluations',
      'GET /v1/evaluations/summary/{year}',
      'GET /v1/evaluations/{evaluationId}',
      'PUT /v1/evaluations/{evaluationId}/scores',
      'POST /v1/evaluations/{evaluationId}/finalize',
      'GET /v1/suggestions',
      'PUT /v1/suggestions/{suggestionId}/rectification',
      'POST /v1/suggestions/{suggestionId}/review',
      'GET /v1/results/{year}/proposals',
      'POST /v1/results/{year}/proposals/{proposalId}/decision',
    ],
    // Confirming a results proposal cuts every continuing leaf, one transaction each.
    timeoutSeconds: 29,
  },
  jobs: {
    entry: 'functions/http/jobs.ts',
    routes: ['POST /v1/jobs/{job}/runs', 'GET /v1/jobs/{job}/runs', 'GET /v1/jobs/runs/{runId}'],
    timeoutSeconds: 29,
  },
  // One part of an export (≤ ~4 MB) is written row by row from repository pages, deflated as it goes.
  exports: { entry: 'functions/http/exports.ts', routes: ['GET /v1/exports/{dataset}'], memoryMb: 1024, timeoutSeconds: 29 },
  // Reads several areas' lists (up to 2,000 rows each) to say what waits for the caller.
  inbox: { entry: 'functions/http/inbox.ts', routes: ['GET /v1/inbox'], timeoutSeconds: 29 },
  // The annual report reads a whole year (and renders XLSX); what-if reruns it twice in memory.
  reports: {
    entry: 'functions/http/reports.ts',
    routes: [
      'GET /v1/reports/{year}/annual',
      'POST /v1/reports/{year}/annual/publish',
      'GET /v1/public/{year}/annual',
      'POST /v1/scenarios',
      'GET /v1/scenarios/{scenarioId}',
    ],
    publicRoutes: ['GET /v1/public/{year}/annual'],
    memoryMb: 1024,
    timeoutSeconds: 29,
  },
} satisfies Record<string, HttpFunctionSpec>;

export type HttpFunctionName = keyof typeof HTTP_FUNCTIONS;

export interface RouteEntry {
  routeKey: string;
  method: string;
  path: string;
  fn: HttpFunctionName;
  isPublic: boolean;
}

export function allRoutes(): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const [fn, spec] of Object.entries(HTTP_FUNCTIONS) as [HttpFunctionName, HttpFunctionSpec][]) {
    for (const routeKey of spec.routes) {
      const [method, path] = routeKey.split(' ') as [string, string];
      out.push({ routeKey, method, path, fn, isPublic: (spec.publicRoutes ?? []).includes(routeKey) });
    }
  }
  return out;
}

/** A function invoked by a schedule, the jobs API or a queue, not by API Gateway. */
export interface JobFunctionSpec {
  entry: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** The export Lambda calls (default `handler`). */
  handler?: string;
  /** Invoked by the event source mapping of this queue of the shard queue (infra/constructs/job-shards.ts), never asynchronously. */
  consumes?: 'shards' | 'shardDeadLetters';
}

/** Functions invoked by schedules, the jobs API or the shard queue, not by API Gateway. */
export const JOB_FUNCTIONS = {
  /** Runs any job of SPEC §5 for an as-of date; the event names the job. */
  runner: { entry: 'functions/jobs/runner.ts', memoryMb: 1024, timeoutSeconds: 900 },
  /** Sends what the outbox holds; retries what failed. */
  outbox: { entry: 'functions/jobs/outbox.ts', memoryMb: 512, timeoutSeconds: 300 },
  /** Does one shard of a fanned-out run (shared/app/jobs/fanout.ts), from the shard queue. */
  shards: { entry: 'functions/jobs/shards.ts', memoryMb: 1024, timeoutSeconds: 900, consumes: 'shards' },
  /** Ends the run of a shard message that failed every delivery, from the shard queue's dead letters. */
  shardFailures: { entry: 'functions/jobs/shards.ts', handler: 'failedHandler', memoryMb: 256, timeoutSeconds: 60, consumes: 'shardDeadLetters' },
} satisfies Record<string, JobFunctionSpec>;

export type JobFunctionName = keyof typeof JOB_FUNCTIONS;

/**
 * The shard queue of fanned-out runs (infra/constructs/job-shards.ts, local/queue-emulator.ts):
 * 16 shards (the leaf index's), a message dead-lettered after 3 receives, a visibility timeout
 * of 6× the worker's timeout.
 */
export const JOB_SHARDS = { shards: 16, maxReceiveCount: 3, visibilityPerTimeout: 6 } as const;
