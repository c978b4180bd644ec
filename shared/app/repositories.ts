/**
 * The ports: what use cases ask of storage, one repository per entity. `shared/aws/` implements
 * them (structurally: adapters import domain types, never this file) and the composition root
 * (`functions/compose.ts`) hands them over. Use cases never see a table, a key or an expression.
 */
import type { IdempotencyStore } from './idempotency';
import type { JobRunStore } from './jobs/ports';

export interface Repositories {
  /** The idempotency record: job locks and the HTTP Idempotency-Key header. */
  idempotency: IdempotencyStore;
  /** Job run records. */
  jobRuns: JobRunStore;
}
