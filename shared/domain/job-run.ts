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
}
