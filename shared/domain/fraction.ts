/**
 * Exact rationals over BigInt, for scores (SPEC §3.9): weights such as 50/3 and ratios such as
 * 95/90 are kept exact, and a total is rounded down once, at the end.
 */
export interface Fraction {
  n: bigint;
  /** Always positive. */
  d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
};

export function frac(n: bigint | number, d: bigint | number = 1n): Fraction {
  let nn = BigInt(n);
  let dd = BigInt(d);
  if (dd === 0n) throw new RangeError('zero denominator');
  if (dd < 0n) [nn, dd] = [-nn, -dd];
  const g = gcd(nn, dd);
  return { n: nn / g, d: dd / g };
}

export const ZERO = frac(0);
export const add = (a: Fraction, b: Fraction) => frac(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Fraction, b: Fraction) => frac(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Fraction, b: Fraction) => frac(a.n * b.n, a.d * b.d);
export const div = (a: Fraction, b: Fraction) => frac(a.n * b.d, a.d * b.n);
export const cmp = (a: Fraction, b: Fraction) => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
export const sum = (xs: Fraction[]) => xs.reduce(add, ZERO);

/** floor(x × scale), exact (towards −∞). */
export function floorTimes(x: Fraction, scale: bigint): bigint {
  const p = x.n * scale;
  const q = p / x.d;
  return p % x.d !== 0n && p < 0n ? q - 1n : q;
}

/**
 * A JSON number as the exact decimal it was written as ("0.95" → 95/100, "1e-7" → 1/10^7),
 * not as the binary double it became.
 */
export function fromNumber(x: number): Fraction {
  if (!Number.isFinite(x)) throw new RangeError(`${x} is not a finite number`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(x));
  if (!m) throw new RangeError(`cannot read ${x}`);
  const [, sign, whole, decimals = '', exp = '0'] = m;
  let n = BigInt(`${whole}${decimals}`);
  let d = 10n ** BigInt(decimals.length);
  const e = Number(exp);
  if (e >= 0) n *= 10n ** BigInt(e);
  else d *= 10n ** BigInt(-e);
  return frac(sign === '-' ? -n : n, d);
}

/** For people: rounded down to `places` decimals ("56.25", "16.6666"). */
export function toDecimal(x: Fraction, places = 4): string {
  const scaled = floorTimes(x, 10n ** BigInt(places));
  const neg = scaled < 0n;
  const abs = (neg ? -scaled : scaled).toString().padStart(places + 1, '0');
  const whole = abs.slice(0, abs.length - places);
  const dec = abs.slice(abs.length - places).replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${dec ? `.${dec}` : ''}`;
}

/** Exact, for the derivation: "50/3" or "40". */
export const toExact = (x: Fraction) => (x.d === 1n ? x.n.toString() : `${x.n}/${x.d}`);
