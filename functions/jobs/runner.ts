/**
 * The job runner: invoked by EventBridge Scheduler ({job, scheduledTime, asOfOffsetDays}) or by
 * the jobs API ({job, asOf, runId, requestedBy}). The as-of date comes from the schedule's
 * scheduled time, so a retry or a late run computes the same date; on days the policy does not
 * name for the job, a scheduled invocation does nothing.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { AppDeps } from '../../shared/app/context';
import { type ShardQueue, startFannedRun } from '../../shared/app/jobs/fanout';
import { findJob } from '../../shared/app/jobs/registry';
import { asOfFromSchedule, runJob } from '../../shared/app/jobs/runner';
import { yearPolicy } from '../../shared/app/policies';
import { config } from '../../shared/aws/clients';
import { type Invoker, liveInvoker } from '../../shared/aws/invoker';
import { liveShardQueue } from '../../shared/aws/shard-queue';
import { liveDeps } from '../compose';
import { jobRepositories } from '../job-repositories';
import { SYSTEM } from '../../shared/domain/access';
import { yearOf } from '../../shared/domain/dates';
import { metrics } from '../../shared/aws/metrics';
import { logger } from '../../shared/aws/logger';
import { tracer } from '../../shared/aws/tracer';

export interface RunnerEvent {
  job: string;
  scheduledTime?: string;
  asOfOffsetDays?: number;
  asOf?: string;
  runId?: string;
  requestedBy?: string;
}

/** `queue`: the shard queue when fan-out is on: a job that declares `fanOut` is handed to the shard workers. */
export function makeHandler(deps: AppDeps, invoker: Invoker, queue?: ShardQueue) {
  const handle = async (event: RunnerEvent) => {
    const def = findJob(event.job);
    if (!def) {
      logger.warn('no such job', { job: event.job });
      return { status: 'skipped', reason: 'UNKNOWN_JOB', job: event.job };
    }
    let asOf = event.asOf;
    if (event.scheduledTime) {
      asOf = asOfFromSchedule(event.scheduledTime, event.asOfOffsetDays ?? 0);
      const policy = await yearPolicy(deps.repos.policies, yearOf(asOf));
      if (!def.dates(policy, yearOf(asOf)).includes(asOf)) return { status: 'skipped', job: def.name, asOf };
    }
    if (!asOf) throw new Error('The event names neither an as-of date nor a scheduled time');
    const runId = event.runId ?? deps.ids.next();
    const actor = event.requestedBy ? { sub: event.requestedBy, roles: SYSTEM.roles } : SYSTEM;
    if (def.fanOut && queue) {
      // The shard workers do the work and seal the emails; the table's stream sends them.
      const fanned = await startFannedRun(deps, queue, { job: def.name, asOf, runId, actor });
      metrics.addDimension('job', def.name);
      metrics.addMetric('fannedRuns', MetricUnit.Count, 1);
      logger.info('job run fanned out', { runId, job: def.name, asOf, status: fanned.status, shards: fanned.shardsTotal });
      return fanned;
    }
    const run = await runJob(deps, { job: def.name, asOf, runId, actor, appUrl: config().APP_URL });
    const summary = (run.summary ?? {}) as Record<string, unknown>;
    metrics.addDimension('job', def.name);
    metrics.addMetric('jobRuns', MetricUnit.Count, 1);
    if (typeof summary.deductions === 'number') metrics.addMetric('deductions', MetricUnit.Count, summary.deductions);
    if (typeof summary.amountFen === 'number') metrics.addMetric('fenReclaimed', MetricUnit.Count, summary.amountFen);
    if (typeof summary.emails === 'number') metrics.addMetric('emailsQueued', MetricUnit.Count, summary.emails);
    if (Number(summary.emails ?? 0) > 0) await invoker.invokeAsync('outbox', { reason: `${def.name}~${asOf}` });
    logger.info('job run finished', { runId, job: def.name, asOf, status: run.status });
    return run;
  };
  // logMetrics publishes what the run added (and a cold-start metric), also when it throws.
  const wrapped = middy(handle)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
  return (event: RunnerEvent, context?: Context) => wrapped(event, context ?? ({} as Context));
}

export const handler = makeHandler(liveDeps(jobRepositories), await liveInvoker(), liveShardQueue());
