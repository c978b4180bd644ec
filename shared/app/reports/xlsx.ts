/**
 * The annual report as an XLSX workbook (shared/files/xlsx): one sheet per section, one
 * row per figure — its name, the value as a number (yuan with a 元 format for money, fen in its
 * own column so nothing is lost to rounding), and its source.
 */
import type { AnnualReport, Figure } from '../../domain/report/annual';
import { type SheetData, writeWorkbook } from '../../files/xlsx/write';

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
  const sheets: SheetData[] = Object.entries(SECTION_SHEETS).map(([section, title]) => {
    const rows: SheetData['rows'] = [{ cells: ['指标', '数值', '分（金额）', '来源'], style: { bold: true } }];
    for (const row of figureRows((r as unknown as Record<string, unknown>)[section])) {
      const { value } = row.figure;
      rows.push({
        cells: [row.path, row.money && value !== null ? value / 100 : value, row.money ? value : null, row.figure.source],
        style: { numFmts: [undefined, row.money ? '#,##0.00"元"' : '#,##0', row.money ? '0' : undefined] },
      });
    }
    return { name: title, columns: [{ width: 42 }, { width: 22 }, { width: 20 }, { width: 70 }], rows };
  });
  return writeWorkbook(sheets);
}
