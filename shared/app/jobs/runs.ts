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
  return deps.repos.jobRuns.list(job, limit, nextToken);
}
