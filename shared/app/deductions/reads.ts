/** The deductions ledger as the API shows it (SPEC §2, §6): a department sees only its own. */
import { canReadDepartment, type Principal, scopeDepartment } from '../../domain/access';
import { NotFoundError, ValidationError } from '../../domain/errors';
import type { StoredDeduction } from '../../domain/ledger';
import type { AppDeps } from '../context';
import { readableProject } from '../projects';

export function deductionView(d: StoredDeduction) {
  return d;
}

export async function readableDeduction(deps: AppDeps, actor: Principal, id: string): Promise<StoredDeduction> {
  const d = await deps.repos.ledger.get(id);
  if (!d || !canReadDepartment(actor, d.deptId)) throw new NotFoundError(`No deduction ${id}`);
  return d;
}

export async function getDeductionFor(deps: AppDeps, actor: Principal, id: string) {
  return deductionView(await readableDeduction(deps, actor, id));
}

import type { DeductionQuery } from '../../domain/ledger-writes';
export type { DeductionQuery };

/** By project (any year, or one), or by (pool) year; narrowed to a department and a rule. */
export async function listDeductions(deps: AppDeps, actor: Principal, q: DeductionQuery) {
  const deptId = scopeDepartment(actor, q.deptId);
  if (q.projectId) await readableProject(deps, actor, q.projectId);
  else if (q.year === undefined) throw new ValidationError([{ path: 'query.year', message: 'give a year, or a projectId' }]);
  const page = await deps.repos.ledger.page({
    limit: q.limit,
    ...(q.year !== undefined ? { year: q.year } : {}),
    ...(deptId ? { deptId } : {}),
    ...(q.projectId ? { projectId: q.projectId } : {}),
    ...(q.rule ? { rule: q.rule } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.nextToken ? { nextToken: q.nextToken } : {}),
  });
  return { items: page.items.map(deductionView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
