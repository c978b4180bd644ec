/**
 * CSV and XLSX writers that take rows one at a time and hand bytes to a sink as they go, so a
 * file of any length is written in flat memory: CSV line by line (UTF-8 with a BOM, CRLF,
 * RFC 4180 quoting), XLSX through our streaming workbook writer (shared/files/xlsx: inline
 * strings, the sheet deflated in 64 KB batches, nothing kept per row). `full()` says when a part has reached its budget;
 * the export then stops at a row boundary and hands back where to go on (see export.ts).
 */
import { type Cell, type Column, neutralise, pctText, yuanText } from '../../domain/exports';
import { WorkbookWriter } from '../../files/xlsx/write';

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

const NUM_FMT: Partial<Record<Column['kind'], string>> = { yuan: '#,##0.00', pct: '0.00', int: '0' };

/**
 * XLSX, one sheet: a bold, frozen header row; money as numbers in yuan (#,##0.00), progress as
 * numbers in percent. The writer deflates the sheet as rows come, so `bytes` is what the file
 * weighs so far, give or take the batch not yet deflated (counted at 3 bytes a character).
 */
export async function xlsxWriter(columns: Column[], sheetName: string, sink: Sink): Promise<RowWriter> {
  let bytes = 0;
  const wb = new WorkbookWriter((chunk) => {
    bytes += chunk.byteLength;
    sink(chunk);
  });
  const ws = wb.sheet({
    name: sheetName,
    frozenHeader: true,
    columns: columns.map((c) => ({ width: c.width ?? 14, ...(NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {}) })),
  });
  ws.row(
    columns.map((c) => c.header),
    { bold: true },
  );
  let rows = 0;
  return {
    async add(cells) {
      ws.row(columns.map((c, i) => xlsxCell(c.kind, cells[i])));
      rows++;
    },
    get bytes() {
      return bytes + ws.pendingChars * 3;
    },
    get rows() {
      return rows;
    },
    async finish() {
      wb.finish();
    },
  };
}
