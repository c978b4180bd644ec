/**
 * Calendar dates are 'YYYY-MM-DD' strings in Asia/Shanghai (UTC+8, no daylight saving).
 * Pure: an instant comes in as an argument, never from a clock.
 */
export type IsoDate = string;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date | string): IsoDate {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole calendar months between two dates, counting a month only once its day is reached. */
export function monthsBetween(from: IsoDate, to: IsoDate): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  let months = (ty - fy) * 12 + (tm - fm);
  if (td < fd && !(td === lastDayOfMonth(ty, tm) && fd >= td)) months -= 1;
  return months;
}

/** Whole years between two dates, a year counting on its anniversary (02-29 → 02-28). */
export function yearsBetween(from: IsoDate, to: IsoDate): number {
  return Math.floor(monthsBetween(from, to) / 12);
}

export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** 'MM-DD' of a policy joined to a year. */
export function onYear(year: number, monthDay: string): IsoDate {
  return `${year}-${monthDay}`;
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
