/** What the job runner asks of storage: its run records (the lock is the idempotency record). */
import type { JobRun } from '../../domain/job-run';

export interface JobRunStore {
  put(run: JobRun): Promise<void>;
  get(runId: string): Promise<JobRun | undefined>;
  /** The runs of a job, newest first, one page. */
  list(job: string, limit: number, nextToken?: string): Promise<{ items: JobRun[]; nextToken?: string }>;
}
