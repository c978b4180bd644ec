/**
 * The annual report's workbook against its JSON (GET /v1/reports/{year}/annual): one sheet per
 * section, each figure a row — its path, the value as a number (yuan for money, with the fen
 * beside it), null where the JSON has null. Answers how many figures it compared.
 */
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { figureRows, SECTION_SHEETS } from '../../shared/app/reports/xlsx';

export async function expectWorkbookOfReport(bytes: Uint8Array, report: Record<string, unknown>): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SECTION_SHEETS));
  let checked = 0;
  for (const [section, title] of Object.entries(SECTION_SHEETS)) {
    const rows = figureRows(report[section]);
    const ws = wb.getWorksheet(title);
    for (const [i, r] of rows.entries()) {
      const row = ws?.getRow(i + 2);
      expect(row?.getCell(1).value).toBe(r.path);
      const value = row?.getCell(2).value;
      if (r.figure.value === null) {
        expect(value).toBeNull();
        continue;
      }
      expect(typeof value).toBe('number');
      if (r.money) {
        expect(row?.getCell(3).value).toBe(r.figure.value);
        expect(Math.round((value as number) * 100)).toBe(r.figure.value);
        expect(row?.getCell(2).numFmt).toContain('元');
      } else expect(value).toBe(r.figure.value);
      checked++;
    }
  }
  return checked;
}
