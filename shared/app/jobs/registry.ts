/**
 * The jobs of SPEC §5 that exist. A job that is not listed here answers 404 UNKNOWN_JOB: never
 * a fake success. Add a job by importing its definition and listing it.
 */
import type { JobDefinition } from './types';

export const JOBS: Record<string, JobDefinition> = {};

export function findJob(name: string): JobDefinition | undefined {
  return Object.hasOwn(JOBS, name) ? JOBS[name] : undefined;
}
