/** Errors → HTTP responses, in one place. Only client errors show their message. */
import { DomainError } from '../domain/errors';
import { logger } from './observability';
import { type HttpResponse, json } from './response';

export function errorResponse(error: unknown): HttpResponse {
  if (error instanceof DomainError) {
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (error.details.length > 0) body.details = error.details;
    if (error.statusCode >= 500) logger.error('server error', { error });
    return json(error.statusCode, { error: body });
  }
  logger.error('unhandled error', { error: error as Error });
  return json(500, { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
}
