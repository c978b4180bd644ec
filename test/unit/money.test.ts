import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBp, formatYuan, isBelowBp, mulDivFloor, progressBp } from '../../shared/domain/money';

describe('money', () => {
  it('formats fen as yuan the way the bureau writes it', () => {
    expect(formatYuan(86_419_753)).toBe('864,197.53 元');
    expect(formatYuan(5)).toBe('0.05 元');
    expect(formatYuan(0)).toBe('0.00 元');
    expect(formatYuan(190_000_000_000)).toBe('1,900,000,000.00 元');
    expect(formatYuan(-120)).toBe('-1.20 元');
    expect(formatBp(7550)).toBe('75.50%');
    expect(formatBp(10000)).toBe('100.00%');
  });

  it('computes progress rounded down, with a zero budget counting as fully spent', () => {
    expect(progressBp(60_000_000, 100_000_000)).toBe(6000);
    expect(progressBp(1, 3)).toBe(3333);
    expect(progressBp(0, 0)).toBe(10000);
    expect(progressBp(79_999_999, 100_000_000)).toBe(7999);
  });

  it('compares against a threshold exactly, even where the products pass 2^53', () => {
    expect(isBelowBp(80, 100, 8000)).toBe(false);
    expect(isBelowBp(79, 100, 8000)).toBe(true);
    const big = Number.MAX_SAFE_INTEGER; // budget × 8000 is far beyond 2^53
    expect(isBelowBp(big - 1, big, 10000)).toBe(true);
    expect(isBelowBp(big, big, 10000)).toBe(false);
  });

  it('mulDivFloor is floor(a*b/c) exactly', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.nat({ max: 10000 }), fc.integer({ min: 1, max: 10 ** 8 }), (a, b, c) => {
        const exact = (BigInt(a) * BigInt(b)) / BigInt(c);
        if (exact > BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(() => mulDivFloor(a, b, c)).toThrow(RangeError);
          return;
        }
        const r = mulDivFloor(a, b, c);
        expect(BigInt(r)).toBe(exact);
        expect(BigInt(r) * BigInt(c) <= BigInt(a) * BigInt(b)).toBe(true);
      }),
    );
  });

  it('progress never exceeds the exact ratio', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 15 }), fc.double({ min: 0, max: 1, noNaN: true }), (budget, share) => {
        const spent = Math.floor(budget * share);
        const bp = progressBp(spent, budget);
        expect(BigInt(bp) * BigInt(budget) <= BigInt(spent) * 10000n).toBe(true);
        expect(BigInt(bp + 1) * BigInt(budget) > BigInt(spent) * 10000n).toBe(true);
      }),
    );
  });
});
