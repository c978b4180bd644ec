import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { yearsBetween } from '../../shared/domain/dates';
import { renderEmail } from '../../shared/domain/email';
import { DEFAULT_POLICY, mergePolicy } from '../../shared/domain/policy';
import { checkAllocation, poolBalance } from '../../shared/domain/pool';
import {
  anniversary,
  balanceCandidatesBefore,
  carryoverDueDate,
  carryoverReclaim,
  deferrableReclaim,
  idleBalanceReclaim,
  isIdleBalance,
  isStalePayable,
  maxDueOriginYear,
  payableCandidatesBefore,
  quarterOf,
  stalePayableReclaim,
  sweepDates,
} from '../../shared/domain/rules/idle-funds';
import { normalizeDate, parseRows, yuanToFen } from '../../shared/app/idle-funds/import';

const P = DEFAULT_POLICY.idleFunds;
const P2019 = mergePolicy(DEFAULT_POLICY, { idleFunds: { carryoverYears: 2 } }).idleFunds;

const isoDate = (min = '2000-01-01', max = '2035-12-31') =>
  fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('quarters', () => {
  it('numbers the as-of date by its place among the policy’s quarter ends', () => {
    expect(sweepDates(P, 2020)).toEqual(['2020-03-31', '2020-06-30', '2020-09-30', '2020-12-31']);
    expect(quarterOf('2020-03-31', P)).toBe(1);
    expect(quarterOf('2020-06-30', P)).toBe(2);
    expect(quarterOf('2020-12-31', P)).toBe(4);
    expect(quarterOf('2020-05-31', P)).toBeUndefined();
  });
});

describe('CARRYOVER_RECLAIM', () => {
  it('takes the whole balance from the first sweep on or after 12-31 of originYear + carryoverYears', () => {
    expect(carryoverDueDate(2019, P)).toBe('2020-12-31');
    // As of 2020-12-31 under the 2020 policy (1 year): 2019 and 2018 are due, 2020 is not.
    expect(carryoverReclaim({ originYear: 2019, balanceFen: 12_345_678 }, '2020-12-31', P)).toMatchObject({
      amountFen: 12_345_678,
      figures: { originYear: 2019, carryoverYears: 1, dueDate: '2020-12-31', balanceFen: 12_345_678 },
    });
    expect(carryoverReclaim({ originYear: 2018, balanceFen: 500 }, '2020-12-31', P)?.amountFen).toBe(500);
    expect(carryoverReclaim({ originYear: 2020, balanceFen: 500 }, '2020-12-31', P)).toBeUndefined();
    // One quarter earlier, 2019 money still has until 12-31.
    expect(carryoverReclaim({ originYear: 2019, balanceFen: 500 }, '2020-09-30', P)).toBeUndefined();
    expect(carryoverReclaim({ originYear: 2018, balanceFen: 500 }, '2020-03-31', P)?.amountFen).toBe(500);
    expect(carryoverReclaim({ originYear: 2018, balanceFen: 0 }, '2020-03-31', P)).toBeUndefined();
  });

  it('gives pre-2020 money two years under a 2019 policy of carryoverYears 2', () => {
    expect(carryoverReclaim({ originYear: 2017, balanceFen: 900 }, '2019-12-31', P2019)?.amountFen).toBe(900);
    expect(carryoverReclaim({ originYear: 2018, balanceFen: 900 }, '2019-12-31', P2019)).toBeUndefined();
    expect(carryoverReclaim({ originYear: 2018, balanceFen: 900 }, '2019-12-31', P)?.amountFen).toBe(900);
  });

  it('reads origin years up to the last one due (the index range)', () => {
    expect(maxDueOriginYear('2020-12-31', P)).toBe(2019);
    expect(maxDueOriginYear('2020-09-30', P)).toBe(2018);
    expect(maxDueOriginYear('2019-12-31', P2019)).toBe(2017);
    fc.assert(
      fc.property(isoDate(), fc.integer({ min: 1990, max: 2035 }), fc.integer({ min: 0, max: 5 }), (asOf, originYear, years) => {
        const policy = { ...P, carryoverYears: years };
        const due = carryoverReclaim({ originYear, balanceFen: 1 }, asOf, policy) !== undefined;
        expect(due).toBe(originYear <= maxDueOriginYear(asOf, policy));
      }),
    );
  });
});

