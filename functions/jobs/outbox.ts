/** Sends the pending emails of the outbox; scheduled every few minutes and started after each job run. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Db } from '../../shared/aws/db';
import type { Mailer } from '../../shared/aws/mailer';
import { dispatchPending } from '../../shared/aws/outbox';
import { metrics } from '../../shared/aws/metrics';
import { logger } from '../../shared/aws/logger';
import { tracer } from '../../shared/aws/tracer';
import { liveDb, liveMailer } from '../compose';

export function makeHandler(db: Db, mailer: Mailer, now: () => Date = () => new Date()) {
  const dispatch = async (_event: unknown) => {
    const result = await dispatchPending(db, mailer, now);
    metrics.addMetric('emailsSent', MetricUnit.Count, result.sent);
    metrics.addMetric('emailsRetried', MetricUnit.Count, result.retried);
    metrics.addMetric('emailsFailed', MetricUnit.Count, result.failed);
    logger.info('outbox dispatched', { ...result });
    return result;
  };
  // logMetrics publishes the counts (and a cold-start metric), also when dispatching throws.
  const wrapped = middy(dispatch)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
  return (event: unknown, context?: Context) => wrapped(event, context ?? ({} as Context));
}

export const handler = makeHandler(liveDb(), liveMailer());
