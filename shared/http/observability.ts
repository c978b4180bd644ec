/** Powertools Logger and Metrics, made once per execution environment. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'jixiao' });
export const metrics = new Metrics({ namespace: 'Jixiao', serviceName: 'jixiao' });
