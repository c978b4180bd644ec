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
}

export const HTTP_FUNCTIONS = {
  health: { entry: 'functions/http/health.ts', routes: ['GET /health'], publicRoutes: ['GET /health'] },
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
  jobs: {
    entry: 'functions/http/jobs.ts',
    routes: ['POST /v1/jobs/{job}/runs', 'GET /v1/jobs/{job}/runs', 'GET /v1/jobs/runs/{runId}'],
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

/** Functions invoked by schedules (and by the jobs API), not by API Gateway. */
export const JOB_FUNCTIONS = {
  /** Runs any job of SPEC §5 for an as-of date; the event names the job. */
  runner: { entry: 'functions/jobs/runner.ts', memoryMb: 1024, timeoutSeconds: 900 },
  /** Sends what the outbox holds; retries what failed. */
  outbox: { entry: 'functions/jobs/outbox.ts', memoryMb: 512, timeoutSeconds: 300 },
} satisfies Record<string, { entry: string; memoryMb: number; timeoutSeconds: number }>;

export type JobFunctionName = keyof typeof JOB_FUNCTIONS;
