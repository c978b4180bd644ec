/**
 * Sends the outbox's emails. Two kinds of event reach it: a batch of the table's stream records
 * (a new email, sent at once; the answer reports the records to retry, ReportBatchItemFailures)
 * and anything else, the schedule or the runner after a job run, which sends every pending email
 * that is due, retries included (the backstop).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Db } from '../../shared/aws/db';
import type { Mailer } from '../../shared/aws/mailer';
import { type DispatchResult, dispatchPending } from '../../shared/aws/outbox';
import { dispatchStream, isStreamEvent } from '../../shared/aws/outbox-stream';
import { metrics } from '../../shared/aws/metrics';
import { logger } from '../../shared/aws/logger';
import { tracer } from '../../shared/aws/tracer';
import { liveDb, liveMailer } from '../compose';

function publish(result: DispatchResult): void {
  metrics.addMetric('emailsSent', MetricUnit.Count, result.sent);
  metrics.addMetric('emailsRetried', MetricUnit.Count, result.retried);
  metrics.addMetric('emailsFailed', MetricUnit.Count, result.failed);
}

export function makeHandler(db: Db, mailer: Mailer, now: () => Date = () => new Date()) {
  const dispatch = async (event: unknown) => {
    if (isStreamEvent(event)) {
      const { response, ...result } = await dispatchStream(db, mailer, event, now);
      publish(result);
      logger.info('outbox stream batch', { ...result, records: event.Records.length, toRetry: response.batchItemFailures.length });
      return response;
    }
    const result = await dispatchPending(db, mailer, now);
    publish(result);
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
