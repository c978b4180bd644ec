/**
 * The pool (统筹资金) of a year and the performance office's allocations from it.
 *
 * An allocation raises a leaf project's budget (a project of the pool's year, active) and is
 * idempotent by `allocationId`: the same body again → the first result, a different body →
 * 409. It may not take more than the balance (409 POOL_INSUFFICIENT), and that holds under
 * concurrency: ONE transaction condition-checks every shard of the pool at the counters that
 * were summed (a shard that did not exist must still not exist), debits one shard, puts the
 * allocation (attribute_not_exists), raises the project's budget guarded by the budget read,
 * and writes the audit records. Any concurrent change to the pool (another allocation, a
 * reversal, a deduction) cancels it, and it is tried again from a fresh read.
 */
import { auditPut } from '../aws/audit';
import { getItem, queryAll, queryPage, sleep, stripKeys, transact, type TransactItem } from '../aws/db';
import { keys, shardOf } from '../aws/keys';
import { POOL_SHARDS, poolDebit, poolTotals } from '../aws/pool';
import { projectsRepo } from '../aws/projects-repo';
import type { Principal } from '../domain/access';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { type Allocation, type AllocationInput, allocationView, checkAllocation, poolBalance } from '../domain/pool';
import { isLeaf } from '../domain/project';
import { applyNextYearConsequences } from './results/consequences';
import type { AppDeps } from './context';
import { requestHash } from './ports';

const MAX_ATTEMPTS = 10;

export async function getPool(deps: AppDeps, year: number) {
  const [totals, allocations] = await Promise.all([
    poolTotals(deps.db, year),
    queryAll(deps.db, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.poolAllocationsPartition(year) },
      ProjectionExpression: 'amountFen',
    }),
  ]);
  return {
    year,
    balanceFen: poolBalance(totals),
    inFen: totals.inFen,
    outFen: totals.outFen,
    reversedFen: totals.reversedFen,
    byRule: totals.byRule,
    allocations: { count: allocations.length, amountFen: allocations.reduce((s, a) => s + Number(a.amountFen ?? 0), 0) },
  };
}

