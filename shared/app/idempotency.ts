/**
 * The idempotency port: one record shape (shared/domain/idempotency.ts) serves the job lock
 * (scope `job`, key job + as-of) and the HTTP `Idempotency-Key` header (scope `http`).
 * `shared/aws/idempotency-repo.ts` implements it over the table.
 */
import type { ClaimOutcome, IdempotencyRecord } from '../domain/idempotency';

export interface IdempotencyStore {
  /**
   * Takes the key with an in-progress record unless a live record holds it; then that record
   * comes back (read in the same request, without a second read).
   */
  claim(record: Omit<IdempotencyRecord, 'status' | 'result'>, now: Date): Promise<ClaimOutcome>;
  /** Marks the owner's record completed with its result, kept until `expiresAt`. */
  complete(scope: string, key: string, owner: string, result: unknown, expiresAt: number): Promise<void>;
  /** Moves the owner's in-progress record's expiry on (a heartbeat). */
  extend(scope: string, key: string, owner: string, expiresAt: number): Promise<void>;
  /** Deletes the owner's record (work failed or is done and need not be remembered). */
  release(scope: string, key: string, owner: string): Promise<void>;
  /** The live record of a key, if any (expiry checked here, not left to TTL). */
  get(scope: string, key: string, now: Date): Promise<IdempotencyRecord | undefined>;
}

export type { ClaimOutcome, IdempotencyRecord } from '../domain/idempotency';
