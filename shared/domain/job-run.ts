/** The record every job run keeps: who asked, when, how it ended and what it did. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'deferred';

/** What a job reports about a run: counts and fen, per job. */
export type RunSummary = Record<string, unknown>;

export interface JobRun {
  runId: string;
  job: string;
  asOf: string;
  status: RunStatus;
  summary: RunSummary | null;
  requestedBy: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** For a run that found another run of the same job and as-of in progress. */
  deferredTo?: string;
  /** A fanned-out run: how many shards it was split into, and each finished shard's summary (by shard number, two digits). */
  shardsTotal?: number;
  shards?: Record<string, RunSummary>;
  /** Who is finishing a fanned-out run (a shard's number) and until when its claim holds. */
  finisher?: string;
  finishUntil?: string;
}

/** The summaries of a run's shards as one: numbers added up (except the policy's, the same in each), per-department totals merged, the rest from any shard. */
export function mergeSummaries(parts: RunSummary[], same: readonly string[] = []): RunSummary {
  const out: RunSummary = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (typeof v === 'number' && !same.includes(k)) out[k] = ((out[k] as number | undefined) ?? 0) + v;
      else if (k === 'byDept' && v && typeof v === 'object') {
        const merged = (out[k] ??= {}) as Record<string, Record<string, number>>;
        for (const [dept, totals] of Object.entries(v as Record<string, Record<string, number>>)) {
          const into = (merged[dept] ??= {});
          for (const [field, n] of Object.entries(totals)) into[field] = (into[field] ?? 0) + n;
        }
      } else if (!(k in out)) out[k] = v;
    }
  }
  return out;
}

/** Where a walk of one shard of the leaf index stopped: the index's LastEvaluatedKey, opaque. */
export type LeafCursor = Record<string, unknown>;

/** A bounded part of one shard: at most `limit` items, after `from` (from the shard's start when absent). */
export interface Segment {
  from?: LeafCursor;
  limit: number;
}

/**
 * One segment of one shard of a fanned-out run, as a queue message: at most `limit` projects of
 * the shard after `cursor` (the first segment, number 0, has none). Absent `segment`/`limit`
 * (a message from before segments): segment 0 and the default size.
 */
export interface ShardMessage {
  runId: string;
  job: string;
  asOf: string;
  shard: number;
  requestedBy: string;
  segment?: number;
  limit?: number;
  cursor?: LeafCursor;
}

/** A segment's summary as the run keeps it (once per shard and segment), with the message that goes on from it (none: the shard's last). */
export interface SegmentRecord {
  shard: number;
  segment: number;
  summary: RunSummary;
  continuation?: ShardMessage;
}

/** Where shard messages go: SQS with a Lambda event source mapping, or the local emulation. */
export interface ShardQueue {
  send(messages: ShardMessage[]): Promise<void>;
}
