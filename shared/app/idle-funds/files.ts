/**
 * Reading the treasury and bank feeds: CSV (UTF-8, or GB18030 as Excel on a Chinese Windows
 * writes it; RFC 4180 quoting) or XLSX (the first worksheet with a non-empty header row).
 * exceljs is loaded lazily and only by the idle-funds function, so no other bundle carries it
 * and the record routes do not pay for it at cold start.
 */

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface Sheet {
  header: string[];
  /** Data rows with the row number a spreadsheet shows (the header is row 1 when first). */
  rows: { row: number; cells: string[] }[];
}

/** A file that cannot be read at all. */
export class UnreadableFileError extends Error {}

export function decodeText(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new UnreadableFileError('the file ends inside a quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
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

type ExcelJs = typeof import('exceljs');
let excel: Promise<ExcelJs> | undefined;
async function loadExcel(): Promise<ExcelJs> {
  excel ??= import('exceljs').then((m) => ((m as unknown as { default?: ExcelJs }).default ?? m) as ExcelJs);
  return excel;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // exceljs gives date cells as UTC midnight of the date shown.
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}

export async function readXlsx(bytes: Buffer): Promise<Sheet> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch (error) {
    throw new UnreadableFileError(`the file is not an XLSX workbook (${(error as Error).message})`);
  }
  for (const ws of wb.worksheets) {
    const records: { row: number; cells: string[] }[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = row.values as unknown[];
      const cells: string[] = [];
      // exceljs rows are 1-based: values[0] is empty.
      for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
      records.push({ row: rowNumber, cells });
    });
    const sheet = toSheet(records);
    if (sheet.header.length > 0) return sheet;
  }
  return { header: [], rows: [] };
}

/** Writes a sheet as XLSX (tests and demo files). */
export async function writeXlsx(header: string[], rows: (string | number)[][]): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('data');
  ws.addRow(header);
  ws.addRows(rows);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

export function looksLikeZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The file's kind, from its content type or, when that says nothing useful, its first bytes. */
export async function readSheet(bytes: Buffer, contentType: string | undefined): Promise<Sheet> {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('spreadsheetml') || type.includes('excel') || (!type.includes('csv') && !type.includes('text') && looksLikeZip(bytes))) {
    return readXlsx(bytes);
  }
  return readCsv(bytes);
}
