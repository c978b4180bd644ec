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
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { auditPut } from '../aws/audit';
import { getItem, type Item, transact } from '../aws/db';
import { type IndicatorFilter, indicatorItem, indicatorsRepo } from '../aws/indicators-repo';
import { keys } from '../aws/keys';
import type { Principal } from '../domain/access';
import { BadRequestError, ConflictError, type FieldProblem, ValidationError } from '../domain/errors';
import { type Indicator, type LibraryStats, libraryStats, parseRows, sameIndicator } from '../domain/indicators';
import type { AppDeps } from './context';
import { CSV_TYPE, looksLikeZip, readCsv, readXlsx, type Table, UnreadableFileError, writeCsv, writeXlsx, XLSX_TYPE } from './indicator-files';
import { requestHash } from './ports';

export type FileFormat = 'csv' | 'xlsx';

export async function listIndicators(deps: AppDeps, q: IndicatorFilter & { limit: number; nextToken?: string }) {
  const { limit, nextToken, ...filter } = q;
  const repo = indicatorsRepo(deps.db);
  const [page, total] = await Promise.all([repo.page(filter, limit, nextToken), repo.count(filter)]);
  return { items: page.items, total, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

interface LibraryMeta {
  stats: LibraryStats;
  version: number;
  lastImport?: ImportSummary;
  updatedAt: string;
}

const EMPTY_STATS: LibraryStats = libraryStats([]);

export async function librarySummary(deps: AppDeps) {
  const meta = await getItem<LibraryMeta>(deps.db, keys.indicatorLibrary());
  return { stats: meta?.stats ?? EMPTY_STATS, version: meta?.version ?? 0, lastImport: meta?.lastImport ?? null, updatedAt: meta?.updatedAt ?? null };
}

export interface ImportSummary {
  importId: string;
  format: FileFormat;
  mode: 'merge' | 'replace';
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  fileHash: string;
  at: string;
  by: string;
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
    if (error instanceof UnreadableFileError) throw new BadRequestError('UNREADABLE_FILE', `The file cannot be read as ${format.toUpperCase()}: ${error.message}`);
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

export async function importIndicators(
  deps: AppDeps,
  actor: Principal,
  input: { body: Buffer | undefined; contentType: string | undefined; mode: 'merge' | 'replace' },
) {
  if (!input.body || input.body.byteLength === 0) throw new ValidationError([{ path: 'body', message: 'send the CSV or XLSX file as the body' }]);
  const format = formatOf(input.contentType, input.body);
  const incoming = await readLibraryFile(format, input.body);

  const importId = deps.ids.next();
  const now = deps.clock.now();
  await takeLock(deps, importId, now);
  try {
    const repo = indicatorsRepo(deps.db);
    const existing = new Map((await repo.all()).map((i) => [i.code, i]));
    const at = now.toISOString();
    const puts: Item[] = [];
    const deletes: { PK: string; SK: string }[] = [];
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    const inFile = new Set<string>();
    for (const ind of incoming) {
      inFile.add(ind.code);
      const before = existing.get(ind.code);
      if (before && sameIndicator(before, ind)) {
        unchanged++;
        continue;
      }
      if (before) {
        updated++;
        puts.push(historyItem(before, importId, at, actor, 'updated'));
      } else created++;
      puts.push({ ...indicatorItem(ind), importId, updatedAt: at });
    }
    let deleted = 0;
    if (input.mode === 'replace') {
      for (const [code, before] of existing) {
        if (inFile.has(code)) continue;
        deleted++;
        puts.push(historyItem(before, importId, at, actor, 'deleted'));
        deletes.push(keys.indicator(code));
      }
    }
    await repo.writeBatch(puts, deletes);

    const library = new Map(existing);
    for (const ind of incoming) library.set(ind.code, ind);
    if (input.mode === 'replace') for (const code of [...library.keys()]) if (!inFile.has(code)) library.delete(code);
    const stats = libraryStats(library.values());
    const summary: ImportSummary = {
      importId,
      format,
      mode: input.mode,
      rows: incoming.length,
      created,
      updated,
      unchanged,
      deleted,
      fileHash: requestHash(input.body.toString('base64')),
      at,
      by: actor.sub,
    };
    const meta = await getItem<LibraryMeta>(deps.db, keys.indicatorLibrary());
    const changed = created + updated + deleted > 0;
    const outcome = await transact(deps.db, [
      {
        Put: {
          TableName: deps.db.table,
          Item: { ...keys.indicatorLibrary(), entity: 'IndicatorLibrary', v: 1, stats, version: (meta?.version ?? 0) + (changed ? 1 : 0), lastImport: summary, updatedAt: at },
        },
      },
      auditPut(deps.db, keys.indicatorLibrary().PK, {
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
          createdCodes: listed(incoming.filter((i) => !existing.has(i.code)).map((i) => i.code)),
          updatedCodes: listed(incoming.filter((i) => existing.has(i.code) && !sameIndicator(existing.get(i.code) as Indicator, i)).map((i) => i.code)),
          deletedCodes: listed(deletes.map((k) => k.PK.slice('IND#'.length))),
        },
      }),
    ]);
    if (!outcome.ok) throw new ConflictError('CONCURRENT_UPDATE', 'The library changed while this import ran; import again');
    return { ...summary, stats };
  } finally {
    await releaseLock(deps, importId);
  }
}

/** Codes for the audit record, kept well inside DynamoDB's 400 KB item limit. */
function listed(codes: string[]): string[] {
  const MAX = 4000;
  return codes.length <= MAX ? codes : [...codes.slice(0, MAX), `… and ${codes.length - MAX} more`];
}

function historyItem(before: Indicator, importId: string, at: string, actor: Principal, change: 'updated' | 'deleted'): Item {
  return { ...keys.indicatorHistory(before.code, importId), entity: 'IndicatorHistory', v: 1, before, change, importId, at, by: actor.sub };
}

async function takeLock(deps: AppDeps, owner: string, now: Date) {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await deps.db.doc.send(
      new PutCommand({
        TableName: deps.db.table,
        Item: { ...keys.indicatorImportLock(), entity: 'Lock', v: 1, owner, expiresAt: nowSeconds + LOCK_SECONDS },
        // TTL deletes late: an expired lease is checked here, not trusted to be gone.
        ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': nowSeconds },
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      throw new ConflictError('IMPORT_IN_PROGRESS', 'Another import of the library is running; try again when it has finished');
    }
    throw error;
  }
}

async function releaseLock(deps: AppDeps, owner: string) {
  try {
    await deps.db.doc.send(
      new DeleteCommand({
        TableName: deps.db.table,
        Key: keys.indicatorImportLock(),
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

export async function exportIndicators(deps: AppDeps, format: FileFormat, filter: IndicatorFilter) {
  const indicators = await indicatorsRepo(deps.db).all(filter);
  const day = deps.clock.now().toISOString().slice(0, 10).replace(/-/g, '');
  if (format === 'csv') return { body: writeCsv(indicators), contentType: `${CSV_TYPE}; charset=utf-8`, filename: `indicators-${day}.csv`, count: indicators.length };
  return { body: await writeXlsx(indicators), contentType: XLSX_TYPE, filename: `indicators-${day}.xlsx`, count: indicators.length };
}
