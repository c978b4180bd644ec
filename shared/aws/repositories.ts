/** Every repository over one table: what the composition root hands to use cases. */
import type { Db } from './db';
import { idempotencyRepo } from './idempotency-repo';
import { jobRunsRepo } from './job-runs-repo';

export function tableRepositories(db: Db) {
  return {
    idempotency: idempotencyRepo(db),
    jobRuns: jobRunsRepo(db),
  };
}
