/**
 * The jobs of SPEC §5 that exist. A job that is not listed here answers 404 UNKNOWN_JOB: never
 * a fake success. Add a job by importing its definition and listing it.
 */
import { monitoringSnapshotJob } from './monitoring-snapshot';
import { progressCapJob } from './progress-cap';
import { progressReclaimJob } from './progress-reclaim';
import { remindersJob } from './reminders';
import { idleFundsSweepJob } from './idle-funds-sweep';
import { JOB_NAMES } from './runs';
import type { JobDefinition } from './types';
import { cleanupScanJob } from '../cleanup/scan';

export const JOBS: Record<string, JobDefinition> = {
  [idleFundsSweepJob.name]: idleFundsSweepJob,
  [progressReclaimJob.name]: progressReclaimJob,
  [progressCapJob.name]: progressCapJob,
  [monitoringSnapshotJob.name]: monitoringSnapshotJob,
  [remindersJob.name]: remindersJob,
  [cleanupScanJob.name]: cleanupScanJob,
};

// The run readers list the jobs by JOB_NAMES, without importing them: the two lists are one.
if (Object.keys(JOBS).join() !== JOB_NAMES.join()) throw new Error(`JOB_NAMES (runs.ts) must list ${Object.keys(JOBS).join(', ')}`);

export function findJob(name: string): JobDefinition | undefined {
  return Object.hasOwn(JOBS, name) ? JOBS[name] : undefined;
}
