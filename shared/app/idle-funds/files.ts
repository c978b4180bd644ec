/**
 * Reading the treasury and bank feeds: CSV (UTF-8, or GB18030 as Excel on a Chinese Windows
 * writes it; RFC 4180 quoting) or XLSX (the first worksheet with a non-empty header row).
 * Only the import function reaches this module, so the record routes do not carry the reader.
 */

import { cellText, decodeText, looksLikeZip, parseCsv, readXlsxSheets, UnreadableFileError } from '../spreadsheet';

export { decodeText, looksLikeZip, parseCsv, UnreadableFileError };

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface Sheet {
  header: string[];
  /** Data rows with the row number a spreadsheet shows (the header is row 1 when first). */
  rows: { row: number; cells: string[] }[];
}

function toSheet(records: { row: number; cells: string[] }[]): Sheet {
  const nonEmpty = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const [head, ...rows] = nonEmpty;
  if (!head) return { header: [], rows: [] };
  return { header: head.cells.map((c) => c.trim()), rows: rows.map((r) => ({ row: r.row, cells: r.cells.map((c) => c.trim()) })) };
}

export function readCsv(bytes: Buffer): Sheet {
  return toSheet(parseCsv(decodeText(bytes)).map((cells, i) => ({ row: i + 1, cells })));
}

export async function readXlsx(bytes: Buffer): Promise<Sheet> {
  for (const ws of readXlsxSheets(bytes)) {
    const sheet = toSheet(ws.rows.map((r) => ({ row: r.row, cells: r.cells.map(cellText) })));
    if (sheet.header.length > 0) return sheet;
  }
  return { header: [], rows: [] };
}

/** The file's kind, from its content type or, when that says nothing useful, its first bytes. */
export async function readSheet(bytes: Buffer, contentType: string | undefined): Promise<Sheet> {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('spreadsheetml') || type.includes('excel') || (!type.includes('csv') && !type.includes('text') && looksLikeZip(bytes))) {
    return readXlsx(bytes);
  }
  return readCsv(bytes);
}
