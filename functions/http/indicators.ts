/**
 * The indicator library's routes. This is the only function that imports the library's files
 * (shared/app/indicators → indicator-files, XLSX by shared/files/xlsx); a test keeps it so.
 */
import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { exportIndicators, importIndicators, librarySummary, listIndicators } from '../../shared/app/indicators';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { level1Input, scopeInput } from '../../shared/domain/vocabulary';
import { httpFunction, ok, route } from '../../shared/http/api';
import { binary, text } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

/** A decoded file of 4 MB is about 5.4 MB as base64: inside Lambda's 6 MB request limit. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const filter = {
  scope: z.optional(scopeInput()),
  level1: z.optional(level1Input()),
  domain: z.optional(name),
  category: z.optional(name),
  fundUse: z.optional(name),
};
const listQuery = z.strictObject({
  ...filter,
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 100),
  nextToken: z.optional(z.string().check(z.maxLength(2048))),
});
const exportQuery = z.strictObject({ ...filter, format: z._default(z.enum(['csv', 'xlsx']), 'xlsx') });
const importQuery = z.strictObject({ mode: z._default(z.enum(['merge', 'replace']), 'merge') });

/** Reading the library: the bureau and every department (it is the common vocabulary of targets). */
const READERS = ['department', 'finance', 'performance'] as const;

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'GET /v1/indicators': route({
      response: R.indicatorPage,
      access: READERS,
      query: listQuery,
      handle: async (req) => ok(await listIndicators(deps, req.query)),
    }),
    'GET /v1/indicators/summary': route({
      response: R.indicatorSummary,
      access: READERS,
      handle: async () => ok(await librarySummary(deps)),
    }),
    'GET /v1/indicators/export': route({
      response: R.file([R.CSV, R.XLSX]),
      access: READERS,
      query: exportQuery,
      handle: async (req) => {
        const { format, ...f } = req.query;
        const out = await exportIndicators(deps, format, f);
        return format === 'csv' ? text(200, out.body.toString('utf8'), out.contentType, out.filename) : binary(200, out.body, out.contentType, out.filename);
      },
    }),
    'POST /v1/indicators/import': route({
      response: R.indicatorImport,
      access: ['performance'],
      query: importQuery,
      raw: true,
      maxBodyBytes: MAX_IMPORT_BYTES,
      handle: async (req) =>
        ok(await importIndicators(deps, req.principal, { body: req.rawBody, contentType: req.headers['content-type'], mode: req.query.mode })),
    }),
  });
}

export const handler = makeHandler(liveDeps({ idempotency: repo.idempotency, indicators: repo.indicators }));
