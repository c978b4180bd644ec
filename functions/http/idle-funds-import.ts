/**
 * Bulk imports of idle-fund records from the treasury and bank feeds (CSV or XLSX). A function
 * of its own because it is the only idle-funds code that reads files (shared/files/xlsx): the
 * records function that answers the everyday PUT/GET stays small.
 */
import type { AppDeps } from '../../shared/app/context';
import { importRecords } from '../../shared/app/idle-funds/import';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { IDLE_KINDS, KIND_INFO } from '../../shared/domain/idle-records';
import { httpFunction, ok, type Routes, route } from '../../shared/http/api';
import * as R from '../../shared/http/responses';

/** A treasury or bank file: 5 MB of CSV is ~40,000 rows (the import takes at most 20,000). */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

export function makeHandler(deps: AppDeps) {
  const routes: Routes = {};
  for (const kind of IDLE_KINDS) {
    routes[`POST /v1/${KIND_INFO[kind].path}/import`] = route({
      access: ['performance'],
      response: R.idleImport,
      raw: true,
      maxBodyBytes: IMPORT_MAX_BYTES,
      handle: async (req) => ok(await importRecords(deps, req.principal, kind, req.rawBody, req.headers['content-type'])),
    });
  }
  return httpFunction(routes);
}

export const handler = makeHandler(liveDeps({ idempotency: repo.idempotency, idleFunds: repo.idleFunds }));
