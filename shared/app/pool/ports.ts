/** The pool's port: its summed counters and its allocations (shared/aws/pool.ts implements it). */
import type { AuditEntry } from '../../domain/audit';
import type { Allocation, PoolTotals } from '../../domain/pool';
import type { Page } from '../ledger/ports';

export interface PoolPort {
  /** The counters summed over the shards, and the shards as read (handed back to `allocate` as its guard). */
  totals(year: number): Promise<PoolTotals & { shards: Record<string, unknown>[] }>;
  allocationTotals(year: number): Promise<{ count: number; amountFen: number }>;
  getAllocation(year: number, allocationId: string): Promise<Allocation | undefined>;
  pageAllocations(year: number, limit: number, nextToken?: string): Promise<Page<Allocation>>;
  /** 'exists': the same allocationId was made meanwhile; 'moved': the pool or the project changed. */
  allocate(a: Allocation, shardsRead: Record<string, unknown>[], audits: { pool: AuditEntry; project: AuditEntry }): Promise<'applied' | 'exists' | 'moved'>;
}
