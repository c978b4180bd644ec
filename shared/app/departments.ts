import { changedFields } from '../domain/audit';
import { assertReadDepartment, type Principal, readsEverything } from '../domain/access';
import { type Department, type DepartmentInput, departmentView } from '../domain/department';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { AppDeps } from './context';
export type { DepartmentsRepo } from './departments/ports';

export async function putDepartment(deps: AppDeps, actor: Principal, deptId: string, input: DepartmentInput) {
  const repo = deps.repos.departments;
  const current = await repo.get(deptId);
  const now = deps.clock.now().toISOString();
  const next: Department = {
    deptId,
    name: input.name,
    contactEmails: input.contactEmails,
    ...(input.domain ? { domain: input.domain } : {}),
    version: (current?.version ?? 0) + 1,
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
  };
  const diff = changedFields(current as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, ['updatedAt', 'version', 'createdAt']);
  if (current && Object.keys(diff.after).length === 0) return { status: 200, department: departmentView(current) };

  const written = await repo.put(next, current?.version, {
    auditId: deps.ids.next(),
    entityType: 'Department',
    entityId: deptId,
    action: current ? 'department.updated' : 'department.created',
    actor: actor.sub,
    at: now,
    ...diff,
  });
  if (!written) throw new ConflictError('CONCURRENT_UPDATE', 'The department changed while this request ran; try again');
  return { status: current ? 200 : 201, department: departmentView(next) };
}

export async function getDepartment(deps: AppDeps, actor: Principal, deptId: string) {
  assertReadDepartment(actor, deptId);
  const d = await deps.repos.departments.get(deptId);
  if (!d) throw new NotFoundError(`No department ${deptId}`);
  return departmentView(d);
}

export async function listDepartments(deps: AppDeps, actor: Principal) {
  const repo = deps.repos.departments;
  if (readsEverything(actor)) return (await repo.list()).map(departmentView);
  // A department officer sees its own department only.
  const own = actor.deptId ? await repo.get(actor.deptId) : undefined;
  return own ? [departmentView(own)] : [];
}
