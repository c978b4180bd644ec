/**
 * Performance targets: projects' and departments' overall, their review, and publication.
 * Department officers act on their own department's targets; finance and performance review;
 * experts have no access; the public sees only GET /v1/public/{year}/targets.
 */
import * as z from '../../shared/domain/zod';
import { publishedTargets, reviewTarget, saveTarget, submitTarget, getTarget, listTargets, type TargetDeps, targetHistory } from '../../shared/app/targets';
import { config } from '../../shared/aws/clients';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { reviewBody, TARGET_STATUSES, targetBody } from '../../shared/domain/targets';
import { localeOf, localizeLint } from '../../shared/domain/messages';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const projectParams = z.object({ projectId: idSchema });
const year = z.pipe(z.coerce.number(), yearSchema);
const deptParams = z.object({ deptId: idSchema, year });
const yearParams = z.object({ year });
const listQuery = z.strictObject({
  year,
  status: z.optional(z.enum(TARGET_STATUSES as [string, ...string[]])),
  deptId: z.optional(idSchema),
  kind: z.optional(z.enum(['project', 'department'])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  nextToken: z.optional(z.string().check(z.maxLength(2048))),
});
const publicQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 1000),
  nextToken: z.optional(z.string().check(z.maxLength(2048))),
});

const WRITERS = ['department', 'performance'] as const;
const READERS = ['department', 'finance', 'performance'] as const;
const REVIEWERS = ['finance', 'performance'] as const;

/** A target's lint in the caller's language (Accept-Language; Chinese by default). */
const spoken = <T>(headers: Record<string, string | undefined>, body: T): T => localizeLint(body, localeOf(headers['accept-language']));

export function makeHandler(deps: TargetDeps) {
  const project = (p: { projectId: string }) => ({ kind: 'project' as const, projectId: p.projectId });
  const dept = (p: { deptId: string; year: number }) => ({ kind: 'department' as const, deptId: p.deptId, year: p.year });
  return httpFunction({
    'PUT /v1/projects/{projectId}/target': route({
      response: R.upsert(R.targetView),
      access: WRITERS,
      params: projectParams,
      body: targetBody,
      handle: async (req) => {
        const out = await saveTarget(deps, req.principal, project(req.params), req.body);
        return json(out.status, spoken(req.headers, out.target));
      },
    }),
    'GET /v1/projects/{projectId}/target': route({
      response: R.targetView,
      access: READERS,
      params: projectParams,
      handle: async (req) => ok(spoken(req.headers, await getTarget(deps, req.principal, project(req.params)))),
    }),
    'GET /v1/projects/{projectId}/target/history': route({
      response: R.history,
      access: READERS,
      params: projectParams,
      handle: async (req) => ok(await targetHistory(deps, req.principal, project(req.params))),
    }),
    'POST /v1/projects/{projectId}/target/submit': route({
      response: R.targetView,
      access: WRITERS,
      idempotency: deps,
      params: projectParams,
      handle: async (req) => ok(spoken(req.headers, await submitTarget(deps, req.principal, project(req.params)))),
    }),
    'POST /v1/projects/{projectId}/target/review': route({
      response: R.targetView,
      access: REVIEWERS,
      idempotency: deps,
      params: projectParams,
      body: reviewBody,
      handle: async (req) => ok(await reviewTarget(deps, req.principal, project(req.params), req.body)),
    }),
    'PUT /v1/departments/{deptId}/targets/{year}': route({
      response: R.upsert(R.targetView),
      access: WRITERS,
      params: deptParams,
      body: targetBody,
      handle: async (req) => {
        const out = await saveTarget(deps, req.principal, dept(req.params), req.body);
        return json(out.status, spoken(req.headers, out.target));
      },
    }),
    'GET /v1/departments/{deptId}/targets/{year}': route({
      response: R.targetView,
      access: READERS,
      params: deptParams,
      handle: async (req) => ok(spoken(req.headers, await getTarget(deps, req.principal, dept(req.params)))),
    }),
    'GET /v1/departments/{deptId}/targets/{year}/history': route({
      response: R.history,
      access: READERS,
      params: deptParams,
      handle: async (req) => ok(await targetHistory(deps, req.principal, dept(req.params))),
    }),
    'POST /v1/departments/{deptId}/targets/{year}/submit': route({
      response: R.targetView,
      access: WRITERS,
      idempotency: deps,
      params: deptParams,
      handle: async (req) => ok(spoken(req.headers, await submitTarget(deps, req.principal, dept(req.params)))),
    }),
    'POST /v1/departments/{deptId}/targets/{year}/review': route({
      response: R.targetView,
      access: REVIEWERS,
      idempotency: deps,
      params: deptParams,
      body: reviewBody,
      handle: async (req) => ok(await reviewTarget(deps, req.principal, dept(req.params), req.body)),
    }),
    'GET /v1/targets': route({
      response: R.targetList,
      access: READERS,
      query: listQuery,
      handle: async (req) => ok(await listTargets(deps, req.principal, req.query as Parameters<typeof listTargets>[2])),
    }),
    'GET /v1/public/{year}/targets': route({
      response: R.publicTargets,
      access: 'public',
      params: yearParams,
      query: publicQuery,
      handle: async (req) => ok(await publishedTargets(deps, req.params.year, req.query.limit, req.query.nextToken)),
    }),
  });
}

export function targetDeps(): TargetDeps {
  const base = liveDeps({
    departments: repo.departments,
    exAnte: repo.exAnte,
    idempotency: repo.idempotency,
    indicators: repo.indicators,
    leaves: repo.leaves,
    ledger: repo.ledger,
    policies: repo.policies,
    projects: repo.projects,
    targets: repo.targets,
  });
  return { ...base, exAnte: base.repos.exAnte.assessments, appUrl: config().APP_URL };
}

export const handler = makeHandler(targetDeps());
