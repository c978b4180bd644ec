/**
 * Powertools Metrics (EMF), for the job functions only: HTTP functions do not carry it, so
 * their bundles stay smaller.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({ namespace: 'Jixiao', serviceName: 'jixiao' });
