/**
 * Money is integer fen; rates are basis points. Products that can pass 2^53 go through BigInt,
 * and every division rounds down so that no rule takes more than it allows.
 */
export type Fen = number;
export type Bp = number;

export const FULL_BP = 10_000;

/** floor(a * b / c) for non-negative safe integers, exact whatever the size of a * b. */
export function mulDivFloor(a: number, b: number, c: number): number {
  if (c <= 0) throw new RangeError('divisor must be positive');
  const result = (BigInt(a) * BigInt(b)) / BigInt(c);
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('result is not a safe integer');
  return Number(result);
}

/** Spending progress in basis points, rounded down; a zero budget counts as fully spent. */
export function progressBp(spentFen: Fen, budgetFen: Fen): Bp {
  if (budgetFen <= 0) return FULL_BP;
  return mulDivFloor(spentFen, FULL_BP, budgetFen);
}

/** True when spent/budget < thresholdBp/10000, compared exactly (no rounding). */
export function isBelowBp(spentFen: Fen, budgetFen: Fen, thresholdBp: Bp): boolean {
  if (budgetFen <= 0) return false;
  return BigInt(spentFen) * 10_000n < BigInt(budgetFen) * BigInt(thresholdBp);
}

/** "864,197.53 元": fen shown as yuan with thousands separators, for people. */
export function formatYuan(fen: Fen): string {
  const negative = fen < 0;
  const abs = BigInt(Math.abs(fen));
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents} 元`;
}

/** Basis points as a percentage for people: 7550 → "75.50%". */
export function formatBp(bp: Bp): string {
  return `${Math.trunc(bp / 100)}.${String(Math.abs(bp) % 100).padStart(2, '0')}%`;
}

export function sumFen(values: Iterable<Fen>): Fen {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
