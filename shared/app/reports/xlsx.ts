/**
 * The annual report as an XLSX workbook (exceljs, loaded lazily): one sheet per section, one
 * row per figure — its name, the value as a number (yuan with a 元 format for money, fen in its
 * own column so nothing is lost to rounding), and its source.
 */
import type { AnnualReport, Figure } from '../../domain/report/annual';
import { loadExcel } from '../spreadsheet';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const SECTION_SHEETS: Record<string, string> = {
  cleanup: '政策清理',
  library: '指标库',
  targets: '绩效目标',
  publication: '目标公开',
  monitoring: '双监控',
  reclaimed: '收回资金与统筹',
  businessIncome: '事业收入安排支出',
  selfEvaluation: '绩效自评',
  keyEvaluations: '重点评价',
};

const isFigure = (v: unknown): v is Figure<number | null> =>
  typeof v === 'object' && v !== null && 'value' in v && 'source' in v && (typeof (v as Figure).value === 'number' || (v as Figure<null>).value === null);

export interface FigureRow {
  path: string;
  figure: Figure<number | null>;
  money: boolean;
}

/** Every figure of a section, depth first, named by its path (`groups.一级项目.filed`). */
export function figureRows(value: unknown, path = ''): FigureRow[] {
  if (isFigure(value)) return [{ path, figure: value, money: /Fen$/.test(path) }];
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => {
      const o = v as Record<string, unknown>;
      const name = String(o.label ?? o.rule ?? o.checkpoint ?? o.month ?? o.grade ?? i);
      return figureRows(v, path ? `${path}.${name}` : name);
    });
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => figureRows(v, path ? `${path}.${k}` : k));
  }
  return [];
}

export async function annualReportXlsx(r: AnnualReport): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jixiao';
  for (const [section, title] of Object.entries(SECTION_SHEETS)) {
    const ws = wb.addWorksheet(title);
    ws.columns = [
      { header: '指标', key: 'path', width: 42 },
      { header: '数值', key: 'value', width: 22 },
      { header: '分（金额）', key: 'fen', width: 20 },
      { header: '来源', key: 'source', width: 70 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const row of figureRows((r as unknown as Record<string, unknown>)[section])) {
      const added = ws.addRow({
        path: row.path,
        value: row.money && row.figure.value !== null ? row.figure.value / 100 : row.figure.value,
        fen: row.money ? row.figure.value : null,
        source: row.figure.source,
      });
      added.getCell('value').numFmt = row.money ? '#,##0.00"元"' : '#,##0';
      if (row.money) added.getCell('fen').numFmt = '0';
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
