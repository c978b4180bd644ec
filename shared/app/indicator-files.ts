/**
 * The library's files: CSV (UTF-8 with BOM, RFC 4180) and XLSX (our own codec,
 * shared/files/xlsx). Only the indicators function imports this module.
 */
import { COLUMNS, type Indicator, LEVEL1, LEVEL1_ZH, LEVEL2, toCells } from '../domain/indicators';
import { type SheetData, writeWorkbook } from '../files/xlsx/write';
import { cellText, decodeText, looksLikeZip, parseCsv, readXlsxSheets, UnreadableFileError } from './spreadsheet';

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
  let fallback: Table | undefined;
  for (const ws of readXlsxSheets(bytes)) {
    const table: Table = { header: [], rows: [] };
    let headerSeen = false;
    for (const { row, cells: values } of ws.rows) {
      const cells = values.map((v) => cellText(v).trim());
      if (cells.every((x) => x === '')) continue;
      if (!headerSeen) {
        table.header = cells;
        headerSeen = true;
      } else table.rows.push({ row, cells });
    }
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
  const rows: SheetData['rows'] = [{ cells: [...COLUMNS], style: { bold: true } }];
  for (const i of indicators) {
    const cells: (string | number)[] = toCells(i);
    if (i.benchmark !== undefined) cells[10] = i.benchmark;
    rows.push({ cells });
  }
  const notes = [
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
  ];
  return writeWorkbook([
    { name: SHEET_NAME, columns: COLUMNS.map((c) => ({ width: widths[c] ?? 12 })), frozenHeader: true, autoFilter: true, rows },
    { name: '说明', columns: [{ width: 14 }, { width: 90 }], rows: notes.map((cells, i) => ({ cells, ...(i === 0 ? { style: { bold: true } } : {}) })) },
  ]);
}
