/**
 * The performance office's allocations from the pool (统筹资金).
 *
 * An allocation raises a leaf project's budget (a project of the pool's year, active) and is
 * idempotent by `allocationId`: the same body again → the first result, a different body →
 * 409. It may not take more than the balance (409 POOL_INSUFFICIENT), and that holds under
 * concurrency: ONE transaction condition-checks every shard of the pool at the counters that
 * were summed (a shard that did not exist must still not exist), debits one shard, puts the
 * allocation (attribute_not_exists), raises the project's budget guarded by the budget read,
 * and writes the audit records (the pool repository). Any concurrent change to the pool
 * (another allocation, a reversal, a deduction) cancels it, and it is tried again from a
 * fresh read.
 */
import type { Principal } from '../../domain/access';
import type { AuditEntry } from '../../domain/audit';
import { ConflictError, ValidationError } from '../../domain/errors';
import { type Allocation, type AllocationInput, allocationView, checkAllocation, poolBalance } from '../../domain/pool';
import { isLeaf, type Project } from '../../domain/project';
import type { AppDeps } from '../context';
import { requestHash } from '../ports';
import { applyNextYearConsequences } from '../results/consequences';

const MAX_ATTEMPTS = 10;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function allocate(deps: AppDeps, actor: Principal, year: number, input: AllocationInput) {
  const hash = requestHash(input);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const existing = await deps.repos.pool.getAllocation(year, input.allocationId);
    if (existing) return replay(existing, hash);
    const project = await allocatableProject(deps, year, input);
    const totals = await deps.repos.pool.totals(year);
    const balanceFen = poolBalance(totals);
    checkAllocation(year, balanceFen, input.amountFen);

    const now = deps.clock.now().toISOString();
    const allocation: Allocation = {
      ...input,
      year,
      deptId: project.deptId,
      budgetBeforeFen: project.budgetFen,
      budgetAfterFen: project.budgetFen + input.amountFen,
      poolBalanceAfterFen: balanceFen - input.amountFen,
      createdAt: now,
      createdBy: actor.sub,
      requestHash: hash,
    };
    const outcome = await deps.repos.pool.allocate(allocation, totals.shards, audits(deps, actor, allocation, balanceFen));
    if (outcome === 'applied') {
      // SPEC §3.10/§3.7: a raise of a continuing project meets any consequence decided before it.
      await applyNextYearConsequences(
        deps,
        { ...project, budgetFen: allocation.budgetAfterFen },
        { actor, raise: { amountFen: input.amountFen, id: input.allocationId } },
      );
      return { status: 201, allocation: allocationView(allocation) };
    }
    // The same allocationId made concurrently: the next turn answers with it. Anything else
    // (the pool or the project moved): read again and decide again, after a short pause.
    if (outcome === 'moved') await pause(5 + Math.random() * 20 * attempt);
  }
  throw new ConflictError('CONCURRENT_UPDATE', 'The pool is changing too fast; try again');
}

/** The project an allocation may raise: of the pool's year, a leaf, active, within exact range. */
async function allocatableProject(deps: AppDeps, year: number, input: AllocationInput): Promise<Project> {
  const project = await deps.repos.leaves.project(input.projectId);
  if (!project) throw new ValidationError([{ path: 'body.projectId', message: `no project ${input.projectId}` }]);
  if (project.year !== year) {
    throw new ValidationError([{ path: 'body.projectId', message: `project ${input.projectId} is of year ${project.year}, not ${year}` }]);
  }
  if (!isLeaf(project)) throw new ConflictError('NOT_A_LEAF', 'Money lives on leaf projects: allocate to one of its level-2 projects');
  if (project.status !== 'active') throw new ConflictError('PROJECT_NOT_ACTIVE', `Project ${project.projectId} is ${project.status}`);
  if (!Number.isSafeInteger(project.budgetFen + input.amountFen)) {
    throw new ValidationError([{ path: 'body.amountFen', message: 'the budget would pass the largest exact amount' }]);
  }
  return project;
}

function audits(deps: AppDeps, actor: Principal, a: Allocation, balanceFen: number): { pool: AuditEntry; project: AuditEntry } {
  return {
    pool: {
      auditId: deps.ids.next(),
      entityType: 'PoolAllocation',
      entityId: `${a.year}/${a.allocationId}`,
      action: 'pool.allocated',
      actor: actor.sub,
      at: a.createdAt,
      before: { poolBalanceFen: balanceFen, budgetFen: a.budgetBeforeFen },
      after: { poolBalanceFen: a.poolBalanceAfterFen, budgetFen: a.budgetAfterFen, projectId: a.projectId, amountFen: a.amountFen },
    },
    project: {
      auditId: deps.ids.next(),
      entityType: 'Project',
      entityId: a.projectId,
      action: 'project.budget.allocated',
      actor: actor.sub,
      at: a.createdAt,
      before: { budgetFen: a.budgetBeforeFen },
      after: { budgetFen: a.budgetAfterFen, allocationId: a.allocationId, poolYear: a.year },
    },
  };
}

function replay(first: Allocation, hash: string) {
  if (first.requestHash !== hash) {
    throw new ConflictError('ID_CONFLICT', `Allocation ${first.allocationId} of ${first.year} was made with a different body`);
  }
  return { status: 200, allocation: allocationView(first) };
}
