/** The pool (统筹资金) of a year and its allocations, as the API shows them. */
import { NotFoundError } from '../../domain/errors';
import { allocationView, poolBalance } from '../../domain/pool';
import type { AppDeps } from '../context';

export async function getPool(deps: AppDeps, year: number) {
  const [totals, allocations] = await Promise.all([deps.repos.pool.totals(year), deps.repos.pool.allocationTotals(year)]);
  return {
    year,
    balanceFen: poolBalance(totals),
    inFen: totals.inFen,
    outFen: totals.outFen,
    reversedFen: totals.reversedFen,
    byRule: totals.byRule,
    allocations,
  };
}

export async function getAllocation(deps: AppDeps, year: number, allocationId: string) {
  const a = await deps.repos.pool.getAllocation(year, allocationId);
  if (!a) throw new NotFoundError(`No allocation ${allocationId} in ${year}`);
  return allocationView(a);
}

export async function listAllocations(deps: AppDeps, year: number, q: { limit: number; nextToken?: string }) {
  const page = await deps.repos.pool.pageAllocations(year, q.limit, q.nextToken);
  return { items: page.items.map(allocationView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
