/** Sends the pending emails of the outbox; scheduled every few minutes and started after each job run. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { Db } from '../../shared/aws/db';
import { config, documentClient, sesClient } from '../../shared/aws/clients';
import { type Mailer, sesMailer } from '../../shared/aws/mailer';
import { dispatchPending } from '../../shared/aws/outbox';
import { metrics } from '../../shared/aws/metrics';
import { logger } from '../../shared/http/observability';

export function makeHandler(db: Db, mailer: Mailer, now: () => Date = () => new Date()) {
  return async (_event: unknown, context?: Context) => {
    if (context) logger.addContext(context);
    const result = await dispatchPending(db, mailer, now);
    metrics.addMetric('emailsSent', MetricUnit.Count, result.sent);
    metrics.addMetric('emailsRetried', MetricUnit.Count, result.retried);
    metrics.addMetric('emailsFailed', MetricUnit.Count, result.failed);
    metrics.publishStoredMetrics();
    logger.info('outbox dispatched', { ...result });
    return result;
  };
}

export const handler = makeHandler({ doc: documentClient(), table: config().TABLE_NAME }, sesMailer(sesClient(), config().MAIL_FROM));
