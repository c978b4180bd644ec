/** Figures for people: integer fen as 元 with thousands separators, basis points as %. */
export { formatBp, formatYuan } from '../../shared/domain/money';
import { formatBp } from '../../shared/domain/money';

export const percent = (bp: number | undefined) => (bp === undefined ? '—' : formatBp(bp));

/** "2020-10-05T01:02:03Z" → "2020-10-05 09:02" in Asia/Shanghai. */
export function dateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * The time benchmark (时间进度) of a day in a fiscal year: the share of the year's days gone by,
 * in basis points, rounded down; 10000 once the year is over.
 */
export function timeBenchmarkBp(year: number, today: string): number {
  const start = Date.parse(`${year}-01-01T00:00:00Z`);
  const end = Date.parse(`${year + 1}-01-01T00:00:00Z`);
  const now = Date.parse(`${today}T00:00:00Z`) + 86_400_000;
  if (now >= end) return 10_000;
  if (now <= start) return 0;
  return Math.floor(((now - start) * 10_000) / (end - start));
}

export const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** "1,234.5" 元 → 123450 fen, exactly (no floats); undefined when it is not an amount. */
export function yuanToFen(text: string): number | undefined {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.replace(/[,，\s]/g, ''));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 123450 fen → "1234.50" for an input field (no separators). */
export const fenToInput = (fen: number | undefined) => (fen === undefined ? '' : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`);
