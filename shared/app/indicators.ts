/**
 * The indicator library: list with filters and totals, import (CSV/XLSX, all or nothing as far
 * as validation goes), export, and the library's figures.
 *
 * An import reads and checks every row before it writes anything: a bad file gets one 400
 * naming each bad row and column, and the library is untouched. A good file is compared with
 * the library: only new and changed indicators are written (the previous content of a changed
 * one is kept as a history item), unchanged ones cost nothing, and `mode=replace` also removes
 * the indicators the file no longer has. Targets copy an indicator's content when they use it,
 * so a later import never changes a saved target.
 */
import type { Principal } from '../domain/access';
import { BadRequestError, ConflictError, type FieldProblem, ValidationError } from '../domain/errors';
import {
  type FileFormat,
  type ImportSummary,
  type Indicator,
  type IndicatorFilter,
  type LibraryChanges,
  type LibraryStats,
  libraryStats,
  parseRows,
  sameIndicator,
} from '../domain/indicators';
import type { AppDeps } from './context';
import { CSV_TYPE, looksLikeZip, readCsv, readXlsx, type Table, UnreadableFileError, writeCsv, writeXlsx, XLSX_TYPE } from './indicator-files';
import { requestHash } from './ports';
export type { IndicatorsRepo } from './indicators/ports';

export type { FileFormat, ImportSummary } from '../domain/indicators';
export type { IndicatorFilter } from '../domain/indicators';

