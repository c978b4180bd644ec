import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { assessmentHistory, getAssessment } from '../../shared/app/ex-ante/reads';
import { saveAssessment } from '../../shared/app/ex-ante/save';
import { idSchema } from '../../shared/domain/project';
import { exAnteBodySchema } from '../../shared/domain/rules/ex-ante';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import * as R from '../../shared/http/responses';

const projectParams = z.object({ projectId: idSchema });

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'PUT /v1/projects/{projectId}/ex-ante': route({
      response: R.upsert(R.exAnte),
      access: ['performance'],
      params: projectParams,
      body: exAnteBodySchema,
      handle: async (req) => {
        const out = await saveAssessment(deps, req.principal, req.params.projectId, req.body);
        return json(out.status, out.body);
      },
    }),
    'GET /v1/projects/{projectId}/ex-ante': route({
      response: R.exAnte,
      access: ['department', 'finance', 'performance'],
      params: projectParams,
      handle: async (req) => ok(await getAssessment(deps, req.principal, req.params.projectId)),
    }),
    'GET /v1/projects/{projectId}/ex-ante/history': route({
      response: R.page(R.exAnte),
      access: ['department', 'finance', 'performance'],
      params: projectParams,
      handle: async (req) => ok(await assessmentHistory(deps, req.principal, req.params.projectId)),
    }),
  });
}

export const handler = makeHandler(liveDeps({ exAnte: repo.exAnte, idempotency: repo.idempotency }));
