/** What the job runner asks of storage: its run records (the lock is the idempotency record). */
import type { JobRun, RunSummary, SegmentRecord } from '../../domain/job-run';

export interface JobRunStore {
  put(run: JobRun): Promise<void>;
  get(runId: string): Promise<JobRun | undefined>;
  /** A fanned-out run's shard summary, added only if that shard has none yet; the run as it is after (undefined: no such run). */
  addShard(runId: string, shard: number, summary: RunSummary): Promise<{ added: boolean; run: JobRun | undefined }>;
  /** A segment's record, only if that shard and segment has none yet; else the one there (its continuation is sent again). */
  addSegment(runId: string, record: SegmentRecord): Promise<{ added: boolean; record: SegmentRecord }>;
  segment(runId: string, shard: number, segment: number): Promise<SegmentRecord | undefined>;
  /** A shard's segment records in order, strongly consistent. */
  segments(runId: string, shard: number): Promise<SegmentRecord[]>;
  /** A finished shard's full summary (per-department totals too), in an item of its own; writing it again writes the same. */
  putShard(runId: string, shard: number, summary: RunSummary): Promise<void>;
  /** The full summaries of a run's finished shards. */
  shardSummaries(runId: string): Promise<RunSummary[]>;
  /** The claim to finish a running run (ISO times): free, expired or already `by`'s; false if another holds it. */
  claimFinish(runId: string, by: string, now: string, until: string): Promise<boolean>;
  /** A running run ends (succeeded or failed) with its summary; false if it had ended already. */
  finish(runId: string, end: Pick<JobRun, 'status' | 'summary' | 'finishedAt' | 'error'>): Promise<boolean>;
  /** The runs of a job, newest first, one page. */
  list(job: string, limit: number, nextToken?: string): Promise<{ items: JobRun[]; nextToken?: string }>;
}
