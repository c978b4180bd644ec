/**
 * The pool (统筹资金) of a year: every reclaimed fen is credited, allocations and reversals
 * debited. Kept in LEAF_SHARDS counter items picked by the entry id, so concurrent jobs do not
 * queue behind one hot item; the balance is the sum of the shards.
 */
import type { DeductionRule } from '../domain/ledger';
import { type Db, queryAll, type TransactItem } from './db';
import { keys, LEAF_SHARDS, shardOf } from './keys';

export interface PoolTotals {
  year: number;
  inFen: number;
  outFen: number;
  reversedFen: number;
  balanceFen: number;
  byRule: Record<string, number>;
}

/** Credit (a deduction) or debit (a reversal: negative) the pool, in a ledger transaction. */
export function poolCredit(db: Db, year: number, entryId: string, rule: DeductionRule, amountFen: number): TransactItem {
  const reversal = amountFen < 0;
  return {
    Update: {
      TableName: db.table,
      Key: keys.poolShard(year, shardOf(entryId)),
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
