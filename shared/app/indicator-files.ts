/**
 * The library's files: CSV (UTF-8 with BOM, RFC 4180) and XLSX (exceljs). Only the indicators
 * function imports this module, so exceljs stays out of every other bundle; it is loaded
 * lazily, so the library's list route does not pay for it at cold start either.
 */
import { COLUMNS, type Indicator, LEVEL1, LEVEL1_ZH, LEVEL2, toCells } from '../domain/indicators';
import { cellText, decodeText, loadExcel, looksLikeZip, parseCsv, UnreadableFileError } from './spreadsheet';

export { decodeText, looksLikeZip, parseCsv, UnreadableFileError };

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SHEET_NAME = 'indicators';

export interface Table {
  header: string[];
  /** Data rows with their spreadsheet row number (the header is row 1). */
  rows: { row: number; cells: string[] }[];
}

function toTable(records: string[][]): Table {
  const headerAt = records.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (headerAt < 0) return { header: [], rows: [] };
  const header = records[headerAt] as string[];
  const rows: Table['rows'] = [];
  for (let i = headerAt + 1; i < records.length; i++) {
    const cells = records[i] as string[];
    if (cells.every((c) => c.trim() === '')) continue;
    rows.push({ row: i + 1, cells });
  }
  return { header, rows };
}

export function readCsv(bytes: Buffer): Table {
  return toTable(parseCsv(decodeText(bytes)));
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** UTF-8 with a BOM (so Excel shows the Chinese), CRLF line ends, the header row first. */
export function writeCsv(indicators: Iterable<Indicator>): Buffer {
  const lines = [COLUMNS.join(',')];
  for (const i of indicators) lines.push(toCells(i).map(csvField).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

// ---------------------------------------------------------------- XLSX

/**
 * The first worksheet whose header row names a `code` column (so a workbook may carry a notes
 * sheet first), read as text; row numbers are the sheet's own.
 */
export async function readXlsx(bytes: Buffer): Promise<Table> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch (error) {
    throw new UnreadableFileError(`the file is not an XLSX workbook (${(error as Error).message})`);
  }
  let fallback: Table | undefined;
  for (const ws of wb.worksheets) {
    const table: Table = { header: [], rows: [] };
    let headerSeen = false;
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = row.values as unknown[];
      // exceljs rows are 1-based: values[0] is empty.
      const cells: string[] = [];
      for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]).trim());
      if (!headerSeen) {
        if (cells.every((x) => x === '')) return;
        table.header = cells;
        headerSeen = true;
        return;
      }
      if (cells.every((x) => x === '')) return;
      table.rows.push({ row: rowNumber, cells });
    });
    if (table.header.some((h) => /^(code|编码|指标编码|代码)$/i.test(h.trim()))) return table;
    fallback ??= table;
  }
  return fallback ?? { header: [], rows: [] };
}

/**
 * Sheet `indicators`: the header row of column names, one indicator a row (benchmark as a
 * number, everything else as text), frozen header and filters; sheet `说明` lists the values.
 */
export async function writeXlsx(indicators: Iterable<Indicator>): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jixiao';
  const ws = wb.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths: Record<string, number> = {
    code: 14,
    scope: 9,
    category: 18,
    domain: 16,
    fundUse: 20,
    level1: 13,
    level2: 16,
    name: 36,
    unit: 8,
    direction: 11,
    benchmark: 11,
  };
  ws.columns = COLUMNS.map((c) => ({ key: c, width: widths[c] ?? 12 }));
  ws.addRow([...COLUMNS]).font = { bold: true };
  const rows: (string | number)[][] = [];
  for (const i of indicators) {
    const cells: (string | number)[] = toCells(i);
    if (i.benchmark !== undefined) cells[10] = i.benchmark;
    rows.push(cells);
  }
  ws.addRows(rows);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };

  const notes = wb.addWorksheet('说明');
  notes.columns = [{ width: 14 }, { width: 90 }];
  notes.addRows([
    ['列', '内容'],
    ['code', '指标编码，唯一（字母、数字、. _ -，最长 64）'],
    ['scope', 'general 共性指标 | core 部门核心指标'],
    ['category', '类别（共性指标的分类，或核心指标的行业类别）'],
    ['domain', '行业领域（仅核心指标）'],
    ['fundUse', '资金用途（仅核心指标）'],
    ['level1', LEVEL1.map((l) => `${l} ${LEVEL1_ZH[l]}`).join(' | ')],
    ['level2', LEVEL1.map((l) => `${l}: ${LEVEL2[l].map((x) => `${x.code} ${x.zh}`).join(', ')}`).join('；')],
    ['name', '三级指标名称'],
    ['unit', '计量单位（定量指标必填）'],
    ['direction', '>= | <= | = | qualitative（定性）'],
    ['benchmark', '标杆值（数字，可空；定性指标不填）'],
    ['框架', '2021 年框架：成本为一级指标。2021 年以前年度的目标将成本指标读作“产出指标—成本指标”。'],
  ]);
  notes.getRow(1).font = { bold: true };
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
