/**
 * What every file import shares: CSV text (UTF-8, or GB18030 as Excel on a Chinese Windows
 * writes it; RFC 4180 quoting), XLSX sheets through our own reader (shared/files/xlsx), cell
 * values as text. Only the functions that import files reach this module.
 */
import { type ReadSheet, readWorkbook, XlsxError } from '../files/xlsx/read';

/**
 * A file that cannot be read at all (not CSV, not an XLSX workbook). With `zh`, the message is
 * "中文 (English)", which the error mapper answers in the language asked for.
 */
export class UnreadableFileError extends Error {
  constructor(
    readonly en: string,
    readonly zh?: string,
  ) {
    super(zh ? `${zh} (${en})` : en);
  }
}

/**
 * Text of a CSV file: UTF-8 (a BOM is dropped); a file that is not valid UTF-8 is read as
 * GB18030, which is what Excel on a Chinese Windows writes when asked for "CSV".
 */
export function decodeText(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new UnreadableFileError('the file ends inside a quoted field', '文件在带引号的字段中结束');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Every worksheet of an XLSX; a file that is no readable workbook is an UnreadableFileError. */
export function readXlsxSheets(bytes: Buffer): ReadSheet[] {
  try {
    return readWorkbook(bytes);
  } catch (error) {
    if (error instanceof XlsxError) throw new UnreadableFileError(`the file is not an XLSX workbook: ${error.en}`, `文件不是可读的 XLSX 工作簿：${error.zh}`);
    throw error;
  }
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { error?: string };
    if (v.error) return v.error;
  }
  return String(value);
}

/** Is this body a ZIP (every XLSX is one)? Used when the content type says nothing useful. */
export function looksLikeZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}
