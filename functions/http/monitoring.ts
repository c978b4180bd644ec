import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { fileReport, getReport, getSnapshot, liftSuspension, listReports } from '../../shared/app/monitoring';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { CHECKPOINT_PATTERN } from '../../shared/domain/monitoring';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const projectParams = z.object({ projectId: idSchema });
/** The checkpoint is checked against the project year's policy in the use case (400 listing the valid ones). */
const reportParams = z.object({ projectId: idSchema, checkpoint: z.string().check(z.minLength(1), z.maxLength(10)) });

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'PUT /v1/projects/{projectId}/monitoring/{checkpoint}': route({
      response: R.upsert(R.monitoringReport),
      access: ['department', 'performance'],
      params: reportParams,
      // Parsed by the use case, so that a bad checkpoint, bad fields and a mismatch with the
      // target are listed together in one 400.
      body: z.unknown(),
      handle: async (req) => {
        const out = await fileReport(deps, req.principal, req.params.projectId, req.params.checkpoint, req.body);
        return json(out.status, out.report);
      },
    }),
    'GET /v1/projects/{projectId}/monitoring/{checkpoint}': route({
      response: R.monitoringReportWithVersions,
      access: ['department', 'finance', 'performance'],
      params: reportParams,
      query: z.strictObject({ version: z.optional(z.coerce.number().check(z.int(), z.gte(1))) }),
      handle: async (req) => ok(await getReport(deps, req.principal, req.params.projectId, req.params.checkpoint, req.query.version)),
    }),
    'GET /v1/projects/{projectId}/monitoring': route({
      response: R.monitoringOverview,
      access: ['department', 'finance', 'performance'],
      params: projectParams,
      handle: async (req) => ok(await listReports(deps, req.principal, req.params.projectId)),
    }),
    'POST /v1/projects/{projectId}/suspension/lift': route({
      response: R.projectLifted,
      access: ['performance'],
      params: projectParams,
      body: z.strictObject({ comment: z.string().check(z.trim(), z.minLength(1, 'say why the suspension is lifted'), z.maxLength(2000)) }),
      idempotency: deps,
      handle: async (req) => {
        const out = await liftSuspension(deps, req.principal, req.params.projectId, req.body.comment);
        return json(out.status, out.project);
      },
    }),
    'GET /v1/snapshots/{year}/{checkpoint}': route({
      response: R.snapshot,
      access: ['department', 'finance', 'performance'],
      params: z.object({
        year: z.pipe(z.coerce.number(), yearSchema),
        checkpoint: z.string().check(z.regex(CHECKPOINT_PATTERN, 'expected MM-DD')),
      }),
      query: z.strictObject({
        deptId: z.optional(idSchema),
        limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 500),
        nextToken: z.optional(z.string().check(z.maxLength(4096))),
      }),
      handle: async (req) => ok(await getSnapshot(deps, req.principal, req.params.year, req.params.checkpoint, req.query)),
    }),
  });
}

export const handler = makeHandler(
  liveDeps({
    departments: repo.departments,
    idempotency: repo.idempotency,
    indicators: repo.indicators,
    leaves: repo.leaves,
    monitoring: repo.monitoring,
    policies: repo.policies,
    projects: repo.projects,
    snapshots: repo.snapshots,
  }),
);
