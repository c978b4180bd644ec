/**
 * Powertools Logger, made once per execution environment. It lives outside shared/http so that
 * job functions log without carrying HTTP code.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'jixiao' });
