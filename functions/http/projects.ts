import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { listExpenditures, recordExpenditure } from '../../shared/app/expenditures';
import { createProject, getProject, listProjects } from '../../shared/app/projects';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { createProjectSchema, expenditureSchema, idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const projectParams = z.object({ projectId: idSchema });
const listQuery = z.strictObject({
  year: z.pipe(z.coerce.number(), yearSchema),
  deptId: z.optional(idSchema),
  level: z.optional(
    z.pipe(
      z.enum(['1', '2']),
      z.transform((v) => Number(v) as 1 | 2),
    ),
  ),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  nextToken: z.optional(z.string().check(z.maxLength(2048))),
});

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'POST /v1/projects': route({
      response: R.upsert(R.projectView),
      access: ['department', 'performance'],
      body: createProjectSchema,
      handle: async (req) => {
        const out = await createProject(deps, req.principal, req.body);
        return json(out.status, out.project);
      },
    }),
    'GET /v1/projects': route({
      response: R.page(R.projectView),
      access: ['department', 'finance', 'performance'],
      query: listQuery,
      handle: async (req) => ok(await listProjects(deps, req.principal, req.query)),
    }),
    'GET /v1/projects/{projectId}': route({
      response: R.projectView,
      access: ['department', 'finance', 'performance'],
      params: projectParams,
      handle: async (req) => ok(await getProject(deps, req.principal, req.params.projectId)),
    }),
    'POST /v1/projects/{projectId}/expenditures': route({
      response: R.upsert(R.expenditureRecorded),
      access: ['department', 'performance'],
      params: projectParams,
      body: expenditureSchema,
      handle: async (req) => {
        const out = await recordExpenditure(deps, req.principal, req.params.projectId, req.body);
        return json(out.status, out.body);
      },
    }),
    'GET /v1/projects/{projectId}/expenditures': route({
      response: R.page(R.expenditure),
      access: ['department', 'finance', 'performance'],
      params: projectParams,
      handle: async (req) => ok(await listExpenditures(deps, req.principal, req.params.projectId)),
    }),
  });
}

export const handler = makeHandler(
  liveDeps({
    departments: repo.departments,
    expenditures: repo.expenditures,
    idempotency: repo.idempotency,
    leaves: repo.leaves,
    ledger: repo.ledger,
    projects: repo.projects,
    resultsProposals: repo.resultsProposals,
    evaluationSources: repo.evaluationSources,
  }),
);
