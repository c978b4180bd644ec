import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../shared/domain/errors';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import {
  checkSubmit,
  type LintProblem,
  needsExAnte,
  reviewBody,
  reviewOutcome,
  type TargetAction,
  type TargetStatus,
  transition,
} from '../../shared/domain/targets';
import { leafCut } from '../../shared/domain/rules/target-review';

const STATES: (TargetStatus | undefined)[] = [undefined, 'draft', 'submitted', 'returned', 'approved', 'rejected'];
const ACTIONS: TargetAction[] = ['save', 'submit', 'approve', 'return', 'reject'];

/** The whole table: every (status, action) pair, legal ones with their next status. */
const LEGAL: Record<string, TargetStatus> = {
  'none save': 'draft',
  'draft save': 'draft',
  'draft submit': 'submitted',
  'submitted approve': 'approved',
  'submitted return': 'returned',
  'submitted reject': 'rejected',
  'returned save': 'returned',
  'returned submit': 'submitted',
};

describe('the review state machine', () => {
  for (const status of STATES) {
    for (const action of ACTIONS) {
      const key = `${status ?? 'none'} ${action}`;
      const next = LEGAL[key];
      it(`${key} → ${next ?? '409 ILLEGAL_TRANSITION'}`, () => {
        if (next) {
          expect(transition(status, action)).toBe(next);
          return;
        }
        let caught: unknown;
        try {
          transition(status, action);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ConflictError);
        const e = caught as ConflictError;
        expect(e.statusCode).toBe(409);
        expect(e.code).toBe('ILLEGAL_TRANSITION');
        expect(e.context.status).toBe(status ?? null);
        expect(e.context.action).toBe(action);
      });
    }
  }
  it('has exactly 8 legal transitions of 30', () => {
    let legal = 0;
    for (const s of STATES) for (const a of ACTIONS) if (LEGAL[`${s ?? 'none'} ${a}`]) legal++;
    expect(legal).toBe(8);
  });
});

const error: LintProblem = { code: 'NO_OUTPUT', path: 'indicators', message: 'x', severity: 'error' };
const warning: LintProblem = { code: 'COST_INCOMPLETE', path: 'indicators[0].quantity', message: 'y', severity: 'warning' };

describe('submit', () => {
  it('is refused (409 LINT_FAILED, each error listed) while the lint has errors; warnings do not block', () => {
    expect(() => checkSubmit({ status: 'draft', version: 1, lint: [warning] })).not.toThrow();
    try {
      checkSubmit({ status: 'draft', version: 1, lint: [error, warning] });
      expect.unreachable();
    } catch (e) {
      expect((e as ConflictError).code).toBe('LINT_FAILED');
      expect((e as ConflictError).details).toEqual([{ path: 'indicators', message: 'NO_OUTPUT: x' }]);
    }
  });

  it('after a return needs a revised version first', () => {
    expect(() => checkSubmit({ status: 'returned', version: 2, returnedAtVersion: 2, lint: [] })).toThrow(/revised/);
    expect(() => checkSubmit({ status: 'returned', version: 3, returnedAtVersion: 2, lint: [] })).not.toThrow();
    expect(() => checkSubmit({ status: 'submitted', version: 3, lint: [] })).toThrow(/cannot be submitted/);
  });
});

