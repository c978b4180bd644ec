/**
 * Errors → HTTP responses, in one place (Middy's rule): an error with a 4xx `statusCode` and
 * `expose` shows its code and message; anything else is a 500 with a generic message, logged
 * here, with no internals in the response. A 409 carries its context (e.g. the current
 * `version` of STALE_VERSION) beside its code, so the client can act on it without a read.
 */
import { ConflictError, DomainError } from '../domain/errors';
import { DEFAULT_LOCALE, errorMessage, ERROR_ZH, type Locale } from '../domain/messages';
import { localizeProblem } from './locale';
import { logger } from '../aws/logger';
import { type HttpResponse, json } from './response';

const GENERIC_MESSAGE = 'Something went wrong on our side';
const generic = (locale: Locale) => (locale === 'en' ? GENERIC_MESSAGE : (ERROR_ZH.INTERNAL as string));
const RESERVED = new Set(['code', 'message', 'details']);

export function errorResponse(error: unknown, locale: Locale = DEFAULT_LOCALE): HttpResponse {
  if (!(error instanceof DomainError)) {
    logger.error('unhandled error', { error: error as Error });
    return json(500, { error: { code: 'INTERNAL', message: generic(locale) } });
  }
  if (error.statusCode >= 500 || !error.expose) {
    if (error.statusCode >= 500) logger.error('server error', { error });
    return json(error.statusCode, { error: { code: error.code, message: generic(locale) } });
  }
  const body: Record<string, unknown> = { code: error.code, message: errorMessage(error.code, error.message, locale), ...contextOf(error) };
  if (error.details.length > 0) body.details = error.details.map((p) => localizeProblem(p, locale));
  return json(error.statusCode, { error: body });
}

function contextOf(error: DomainError): Record<string, unknown> {
  if (!(error instanceof ConflictError)) return {};
  return Object.fromEntries(Object.entries(error.context).filter(([k, v]) => !RESERVED.has(k) && v !== undefined));
}
