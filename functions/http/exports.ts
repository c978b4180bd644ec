/**
 * The exports a bureau exchanges (GET /v1/exports/{dataset}): CSV or XLSX of a year's projects,
 * ledger, snapshots, sweeps or pool, with Chinese headers. One response is one part of at most
 * ~4 MB; `x-next-token` (also in the query as `nextToken`) goes on to the next part. XLSX is
 * written by our streaming writer (shared/files/xlsx).
 */
import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { exportDataset } from '../../shared/app/exports/export';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { DATASETS } from '../../shared/domain/exports';
import { CHECKPOINT_PATTERN } from '../../shared/domain/monitoring';
import { idSchema, yearSchema } from '../../shared/domain/project';
import { httpFunction, route } from '../../shared/http/api';
import { binary, text } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const exportQuery = z.strictObject({
  year: z.pipe(z.coerce.number(), yearSchema),
  format: z._default(z.enum(['csv', 'xlsx']), 'xlsx'),
  deptId: z.optional(idSchema),
  checkpoint: z.optional(z.string().check(z.regex(CHECKPOINT_PATTERN, 'expected MM-DD'))),
  nextToken: z.optional(z.string().check(z.maxLength(4096))),
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

export const handler = makeHandler(
  liveDeps({
    departments: repo.departments,
    idempotency: repo.idempotency,
    idleFunds: repo.idleFunds,
    indicators: repo.indicators,
    ledger: repo.ledger,
    monitoring: repo.monitoring,
    policies: repo.policies,
    pool: repo.pool,
    projects: repo.projects,
    snapshots: repo.snapshots,
  }),
);