describe('review outcomes and the cut', () => {
  const project = { kind: 'project' as const, status: 'submitted' as const, returnCount: 0 };

  it('approve passes; a first return does not cut; a rejection cuts', () => {
    expect(reviewOutcome(project, 'approve')).toEqual({ status: 'approved', failing: false, returnCount: 0, cuts: false });
    expect(reviewOutcome(project, 'return')).toEqual({ status: 'returned', failing: true, returnCount: 1, cuts: false });
    expect(reviewOutcome(project, 'reject')).toEqual({ status: 'rejected', failing: true, returnCount: 0, cuts: true });
  });

  it('after a return, a second failing review (return or reject) cuts; approval does not', () => {
    const returned = { ...project, returnCount: 1 };
    expect(reviewOutcome(returned, 'return')).toEqual({ status: 'returned', failing: true, returnCount: 2, cuts: true });
    expect(reviewOutcome(returned, 'reject')).toMatchObject({ status: 'rejected', cuts: true });
    expect(reviewOutcome(returned, 'approve')).toMatchObject({ status: 'approved', cuts: false });
  });

  it('cuts a target once, and never a department-overall target (it has no budget of its own)', () => {
    expect(reviewOutcome({ ...project, returnCount: 2, cut: { reviewId: 'r1' } }, 'return').cuts).toBe(false);
    expect(reviewOutcome({ ...project, kind: 'department' }, 'reject')).toMatchObject({ status: 'rejected', cuts: false });
  });

  it('grades go with decisions as 财预〔2015〕88号 says, and a return or reject gives reasons', () => {
    const ok = (b: unknown) => reviewBody.safeParse(b).success;
    expect(ok({ decision: 'approve', grade: '优' })).toBe(true);
    expect(ok({ decision: 'approve', grade: '良', comments: '' })).toBe(true);
    expect(ok({ decision: 'approve', grade: '中' })).toBe(false);
    expect(ok({ decision: 'return', grade: '中', comments: '指标不够细化' })).toBe(true);
    expect(ok({ decision: 'return', grade: '中' })).toBe(false);
    expect(ok({ decision: 'return', grade: '良', comments: 'x' })).toBe(false);
    expect(ok({ decision: 'reject', grade: '差', comments: '与资金不匹配' })).toBe(true);
    expect(ok({ decision: 'reject', grade: '中', comments: 'x' })).toBe(false);
  });

  it('cuts cutBp of the budget, rounded down, never below what was spent (worked example)', () => {
    expect(leafCut({ budgetFen: 12_345_678, spentFen: 2_000_000 }, 10_000)).toEqual({ amountFen: 10_345_678, budgetAfterFen: 2_000_000 });
    expect(leafCut({ budgetFen: 12_345_678, spentFen: 2_000_000 }, 5_000)).toEqual({ amountFen: 6_172_839, budgetAfterFen: 6_172_839 });
    expect(leafCut({ budgetFen: 12_345_678, spentFen: 9_000_000 }, 5_000)).toEqual({ amountFen: 3_345_678, budgetAfterFen: 9_000_000 });
    expect(leafCut({ budgetFen: 5_000, spentFen: 5_000 }, 10_000)).toEqual({ amountFen: 0, budgetAfterFen: 5_000 });
    expect(leafCut({ budgetFen: 9_007_199_254_740_991, spentFen: 0 }, 3_333)).toEqual({
      amountFen: 3_002_099_511_605_172,
      budgetAfterFen: 6_005_099_743_135_819,
    });
  });

  it('never takes more than cutBp allows nor leaves a budget below spending (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 10_000 }),
        (b, share, cutBp) => {
          const budgetFen = Number(b);
          const spentFen = Math.floor(budgetFen * share);
          const { amountFen, budgetAfterFen } = leafCut({ budgetFen, spentFen }, cutBp);
          expect(amountFen).toBeGreaterThanOrEqual(0);
          expect(BigInt(amountFen) * 10_000n <= BigInt(budgetFen) * BigInt(cutBp)).toBe(true);
          expect(budgetAfterFen).toBeGreaterThanOrEqual(spentFen);
          expect(budgetAfterFen + amountFen).toBe(budgetFen);
        },
      ),
    );
  });

  it('knows a new major project by the policy’s ex-ante threshold', () => {
    const min = DEFAULT_POLICY.exAnte.minBudgetFen; // 5,000,000 yuan
    expect(needsExAnte({ isNew: true, budgetFen: min }, DEFAULT_POLICY)).toBe(true);
    expect(needsExAnte({ isNew: true, budgetFen: min - 1 }, DEFAULT_POLICY)).toBe(false);
    expect(needsExAnte({ isNew: false, budgetFen: min * 10 }, DEFAULT_POLICY)).toBe(false);
  });
});
