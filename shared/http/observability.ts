/** Powertools Logger, made once per execution environment. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'jixiao' });
