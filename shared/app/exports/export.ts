/**
 * GET /v1/exports/{dataset}: one dataset of a year as CSV or XLSX, written row by row from
 * repository pages (datasets.ts) into a streaming writer (writers.ts).
 *
 * Lambda behind API Gateway answers with at most 6 MB, and a binary body goes base64 (4/3).
 * So one response is one *part*: a whole file (header row and all) of at most
 * PART_LIMITS[format] bytes or rows; when the dataset goes on, the part says where with
 * `nextToken` (the repository's page token and the rows of that page already written), and
 * the client asks again with `&nextToken=`. No S3: every part is a file a person can open, and
 * a department's year fits in one part. Memory holds one part and one page, whatever the size
 * of the dataset (bench/exports.ts).
 */
import type { Principal } from '../../domain/access';
import { ValidationError } from '../../domain/errors';
import { type Dataset, DATASET_ZH } from '../../domain/exports';
import type { AppDeps } from '../context';
import { type ExportQuery, type Source, sourceOf } from './datasets';
import { CSV_TYPE, csvWriter, type RowWriter, type Sink, XLSX_TYPE, xlsxWriter } from './writers';

export type ExportFormat = 'csv' | 'xlsx';

/** A part's budget: CSV goes as text (≤ 4.5 MB of UTF-8); XLSX as base64, and the zip's last bytes come after the check (3.5 MB → ≤ ~4.2 MB → ≤ 5.6 MB). */
export const PART_LIMITS: Record<ExportFormat, { maxBytes: number; maxRows: number }> = {
  csv: { maxBytes: 4_500_000, maxRows: 200_000 },
  xlsx: { maxBytes: 3_500_000, maxRows: 100_000 },
};

interface Cursor {
  /** The page token the next part reads first (undefined: the first page). */
  t?: string;
  /** Rows of that page already written. */
  s: number;
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
function decodeCursor(token: string | undefined): Cursor {
  if (!token) return { s: 0 };
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.s === 'number' && Number.isInteger(c.s) && c.s >= 0 && (c.t === undefined || typeof c.t === 'string')) return c;
  } catch {
    // falls through to the 400
  }
  throw new ValidationError([{ path: 'query.nextToken', message: '不是本导出给出的续传标记 (not a token this export gave)' }]);
}

export interface WriteOutcome {
  rows: number;
  bytes: number;
  /** Where the next part starts; undefined when the dataset is complete. */
  nextToken?: string;
}

/**
 * Writes a source's rows from `token` on into `writer` until the dataset ends or `full` says
 * the part is full (checked between rows, so a part always ends at a row boundary).
 */
export async function writeRows(source: Source, writer: RowWriter, token: string | undefined, full: (w: RowWriter) => boolean): Promise<WriteOutcome> {
  let cursor = decodeCursor(token);
  for (;;) {
    const page = await source.page(cursor.t);
    for (let i = cursor.s; i < page.rows.length; i++) {
      if (full(writer)) {
        await writer.finish();
        return { rows: writer.rows, bytes: writer.bytes, nextToken: encodeCursor({ ...(cursor.t ? { t: cursor.t } : {}), s: i }) };
      }
      await writer.add(page.rows[i] ?? []);
    }
    if (!page.nextToken) break;
    cursor = { t: page.nextToken, s: 0 };
  }
  await writer.finish();
  return { rows: writer.rows, bytes: writer.bytes };
}

export function writerFor(format: ExportFormat, source: Source, dataset: Dataset, sink: Sink): Promise<RowWriter> {
  return format === 'csv' ? Promise.resolve(csvWriter(source.columns, sink)) : xlsxWriter(source.columns, DATASET_ZH[dataset], sink);
}

export interface ExportFile extends WriteOutcome {
  body: Buffer;
  contentType: string;
  filename: string;
}

export async function exportDataset(
  deps: AppDeps,
  actor: Principal,
  dataset: Dataset,
  q: ExportQuery & { format: ExportFormat; nextToken?: string },
): Promise<ExportFile> {
  const source = sourceOf(deps, actor, dataset, q);
  const chunks: Buffer[] = [];
  const writer = await writerFor(q.format, source, dataset, (c) => chunks.push(c));
  const limits = PART_LIMITS[q.format];
  const out = await writeRows(source, writer, q.nextToken, (w) => w.bytes >= limits.maxBytes || w.rows >= limits.maxRows);
  const scope = [q.year, q.checkpoint, q.deptId].filter(Boolean).join('-');
  return {
    ...out,
    body: Buffer.concat(chunks),
    contentType: q.format === 'csv' ? CSV_TYPE : XLSX_TYPE,
    filename: `${dataset}-${scope}${q.nextToken ? '-cont' : ''}.${q.format}`,
  };
}