export async function listIndicators(deps: AppDeps, q: IndicatorFilter & { limit: number; nextToken?: string }) {
  const { limit, nextToken, ...filter } = q;
  const repo = deps.repos.indicators;
  const [page, total] = await Promise.all([repo.page(filter, limit, nextToken), repo.count(filter)]);
  return { items: page.items, total, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

const EMPTY_STATS: LibraryStats = libraryStats([]);

export async function librarySummary(deps: AppDeps) {
  const meta = await deps.repos.indicators.meta();
  return { stats: meta?.stats ?? EMPTY_STATS, version: meta?.version ?? 0, lastImport: meta?.lastImport ?? null, updatedAt: meta?.updatedAt ?? null };
}

/** The most problems one 400 lists; a file that bad has a systematic error worth fixing first. */
const MAX_LISTED_PROBLEMS = 2000;

export function formatOf(contentType: string | undefined, body: Buffer): FileFormat {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('spreadsheetml') || type.includes('ms-excel')) return 'xlsx';
  if (type.includes('csv') || type.startsWith('text/plain')) return 'csv';
  if (type === '' || type.includes('octet-stream')) return looksLikeZip(body) ? 'xlsx' : 'csv';
  throw new BadRequestError('UNSUPPORTED_MEDIA_TYPE', `Send the library as ${CSV_TYPE} or ${XLSX_TYPE}, not ${contentType}`);
}

export async function readLibraryFile(format: FileFormat, body: Buffer): Promise<Indicator[]> {
  let table: Table;
  try {
    table = format === 'xlsx' ? await readXlsx(body) : readCsv(body);
  } catch (error) {
    if (error instanceof UnreadableFileError)
      throw new BadRequestError(
        'UNREADABLE_FILE',
        error.zh
          ? `文件无法按 ${format.toUpperCase()} 读取：${error.zh} (The file cannot be read as ${format.toUpperCase()}: ${error.en})`
          : `The file cannot be read as ${format.toUpperCase()}: ${error.message}`,
      );
    throw error;
  }
  if (table.header.length === 0) throw new ValidationError([{ path: 'header', message: 'the file is empty: the first row must name the columns' }]);
  const { indicators, problems } = parseRows(table.header, table.rows);
  if (problems.length > 0) {
    const listed: FieldProblem[] = problems.slice(0, MAX_LISTED_PROBLEMS);
    if (problems.length > MAX_LISTED_PROBLEMS) listed.push({ path: 'rows', message: `and ${problems.length - MAX_LISTED_PROBLEMS} more problems` });
    const badRows = new Set(problems.map((p) => /^rows\[(\d+)\]/.exec(p.path)?.[1]).filter(Boolean)).size;
    throw new ValidationError(listed, `The file has ${problems.length} problem(s) on ${badRows} row(s); nothing was imported`);
  }
  return indicators;
}

const LOCK_SECONDS = 300;

/** What an import changes, against the library as it is: pure. */
function diffLibrary(existing: Map<string, Indicator>, incoming: Indicator[], mode: 'merge' | 'replace', base: Pick<LibraryChanges, 'importId' | 'at' | 'by'>) {
  const changes: LibraryChanges = { ...base, puts: [], history: [], deletes: [] };
  const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  const inFile = new Set(incoming.map((i) => i.code));
  const createdCodes: string[] = [];
  const updatedCodes: string[] = [];
  for (const ind of incoming) {
    const before = existing.get(ind.code);
    if (before && sameIndicator(before, ind)) {
      counts.unchanged++;
      continue;
    }
    if (before) {
      counts.updated++;
      updatedCodes.push(ind.code);
      changes.history.push({ before, change: 'updated' });
    } else {
      counts.created++;
      createdCodes.push(ind.code);
    }
    changes.puts.push(ind);
  }
  if (mode === 'replace') {
    for (const [code, before] of existing) {
      if (inFile.has(code)) continue;
      counts.deleted++;
      changes.history.push({ before, change: 'deleted' });
      changes.deletes.push(code);
    }
  }
  const library = new Map(existing);
  for (const ind of incoming) library.set(ind.code, ind);
  if (mode === 'replace') for (const code of [...library.keys()]) if (!inFile.has(code)) library.delete(code);
  return { changes, counts, stats: libraryStats(library.values()), createdCodes, updatedCodes };
}

export async function importIndicators(
  deps: AppDeps,
  actor: Principal,
  input: { body: Buffer | undefined; contentType: string | undefined; mode: 'merge' | 'replace' },
) {
  if (!input.body || input.body.byteLength === 0) throw new ValidationError([{ path: 'body', message: 'send the CSV or XLSX file as the body' }]);
  const format = formatOf(input.contentType, input.body);
  const incoming = await readLibraryFile(format, input.body);

  const repo = deps.repos.indicators;
  const importId = deps.ids.next();
  const now = deps.clock.now();
  if (!(await repo.takeImportLock(importId, now, LOCK_SECONDS))) {
    throw new ConflictError('IMPORT_IN_PROGRESS', 'Another import of the library is running; try again when it has finished');
  }
  try {
    const existing = new Map((await repo.all()).map((i) => [i.code, i]));
    const at = now.toISOString();
    const diff = diffLibrary(existing, incoming, input.mode, { importId, at, by: actor.sub });
    await repo.applyImport(diff.changes);
    const summary: ImportSummary = {
      importId,
      format,
      mode: input.mode,
      rows: incoming.length,
      ...diff.counts,
      fileHash: requestHash(input.body.toString('base64')),
      at,
      by: actor.sub,
    };
    const meta = await repo.meta();
    const changed = diff.counts.created + diff.counts.updated + diff.counts.deleted > 0;
    const { stats } = diff;
    const written = await repo.saveMeta(
      { stats, version: (meta?.version ?? 0) + (changed ? 1 : 0), lastImport: summary, updatedAt: at },
      {
        auditId: importId,
        entityType: 'IndicatorLibrary',
        entityId: 'library',
        action: 'indicators.imported',
        actor: actor.sub,
        at,
        before: meta ? { stats: meta.stats, version: meta.version } : null,
        // The codes are listed; each changed indicator's previous content is its history item.
        after: {
          ...summary,
          stats,
          createdCodes: listed(diff.createdCodes),
          updatedCodes: listed(diff.updatedCodes),
          deletedCodes: listed(diff.changes.deletes),
        },
      },
    );
    if (!written) throw new ConflictError('CONCURRENT_UPDATE', 'The library changed while this import ran; import again');
    return { ...summary, stats };
  } finally {
    await repo.releaseImportLock(importId);
  }
}

/** Codes for the audit record, kept well inside DynamoDB's 400 KB item limit. */
function listed(codes: string[]): string[] {
  const MAX = 4000;
  return codes.length <= MAX ? codes : [...codes.slice(0, MAX), `… and ${codes.length - MAX} more`];
}

export async function exportIndicators(deps: AppDeps, format: FileFormat, filter: IndicatorFilter) {
  const indicators = await deps.repos.indicators.all(filter);
  const day = deps.clock.now().toISOString().slice(0, 10).replace(/-/g, '');
  if (format === 'csv')
    return { body: writeCsv(indicators), contentType: `${CSV_TYPE}; charset=utf-8`, filename: `indicators-${day}.csv`, count: indicators.length };
  return { body: await writeXlsx(indicators), contentType: XLSX_TYPE, filename: `indicators-${day}.xlsx`, count: indicators.length };
}
