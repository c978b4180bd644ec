import type { AppDeps } from '../../shared/app/context';
import { getDepartment, listDepartments, putDepartment } from '../../shared/app/departments';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { departmentSchema, deptIdParams } from '../../shared/domain/department';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'PUT /v1/departments/{deptId}': route({
      response: R.upsert(R.department),
      access: ['performance'],
      params: deptIdParams,
      body: departmentSchema,
      handle: async (req) => {
        const out = await putDepartment(deps, req.principal, req.params.deptId, req.body);
        return json(out.status, out.department);
      },
    }),
    'GET /v1/departments': route({
      response: R.page(R.department),
      access: ['department', 'finance', 'performance'],
      handle: async (req) => ok({ items: await listDepartments(deps, req.principal) }),
    }),
    'GET /v1/departments/{deptId}': route({
      response: R.department,
      access: ['department', 'finance', 'performance'],
      params: deptIdParams,
      handle: async (req) => ok(await getDepartment(deps, req.principal, req.params.deptId)),
    }),
  });
}

export const handler = makeHandler(liveDeps({ departments: repo.departments, idempotency: repo.idempotency }));