describe('STALE_PAYABLE_RECLAIM: unpaid for MORE than payableYears years', () => {
  it('leaves a payable of exactly 3 years and takes one of 3 years and a day', () => {
    expect(stalePayableReclaim({ since: '2017-03-31', amountFen: 4_000_000 }, '2020-03-31', P)).toBeUndefined();
    expect(stalePayableReclaim({ since: '2017-03-30', amountFen: 4_000_000 }, '2020-03-31', P)).toMatchObject({
      amountFen: 4_000_000,
      figures: { since: '2017-03-30', payableYears: 3, limitDate: '2020-03-30', yearsUnpaid: 3 },
    });
    // The day after the anniversary, it is more than 3 years.
    expect(isStalePayable('2017-03-31', '2020-04-01', 3)).toBe(true);
    expect(isStalePayable('2017-06-30', '2020-06-30', 3)).toBe(false);
    expect(isStalePayable('2017-06-29', '2020-06-30', 3)).toBe(true);
  });

  it('takes a 29 February anniversary as 28 February in a common year', () => {
    expect(anniversary('2016-02-29', 3)).toBe('2019-02-28');
    expect(isStalePayable('2016-02-29', '2019-02-28', 3)).toBe(false);
    expect(isStalePayable('2016-02-29', '2019-03-01', 3)).toBe(true);
  });

  it('agrees with the anniversary reading, and the index range holds every stale payable', () => {
    fc.assert(
      fc.property(isoDate('2000-01-01', '2030-12-31'), isoDate('2003-01-01', '2035-12-31'), fc.integer({ min: 0, max: 10 }), (since, asOf, years) => {
        const stale = isStalePayable(since, asOf, years);
        expect(stale).toBe(anniversary(since, years) < asOf);
        if (stale) expect(since < payableCandidatesBefore(asOf, years)).toBe(true);
        if (stale) expect(yearsBetween(since, asOf)).toBeGreaterThanOrEqual(years);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('IDLE_BALANCE_RECLAIM: no movement for idleBalanceMonths months', () => {
  it('takes a balance idle exactly 12 months, and not one idle a day less', () => {
    expect(idleBalanceReclaim({ lastMovementDate: '2019-03-31', balanceFen: 7_654_321 }, '2020-03-31', P)).toMatchObject({
      amountFen: 7_654_321,
      figures: { lastMovementDate: '2019-03-31', idleBalanceMonths: 12, monthsIdle: 12 },
    });
    expect(idleBalanceReclaim({ lastMovementDate: '2019-04-01', balanceFen: 7_654_321 }, '2020-03-31', P)).toBeUndefined();
    expect(isIdleBalance('2019-06-30', '2020-06-30', 12)).toBe(true);
    expect(isIdleBalance('2019-07-01', '2020-06-30', 12)).toBe(false);
    // Month ends: 08-31 → 02-29 is six months.
    expect(isIdleBalance('2019-08-31', '2020-02-29', 6)).toBe(true);
  });

  it('holds every idle balance in the index range', () => {
    expect(balanceCandidatesBefore('2020-03-31', 12)).toBe('2019-04-01');
    expect(balanceCandidatesBefore('2020-12-31', 12)).toBe('2020-01-01');
    expect(balanceCandidatesBefore('2020-01-31', 1)).toBe('2020-01-01');
    fc.assert(
      fc.property(isoDate(), isoDate(), fc.integer({ min: 1, max: 60 }), (last, asOf, months) => {
        if (isIdleBalance(last, asOf, months)) expect(last < balanceCandidatesBefore(asOf, months)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('DEFERRABLE_RECLAIM', () => {
  it('takes the lag behind q × 25% of the current budget', () => {
    // Q1: benchmark 25% of 100,000,000 = 25,000,000; spent 10,000,000 → lag 15,000,000.
    expect(deferrableReclaim({ budgetFen: 100_000_000, spentFen: 10_000_000, spentAsOfFen: 10_000_000 }, 1, P)).toMatchObject({
      amountFen: 15_000_000,
      figures: { quarter: 1, benchmarkBp: 2500, lagFen: 15_000_000, progressBp: 1000, zeroSpend: false },
    });
    // Q2: 50% of 85,000,000 = 42,500,000; spent 30,000,000 → 12,500,000.
    expect(deferrableReclaim({ budgetFen: 85_000_000, spentFen: 30_000_000, spentAsOfFen: 30_000_000 }, 2, P)?.amountFen).toBe(12_500_000);
    // Q4: 100%; 80,000,000 budget, 70,000,001 spent → 9,999,999.
    expect(deferrableReclaim({ budgetFen: 80_000_000, spentFen: 70_000_001, spentAsOfFen: 70_000_001 }, 4, P)?.amountFen).toBe(9_999_999);
    // On or above the benchmark: nothing.
    expect(deferrableReclaim({ budgetFen: 100_000_000, spentFen: 25_000_000, spentAsOfFen: 25_000_000 }, 1, P)).toBeUndefined();
    // Rounded down: 333 × 25% = 83.25 → 83 (zero spend in Q1 is only a lag).
    expect(deferrableReclaim({ budgetFen: 333, spentFen: 0, spentAsOfFen: 0 }, 1, P)?.amountFen).toBe(83);
  });

  it('takes the whole remaining budget of a project that has spent nothing from quarter 2 on', () => {
    // Quarter 1 against quarter 2 for the same untouched 40,000,000.
    expect(deferrableReclaim({ budgetFen: 40_000_000, spentFen: 0, spentAsOfFen: 0 }, 1, P)).toMatchObject({
      amountFen: 10_000_000,
      figures: { zeroSpend: false },
    });
    expect(deferrableReclaim({ budgetFen: 40_000_000, spentFen: 0, spentAsOfFen: 0 }, 2, P)).toMatchObject({
      amountFen: 40_000_000,
      figures: { zeroSpend: true },
    });
    // Spending dated after the as-of date is not "spent as of", but the budget stays above it.
    expect(deferrableReclaim({ budgetFen: 40_000_000, spentFen: 6_000_000, spentAsOfFen: 0 }, 3, P)?.amountFen).toBe(34_000_000);
    // A later policy may start it from quarter 3.
    expect(deferrableReclaim({ budgetFen: 40_000_000, spentFen: 0, spentAsOfFen: 0 }, 2, { ...P, deferrableZeroSpendFromQuarter: 3 })?.amountFen).toBe(
      20_000_000,
    );
  });

  it('never takes more than the rule allows and never leaves the budget below spending', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 50n }).map(Number),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 10_000 }),
        (budgetFen, spentShare, asOfShare, quarter, quarterBp) => {
          const spentFen = Math.floor(budgetFen * spentShare);
          const spentAsOfFen = Math.max(0, Math.floor(spentFen * asOfShare));
          const policy = { ...P, deferrableQuarterBp: quarterBp };
          const r = deferrableReclaim({ budgetFen, spentFen, spentAsOfFen }, quarter, policy);
          if (!r) return;
          const bench = BigInt(Math.min(quarter * quarterBp, 10_000));
          const lag = (BigInt(budgetFen) * bench - BigInt(spentAsOfFen) * 10_000n) / 10_000n;
          const zero = quarter >= policy.deferrableZeroSpendFromQuarter && spentAsOfFen === 0;
          expect(r.amountFen).toBeGreaterThan(0);
          expect(Number.isSafeInteger(r.amountFen)).toBe(true);
          expect(budgetFen - r.amountFen).toBeGreaterThanOrEqual(spentFen);
          if (!zero) expect(BigInt(r.amountFen) <= lag).toBe(true);
          else expect(r.amountFen).toBe(budgetFen - spentFen);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the pool', () => {
  it('balance = reclaimed − allocated − reversed; an allocation may take all of it and no more', () => {
    expect(poolBalance({ inFen: 1_000_000, outFen: 300_000, reversedFen: 200_000 })).toBe(500_000);
    expect(() => checkAllocation(2020, 500_000, 500_000)).not.toThrow();
    expect(() => checkAllocation(2020, 500_000, 500_001)).toThrow(expect.objectContaining({ code: 'POOL_INSUFFICIENT', statusCode: 409 }));
  });
});

describe('the email line of a record', () => {
  it('names what was reclaimed and its balance, not a project budget', () => {
    const mail = renderEmail({ departmentName: '市教育局', runTitle: '2020-03-31 沉淀资金清理（季度）', appUrl: 'http://x' }, [
      {
        kind: 'deduction',
        deductionId: 'CARRYOVER_RECLAIM~carryover~C1~2020-03-31',
        rule: 'CARRYOVER_RECLAIM',
        subject: '2018年结转资金',
        subjectId: 'C1',
        subjectLabel: '结转资金',
        balanceWord: '余额',
        amountFen: 123_456,
        budgetBeforeFen: 123_456,
        budgetAfterFen: 0,
        asOf: '2020-03-31',
        appealDeadline: '2020-04-11',
      },
    ]);
    expect(mail.text).toContain('结转资金：2018年结转资金（C1）');
    expect(mail.text).toContain('调整前余额：1,234.56 元');
    expect(mail.text).toContain('调整后余额：0.00 元');
    expect(mail.subject).toContain('1 项预算调整，合计 1,234.56 元');
  });
});

describe('import rows', () => {
  it('reads yuan exactly, normalizes dates, and lists every bad cell by row and column', () => {
    expect(yuanToFen('1234.5')).toBe(123_450);
    expect(yuanToFen('1,234.56')).toBe(123_456);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('1.234')).toBeUndefined();
    expect(normalizeDate('2017/3/5')).toBe('2017-03-05');
    expect(normalizeDate('20170305')).toBe('2017-03-05');
    const out = parseRows('payable', {
      header: ['payableId', '部门编码', 'counterparty', '金额（元）', 'since'],
      rows: [
        { row: 2, cells: ['P1', 'D001', '某公司', '100.50', '2017-03-30'] },
        { row: 3, cells: ['P2', 'D001', '', '1.234', '2017-02-30'] },
        { row: 4, cells: ['P1', 'D001', '某公司', '1', '2017-01-01'] },
      ],
    });
    expect(out.rows[0]).toEqual({ row: 2, id: 'P1', input: { deptId: 'D001', counterparty: '某公司', amountFen: 10_050, since: '2017-03-30' } });
    // Row 4 repeats P1 (a problem) but its cells are valid, so its references are checked too.
    expect(out.rows.map((r) => r.row)).toEqual([2, 4]);
    expect(out.problems.map((p) => p.path)).toEqual(['rows[3].amountYuan', 'rows[3].counterparty', 'rows[3].since', 'rows[4].payableId']);
  });

  it('refuses a file whose columns are wrong before reading any row', () => {
    const out = parseRows('account', {
      header: ['accountId', 'deptId', 'colour', 'balanceFen', 'balanceYuan'],
      rows: [{ row: 2, cells: ['A', 'D', 'x', '1', '1'] }],
    });
    expect(out.rows).toEqual([]);
    expect(out.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('unknown column "colour"'),
      'missing column unitName',
      'missing column lastMovementDate',
      'give one of balanceFen, balanceYuan, not both',
    ]);
  });
});
