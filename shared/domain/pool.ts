/**
 * The pool (统筹资金) of a year (SPEC §2): every reclaimed fen of the year is credited; the
 * performance office allocates from it to priority projects; a reversed deduction takes its
 * amount back out. Always: balance = reclaimed − allocated − reversed.
 */
import * as z from './zod';
import { ConflictError } from './errors';
import { type Fen, formatYuan } from './money';
import { fenSchema, idSchema } from './project';

export interface PoolCounters {
  /** Every fen credited by a deduction (any rule). */
  inFen: Fen;
  /** Every fen allocated to a project. */
  outFen: Fen;
  /** Every fen given back by a reversal. */
  reversedFen: Fen;
}

/** The pool of a year as summed from its shards. */
export interface PoolTotals extends PoolCounters {
  year: number;
  balanceFen: Fen;
  /** Credited fen by deduction rule. */
  byRule: Record<string, Fen>;
}

export function poolBalance(c: PoolCounters): Fen {
  return c.inFen - c.outFen - c.reversedFen;
}

export const allocationSchema = z.strictObject({
  allocationId: idSchema,
  projectId: idSchema,
  amountFen: fenSchema.check(z.refine((v) => v > 0, 'must be more than 0')),
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)),
});
export type AllocationInput = z.infer<typeof allocationSchema>;

export interface Allocation extends AllocationInput {
  year: number;
  deptId: string;
  budgetBeforeFen: Fen;
  budgetAfterFen: Fen;
  /** The pool's balance right after this allocation. */
  poolBalanceAfterFen: Fen;
  createdAt: string;
  createdBy: string;
  requestHash: string;
}

/** An allocation may take no more than the balance: 409 POOL_INSUFFICIENT otherwise. */
export function checkAllocation(year: number, balanceFen: Fen, amountFen: Fen): void {
  if (amountFen <= balanceFen) return;
  const error = new ConflictError(
    'POOL_INSUFFICIENT',
    `The ${year} pool holds ${formatYuan(Math.max(0, balanceFen))}; ${formatYuan(amountFen)} cannot be allocated`,
    { balanceFen, amountFen },
  );
  error.details.push({ path: 'body.amountFen', message: `more than the pool balance of ${balanceFen} fen` });
  throw error;
}

export function allocationView(a: Allocation): Omit<Allocation, 'requestHash'> {
  const { requestHash: _hash, ...rest } = a;
  return rest;
}
