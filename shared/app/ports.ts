/** The small interfaces use cases are written against; aws/ implements them, tests fake them. */
import { createHash } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { canonicalJson } from '../domain/hash';

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** A time-sortable id (ULID). */
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };

const ulid = monotonicFactory();
export const ulidIds: Ids = { next: () => ulid() };

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url').slice(0, 32);
}

export type { AuditEntry } from '../domain/audit';
