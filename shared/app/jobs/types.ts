/** What a job is, and what it gets when it runs. */
import type { Principal } from '../../domain/access';
import type { Segment } from '../../domain/job-run';
import type { Policy } from '../../domain/policy';
import type { AppDeps } from '../context';

export interface JobContext {
  deps: AppDeps;
  job: string;
  asOf: string;
  /** The fiscal year of the as-of date; its policy applies. */
  year: number;
  policy: Policy;
  runId: string;
  actor: Principal;
  /** The outbox group of this run: one email per department per job and as-of date. */
  outboxGroup: string;
  /** Bounded concurrency for per-project work. */
  concurrency: number;
  /** A shard of a fanned-out run: only these shards of the sharded index (all when absent). */
  shards?: readonly number[];
  /**
   * One segment of that shard (one shard only): at most `limit` projects after `from`. The job
   * then says in its summary's `next` where the shard goes on (absent: the shard is done).
   */
  segment?: Segment;
}

export type JobSummary = Record<string, unknown>;

export interface JobDefinition {
  name: string;
  /** Title for emails and logs, zh-CN. */
  title: string;
  /** The as-of dates on which this job applies in a year, under that year's policy. */
  dates(policy: Policy, year: number): string[];
  run(ctx: JobContext): Promise<JobSummary>;
  /**
   * A job that can fan out over the shards of its index, in segments (it honours `shards` and
   * `segment` and reports `next`); `same` names summary numbers that are not added up (policy figures).
   */
  fanOut?: { same: readonly string[] };
}
