/**
 * The jobs' names and their run records, without the jobs themselves: what reads runs (the
 * inbox, GET /v1/jobs/{job}/runs) needs no job's code in its bundle. registry.ts holds its list
 * equal to JOB_NAMES.
 */
import type { JobRun } from '../../domain/job-run';
import type { AppDeps } from '../context';

export const JOB_NAMES = ['idle-funds-sweep', 'progress-reclaim', 'progress-cap', 'monitoring-snapshot', 'reminders', 'cleanup-scan'] as const;

export async function getRun(deps: AppDeps, runId: string): Promise<JobRun | undefined> {
  return deps.repos.jobRuns.get(runId);
}

export async function listRuns(deps: AppDeps, job: string, limit: number, nextToken?: string) {
  const page = await deps.repos.jobRuns.list(job, limit, nextToken);
  return { ...page, items: page.items.map(runView) };
}

/** A run as the API shows it; a fanned-out run says how many of its shards are done (not their summaries). */
export function runView(run: JobRun) {
  // The finish claim (finisher, finishUntil) is the workers' business, not the API's.
  const { requestedBy, startedAt, finishedAt, error, deferredTo, shards, shardsTotal, finisher: _finisher, finishUntil: _until, ...core } = run;
  return {
    ...core,
    requestedBy,
    startedAt,
    ...(finishedAt ? { finishedAt } : {}),
    ...(error ? { error } : {}),
    ...(deferredTo ? { deferredTo } : {}),
    ...(shardsTotal ? { shardsTotal, shardsDone: Object.keys(shards ?? {}).length } : {}),
  };
}
