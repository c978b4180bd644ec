/**
 * The exports a bureau exchanges (GET /v1/exports/{dataset}): CSV or XLSX of a year's projects,
 * ledger, snapshots, sweeps or pool, with Chinese headers. One response is one part of at most
 * ~4 MB; `x-next-token` (also in the query as `nextToken`) goes on to the next part. XLSX is
 * written by our streaming writer (shared/files/xlsx).
 */
import * as z from 'zod';
import type { AppDeps } from '../../shared/app/context';
import { exportDataset } from '../../shared/app/exports/export';
import { liveDeps } from '../compose';
import { DATASETS } from '../../shared/domain/exports';
import { CHECKPOINT_PATTERN } from '../../shared/domain/monitoring';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, route } from '../../shared/http/api';
import { binary, text } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const exportQuery = z.strictObject({
  year: z.coerce.number().pipe(yearSchema),
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  deptId: idSchema.optional(),
  checkpoint: z.string().regex(CHECKPOINT_PATTERN, 'expected MM-DD').optional(),
  nextToken: z.string().max(4096).optional(),
});

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'GET /v1/exports/{dataset}': route({
      access: ['department', 'finance', 'performance'],
      params: z.object({ dataset: z.enum(DATASETS) }),
      query: exportQuery,
      response: R.file([R.CSV, R.XLSX]),
      handle: async (req) => {
        const out = await exportDataset(deps, req.principal, req.params.dataset, req.query);
        const res =
          req.query.format === 'csv'
            ? text(200, out.body.toString('utf8'), out.contentType, out.filename)
            : binary(200, out.body, out.contentType, out.filename);
        res.headers = { ...res.headers, 'x-export-rows': String(out.rows), ...(out.nextToken ? { 'x-next-token': out.nextToken } : {}) };
        return res;
      },
    }),
  });
}

export const handler = makeHandler(liveDeps());