export async function allocate(deps: AppDeps, actor: Principal, year: number, input: AllocationInput) {
  const hash = requestHash(input);
  const key = keys.poolAllocation(year, input.allocationId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const existing = await getItem(deps.db, key);
    if (existing) return replay(stripKeys<Allocation>(existing), hash);

    const project = await projectsRepo(deps.db).get(input.projectId);
    if (!project) throw new ValidationError([{ path: 'body.projectId', message: `no project ${input.projectId}` }]);
    if (project.year !== year) {
      throw new ValidationError([{ path: 'body.projectId', message: `project ${input.projectId} is of year ${project.year}, not ${year}` }]);
    }
    if (!isLeaf(project)) throw new ConflictError('NOT_A_LEAF', 'Money lives on leaf projects: allocate to one of its level-2 projects');
    if (project.status !== 'active') throw new ConflictError('PROJECT_NOT_ACTIVE', `Project ${project.projectId} is ${project.status}`);
    if (!Number.isSafeInteger(project.budgetFen + input.amountFen)) {
      throw new ValidationError([{ path: 'body.amountFen', message: 'the budget would pass the largest exact amount' }]);
    }

    const totals = await poolTotals(deps.db, year);
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
    const debitShard = shardOf(input.allocationId);
    const shards = new Map(totals.shards.map((s) => [String(s.SK), s]));
    const items: TransactItem[] = [];
    for (let shard = 0; shard < POOL_SHARDS; shard++) {
      const shardKey = keys.poolShard(year, shard);
      const guard = shardGuard(shards.get(shardKey.SK));
      if (shard === debitShard) {
        const debit = poolDebit(deps.db, year, input.allocationId, input.amountFen);
        const u = debit.Update as NonNullable<TransactItem['Update']>;
        items.push({
          Update: {
            ...u,
            ConditionExpression: guard.expression,
            ExpressionAttributeNames: { ...u.ExpressionAttributeNames, ...guard.names },
            ExpressionAttributeValues: { ...u.ExpressionAttributeValues, ...guard.values },
          },
        });
      } else {
        items.push({
          ConditionCheck: {
            TableName: deps.db.table,
            Key: shardKey,
            ConditionExpression: guard.expression,
            ...(Object.keys(guard.names).length > 0 ? { ExpressionAttributeNames: guard.names } : {}),
            ...(Object.keys(guard.values).length > 0 ? { ExpressionAttributeValues: guard.values } : {}),
          },
        });
      }
    }
    const allocationAt = items.length;
    items.push(
      {
        Put: {
          TableName: deps.db.table,
          Item: { ...key, ...keys.poolAllocationIndex(year, now, input.allocationId), entity: 'PoolAllocation', v: 1, ...allocation },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Update: {
          TableName: deps.db.table,
          Key: keys.project(project.projectId),
          UpdateExpression: 'SET budgetFen = :after, updatedAt = :now ADD version :one',
          ConditionExpression:
            'attribute_exists(PK) AND budgetFen = :before AND #status = :active AND #year = :year AND (#level = :two OR childCount = :zero)',
          ExpressionAttributeNames: { '#status': 'status', '#year': 'year', '#level': 'level' },
          ExpressionAttributeValues: {
            ':after': allocation.budgetAfterFen,
            ':before': allocation.budgetBeforeFen,
            ':now': now,
            ':one': 1,
            ':active': 'active',
            ':year': year,
            ':two': 2,
            ':zero': 0,
          },
        },
      },
      auditPut(deps.db, key.PK, {
        auditId: deps.ids.next(),
        entityType: 'PoolAllocation',
        entityId: `${year}/${input.allocationId}`,
        action: 'pool.allocated',
        actor: actor.sub,
        at: now,
        before: { poolBalanceFen: balanceFen, budgetFen: allocation.budgetBeforeFen },
        after: { poolBalanceFen: allocation.poolBalanceAfterFen, budgetFen: allocation.budgetAfterFen, projectId: project.projectId, amountFen: input.amountFen },
      }),
      auditPut(deps.db, keys.project(project.projectId).PK, {
        auditId: deps.ids.next(),
        entityType: 'Project',
        entityId: project.projectId,
        action: 'project.budget.allocated',
        actor: actor.sub,
        at: now,
        before: { budgetFen: allocation.budgetBeforeFen },
        after: { budgetFen: allocation.budgetAfterFen, allocationId: input.allocationId, poolYear: year },
      }),
    );
    const outcome = await transact(deps.db, items);
    if (outcome.ok) {
      // SPEC §3.10/§3.7: a raise of a continuing project meets any consequence decided before it.
      await applyNextYearConsequences(deps, { ...project, budgetFen: allocation.budgetAfterFen }, { actor, raise: { amountFen: input.amountFen, id: input.allocationId } });
      return { status: 201, allocation: allocationView(allocation) };
    }
    // The same allocationId made concurrently: the next turn answers with it. Anything else
    // (the pool or the project moved): read again and decide again, after a short pause.
    if (outcome.reasons[allocationAt] !== 'ConditionalCheckFailed') await sleep(5 + Math.random() * 20 * attempt);
  }
  throw new ConflictError('CONCURRENT_UPDATE', 'The pool is changing too fast; try again');
}

/** The shard is still exactly what was summed (or still absent). */
function shardGuard(item: Record<string, unknown> | undefined) {
  if (!item) return { expression: 'attribute_not_exists(PK)', names: {} as Record<string, string>, values: {} as Record<string, unknown> };
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [alias, field] of [
    ['in', 'inFen'],
    ['out', 'outFen'],
    ['rev', 'reversedFen'],
  ] as const) {
    names[`#g_${alias}`] = field;
    if (item[field] === undefined) parts.push(`attribute_not_exists(#g_${alias})`);
    else {
      parts.push(`#g_${alias} = :g_${alias}`);
      values[`:g_${alias}`] = item[field];
    }
  }
  return { expression: parts.join(' AND '), names, values };
}

function replay(first: Allocation, hash: string) {
  if (first.requestHash !== hash) {
    throw new ConflictError('ID_CONFLICT', `Allocation ${first.allocationId} of ${first.year} was made with a different body`);
  }
  return { status: 200, allocation: allocationView(first) };
}

export async function getAllocation(deps: AppDeps, year: number, allocationId: string) {
  const item = await getItem(deps.db, keys.poolAllocation(year, allocationId));
  if (!item) throw new NotFoundError(`No allocation ${allocationId} in ${year}`);
  return allocationView(stripKeys<Allocation>(item));
}

export async function listAllocations(deps: AppDeps, year: number, q: { limit: number; nextToken?: string }) {
  const page = await queryPage(
    deps.db,
    { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': keys.poolAllocationsPartition(year) } },
    q.limit,
    q.nextToken,
  );
  return {
    items: page.items.map((i) => allocationView(stripKeys<Allocation>(i))),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}
