/**
 * The pool (统筹资金) of a year: every reclaimed fen is credited, allocations and reversals
 * debited. Kept in LEAF_SHARDS counter items picked by the entry id, so concurrent jobs do not
 * queue behind one hot item; the balance is the sum of the shards.
 */
import type { AuditEntry } from '../domain/audit';
import type { DeductionRule } from '../domain/ledger';
import type { Allocation, PoolTotals } from '../domain/pool';
import { auditPut } from './audit';
import { type Db, getItem, queryAll, queryPage, stripKeys, transact, type TransactItem } from './db';
import { keys, LEAF_SHARDS, shardOf } from './keys';

export type { PoolTotals };

/** Credit (a deduction) or debit (a reversal: negative) the pool, in a ledger transaction. */
export function poolCredit(db: Db, year: number, entryId: string, rule: DeductionRule, amountFen: number): TransactItem {
  return poolCreditOn(db, year, shardOf(entryId), rule, amountFen);
}

/** The same on a given counter shard (a batch of deductions credits its lane's). */
export function poolCreditOn(db: Db, year: number, shard: number, rule: DeductionRule, amountFen: number): TransactItem {
  const reversal = amountFen < 0;
  return {
    Update: {
      TableName: db.table,
      Key: keys.poolShard(year, shard),
      UpdateExpression: reversal
        ? 'ADD reversedFen :amt SET entity = :entity, #year = :year'
        : 'ADD inFen :amt, #rule :amt SET entity = :entity, #year = :year',
      ExpressionAttributeNames: reversal ? { '#year': 'year' } : { '#rule': `in_${rule}`, '#year': 'year' },
      ExpressionAttributeValues: { ':amt': Math.abs(amountFen), ':entity': 'PoolShard', ':year': year },
    },
  };
}

/** Debit the pool for an allocation (checked against the balance by the caller). */
export function poolDebit(db: Db, year: number, entryId: string, amountFen: number): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: keys.poolShard(year, shardOf(entryId)),
      UpdateExpression: 'ADD outFen :amt SET entity = :entity, #year = :year',
      ExpressionAttributeNames: { '#year': 'year' },
      ExpressionAttributeValues: { ':amt': amountFen, ':entity': 'PoolShard', ':year': year },
    },
  };
}

export async function poolTotals(db: Db, year: number): Promise<PoolTotals & { shards: Record<string, unknown>[] }> {
  const shards = await queryAll(db, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.poolPartition(year) },
    ConsistentRead: true,
  });
  const totals: PoolTotals = { year, inFen: 0, outFen: 0, reversedFen: 0, balanceFen: 0, byRule: {} };
  for (const s of shards) {
    totals.inFen += Number(s.inFen ?? 0);
    totals.outFen += Number(s.outFen ?? 0);
    totals.reversedFen += Number(s.reversedFen ?? 0);
    for (const [k, v] of Object.entries(s)) {
      if (k.startsWith('in_')) totals.byRule[k.slice(3)] = (totals.byRule[k.slice(3)] ?? 0) + Number(v);
    }
  }
  totals.balanceFen = totals.inFen - totals.outFen - totals.reversedFen;
  return { ...totals, shards };
}

export const POOL_SHARDS = LEAF_SHARDS;

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

/** Every shard guarded at what was summed; the allocation's own shard also debited. */
function guardedShards(db: Db, a: Allocation, shardsRead: Record<string, unknown>[]): TransactItem[] {
  const debitShard = shardOf(a.allocationId);
  const read = new Map(shardsRead.map((s) => [String(s.SK), s]));
  const items: TransactItem[] = [];
  for (let shard = 0; shard < POOL_SHARDS; shard++) {
    const shardKey = keys.poolShard(a.year, shard);
    const guard = shardGuard(read.get(shardKey.SK));
    if (shard === debitShard) {
      const u = poolDebit(db, a.year, a.allocationId, a.amountFen).Update as NonNullable<TransactItem['Update']>;
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
          TableName: db.table,
          Key: shardKey,
          ConditionExpression: guard.expression,
          ...(Object.keys(guard.names).length > 0 ? { ExpressionAttributeNames: guard.names } : {}),
          ...(Object.keys(guard.values).length > 0 ? { ExpressionAttributeValues: guard.values } : {}),
        },
      });
    }
  }
  return items;
}

/** The allocated project's budget raised, guarded: the budget read, still an active leaf of the year. */
function projectRaise(db: Db, a: Allocation): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: keys.project(a.projectId),
      UpdateExpression: 'SET budgetFen = :after, updatedAt = :now ADD version :one',
      ConditionExpression: 'attribute_exists(PK) AND budgetFen = :before AND #status = :active AND #year = :year AND (#level = :two OR childCount = :zero)',
      ExpressionAttributeNames: { '#status': 'status', '#year': 'year', '#level': 'level' },
      ExpressionAttributeValues: {
        ':after': a.budgetAfterFen,
        ':before': a.budgetBeforeFen,
        ':now': a.createdAt,
        ':one': 1,
        ':active': 'active',
        ':year': a.year,
        ':two': 2,
        ':zero': 0,
      },
    },
  };
}

export type AllocateOutcome = 'applied' | 'exists' | 'moved';

/** The pool's counters and its allocations. */
export function poolRepo(db: Db) {
  return {
    totals: (year: number) => poolTotals(db, year),

    async allocationTotals(year: number): Promise<{ count: number; amountFen: number }> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.poolAllocationsPartition(year) },
        ProjectionExpression: 'amountFen',
      });
      return { count: items.length, amountFen: items.reduce((s, a) => s + Number(a.amountFen ?? 0), 0) };
    },

    async getAllocation(year: number, allocationId: string): Promise<Allocation | undefined> {
      const item = await getItem(db, keys.poolAllocation(year, allocationId));
      return item ? stripKeys<Allocation>(item) : undefined;
    },

    async pageAllocations(year: number, limit: number, nextToken?: string) {
      const page = await queryPage(
        db,
        { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': keys.poolAllocationsPartition(year) } },
        limit,
        nextToken,
      );
      return { items: page.items.map((i) => stripKeys<Allocation>(i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },

    /**
     * ONE transaction: every shard guarded at the counters summed (`shardsRead`), one debited,
     * the allocation put (attribute_not_exists), the project's budget raised, both audits.
     * 'exists': the same allocationId was made concurrently; 'moved': the pool or project moved.
     */
    async allocate(a: Allocation, shardsRead: Record<string, unknown>[], audits: { pool: AuditEntry; project: AuditEntry }): Promise<AllocateOutcome> {
      const key = keys.poolAllocation(a.year, a.allocationId);
      const items = guardedShards(db, a, shardsRead);
      const allocationAt = items.length;
      items.push(
        {
          Put: {
            TableName: db.table,
            Item: { ...key, ...keys.poolAllocationIndex(a.year, a.createdAt, a.allocationId), entity: 'PoolAllocation', v: 1, ...a },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        projectRaise(db, a),
        auditPut(db, key.PK, audits.pool),
        auditPut(db, keys.project(a.projectId).PK, audits.project),
      );
      const outcome = await transact(db, items);
      if (outcome.ok) return 'applied';
      return outcome.reasons[allocationAt] === 'ConditionalCheckFailed' ? 'exists' : 'moved';
    },
  };
}
export type PoolRepo = ReturnType<typeof poolRepo>;
