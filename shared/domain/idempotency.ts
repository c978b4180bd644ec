/**
 * The idempotency record (the Powertools for AWS Lambda shape): one record per scope and key,
 * taken by a conditional put, `in-progress` while its owner works and `completed` with the
 * stored result afterwards. `expiresAt` (epoch seconds) ends it; TTL deletes late (up to 48 h),
 * so whoever reads a record checks the expiry in code.
 */
export type IdempotencyStatus = 'in-progress' | 'completed';

export interface IdempotencyRecord {
  /** What the key is unique within: `http`, `job`, … */
  scope: string;
  key: string;
  status: IdempotencyStatus;
  /** A fingerprint of the request that took the key: the same key with another request conflicts. */
  requestHash: string;
  /** Who holds the record (a run id, a request id): only the owner completes, extends or releases it. */
  owner: string;
  /** Epoch seconds: a record past it counts as absent. */
  expiresAt: number;
  /** The stored result of a completed record. */
  result?: unknown;
}

export type ClaimOutcome = { claimed: true } | { claimed: false; existing: IdempotencyRecord };

export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** A record counts only until it expires, whatever TTL has or has not deleted yet. */
export function isLive(record: IdempotencyRecord, now: Date): boolean {
  return record.expiresAt > epochSeconds(now);
}
