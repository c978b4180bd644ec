/** What the job runner asks of storage: its run records (the lock is the idempotency record). */
import type { JobRun, RunSummary } from '../../domain/job-run';

export interface JobRunStore {
  put(run: JobRun): Promise<void>;
  get(runId: string): Promise<JobRun | undefined>;
  /** A fanned-out run's shard summary, added only if that shard has none yet; the run as it is after (undefined: no such run). */
  addShard(runId: string, shard: number, summary: RunSummary): Promise<{ added: boolean; run: JobRun | undefined }>;
  /** A running run ends (succeeded or failed) with its summary; false if it had ended already. */
  finish(runId: string, end: Pick<JobRun, 'status' | 'summary' | 'finishedAt' | 'error'>): Promise<boolean>;
  /** The runs of a job, newest first, one page. */
  list(job: string, limit: number, nextToken?: string): Promise<{ items: JobRun[]; nextToken?: string }>;
}
