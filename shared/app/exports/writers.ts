/**
 * CSV and XLSX writers that take rows one at a time and hand bytes to a sink as they go, so a
 * file of any length is written in flat memory: CSV line by line (UTF-8 with a BOM, CRLF,
 * RFC 4180 quoting), XLSX through exceljs's streaming `WorkbookWriter` (each row committed,
 * inline strings, nothing kept per row). `full()` says when a part has reached its budget;
 * the export then stops at a row boundary and hands back where to go on (see export.ts).
 */
import { PassThrough } from 'node:stream';
import { type Cell, type Column, neutralise, pctText, yuanText } from '../../domain/exports';
import { loadExcel } from '../spreadsheet';

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type Sink = (chunk: Buffer) => void;

export interface RowWriter {
  add(cells: Cell[]): Promise<void>;
  /** Bytes handed to the sink so far. */
  readonly bytes: number;
  readonly rows: number;
  finish(): Promise<void>;
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvCell(kind: Column['kind'], v: Cell): string {
  if (v === undefined) return '';
  if (typeof v === 'number') {
    if (kind === 'yuan') return yuanText(v);
    if (kind === 'pct') return pctText(v);
    return String(v);
  }
  return csvField(neutralise(v));
}

/** CSV: the BOM and header first, then a line a row; lines are batched into ~64 KB chunks. */
export function csvWriter(columns: Column[], sink: Sink): RowWriter {
  let pending: string[] = [];
  let pendingChars = 0;
  let bytes = 0;
  let rows = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const chunk = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingChars = 0;
    bytes += chunk.byteLength;
    sink(chunk);
  };
  const push = (line: string) => {
    pending.push(line);
    pendingChars += line.length;
    if (pendingChars >= 64 * 1024) flush();
  };
  push(`\uFEFF${columns.map((c) => csvField(c.header)).join(',')}\r\n`);
  return {
    async add(cells) {
      push(`${columns.map((c, i) => csvCell(c.kind, cells[i])).join(',')}\r\n`);
      rows++;
    },
    // Counts what is still batched too (UTF-8: up to 3 bytes a character), so a budget holds.
    get bytes() {
      return bytes + pendingChars * 3;
    },
    get rows() {
      return rows;
    },
    async finish() {
      flush();
    },
  };
}

function xlsxCell(kind: Column['kind'], v: Cell): string | number | null {
  if (v === undefined) return null;
  if (typeof v === 'number') {
    if (kind === 'yuan') return v / 100;
    if (kind === 'pct') return v / 100;
    return v;
  }
  return neutralise(v);
}

interface SheetStream {
  pipes?: { _writableState?: { length?: number } }[];
}
/**
 * Bytes of sheet XML written but not yet taken by the zip's deflate: exceljs pipes the sheet's
 * buffer into a (readable-stream) PassThrough that archiver reads; its write side keeps what
 * waits. Internals of exceljs 4.4 (a test and bench/exports.ts hold it): 0 if they change.
 */
function unzipped(ws: unknown): number {
  const sb = (ws as { _stream?: SheetStream })._stream;
  return (sb?.pipes ?? []).reduce((s, p) => s + (p._writableState?.length ?? 0), 0);
}

const NUM_FMT: Partial<Record<Column['kind'], string>> = { yuan: '#,##0.00', pct: '0.00', int: '0' };

/**
 * XLSX, one sheet: a bold, frozen header row; money as numbers in yuan (#,##0.00), progress as
 * numbers in percent. exceljs's streaming writer zips as rows are committed.
 */
export async function xlsxWriter(columns: Column[], sheetName: string, sink: Sink): Promise<RowWriter> {
  const ExcelJS = await loadExcel();
  const stream = new PassThrough();
  let bytes = 0;
  stream.on('data', (chunk: Buffer) => {
    bytes += chunk.byteLength;
    sink(chunk);
  });
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'Jixiao';
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({
    key: String(i),
    width: c.width ?? 14,
    ...(NUM_FMT[c.kind] ? { style: { numFmt: NUM_FMT[c.kind] } } : {}),
  }));
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  let rows = 0;
  return {
    async add(cells) {
      ws.addRow(columns.map((c, i) => xlsxCell(c.kind, cells[i]))).commit();
      rows++;
      // Committed rows go into the sheet's buffer and on to the zip's deflate, which runs on the
      // thread pool and applies no backpressure: rows would pile up faster than they are zipped.
      // So every 500 rows, wait while more than 1 MB of XML is still waiting to be zipped.
      if (rows % 500 === 0) while (unzipped(ws) > 1_000_000) await new Promise((r) => setTimeout(r, 2));
    },
    get bytes() {
      return bytes;
    },
    get rows() {
      return rows;
    },
    async finish() {
      ws.commit();
      await wb.commit();
      await ended;
    },
  };
}
