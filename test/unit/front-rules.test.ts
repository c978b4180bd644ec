/**
 * The rules of the front of the cycle with figures: §3.1 ex-ante (worked example, remit gate,
 * exact 8000/6000 boundaries), §3.2 ranking (each tie key in turn, skip-and-continue, the
 * department order's problems; fast-check: never over the cap, never a fitting project left
 * while a lower one is funded) and §3.3 clean-up (both worked examples, the small-budget line,
 * scattered groups; fast-check: the indexed join equals the naive all-pairs one).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import {
  bigrams,
  cleanupText,
  nearDuplicatePairs,
  nearDuplicatePairsAllPairs,
  scatteredCandidates,
  smallCandidates,
  textSimilarityBp,
  type ScanProject,
} from '../../shared/domain/rules/cleanup';
import { assessExAnte, exAnteRequired, weightedBp } from '../../shared/domain/rules/ex-ante';
import { compareRank, departmentRankingProblems, fundRound, type RankEntry } from '../../shared/domain/rules/ranking';

const EX = DEFAULT_POLICY.exAnte;
const CL = DEFAULT_POLICY.cleanup;
const s = (standard: number, inputOutput: number, goals: number, affordability: number, sustainability: number) => ({
  standard,
  inputOutput,
  goals,
  affordability,
  sustainability,
});

describe('§3.1 ex-ante assessment', () => {
  it('worked example: 90/80/70/85/60 → 7800 bp → adjust', () => {
    const r = assessExAnte({ remit: true, scores: s(90, 80, 70, 85, 60) }, EX);
    expect(r).toMatchObject({
      weightedBp: 7800,
      outcome: 'adjust',
      points: { standard: 1800, inputOutput: 2000, goals: 1400, affordability: 1700, sustainability: 900 },
    });
  });

  it('remit no with perfect scores → reject', () => {
    expect(assessExAnte({ remit: false, scores: s(100, 100, 100, 100, 100) }, EX)).toMatchObject({
      weightedBp: 10000,
      outcome: 'reject',
      reason: 'outside-remit',
    });
  });

  it('boundaries: exactly 8000 → support, 7999 → adjust, exactly 6000 → adjust, 5999 → reject', () => {
    expect(assessExAnte({ remit: true, scores: s(80, 80, 80, 80, 80) }, EX)).toMatchObject({ weightedBp: 8000, outcome: 'support' });
    expect(assessExAnte({ remit: true, scores: s(60, 60, 60, 60, 60) }, EX)).toMatchObject({ weightedBp: 6000, outcome: 'adjust' });
    // 79×20 + 80×80 = 7980 → 7980 bp; with weights of 100 every bp is a point × weight.
    expect(assessExAnte({ remit: true, scores: s(79, 80, 80, 80, 80) }, EX)).toMatchObject({ weightedBp: 7980, outcome: 'adjust' });
    expect(assessExAnte({ remit: true, scores: s(59, 60, 60, 60, 60) }, EX)).toMatchObject({ weightedBp: 5980, outcome: 'reject', reason: 'below-adjust' });
    const odd = { ...EX, weights: { standard: 1, inputOutput: 1, goals: 1, affordability: 0, sustainability: 1 } };
    // (80+80+80+79)×100/4 = 7975 → floor; with supportBp 7975 it is exactly at the line.
    expect(weightedBp(s(80, 80, 80, 0, 79), odd.weights)).toBe(7975);
    expect(assessExAnte({ remit: true, scores: s(80, 80, 80, 0, 79) }, { ...odd, supportBp: 7975 }).outcome).toBe('support');
    expect(assessExAnte({ remit: true, scores: s(80, 80, 80, 0, 79) }, { ...odd, supportBp: 7976 }).outcome).toBe('adjust');
  });

  it('rounds down: 1/3 of a point is dropped', () => {
    expect(weightedBp(s(1, 0, 0, 0, 0), { standard: 1, inputOutput: 1, goals: 1, affordability: 0, sustainability: 0 })).toBe(33);
  });

  it('needs one for a new project at exactly the minimum budget, not a fen below', () => {
    expect(exAnteRequired({ isNew: true, budgetFen: EX.minBudgetFen }, EX)).toBe(true);
    expect(exAnteRequired({ isNew: true, budgetFen: EX.minBudgetFen - 1 }, EX)).toBe(false);
    expect(exAnteRequired({ isNew: false, budgetFen: EX.minBudgetFen }, EX)).toBe(false);
  });

  it('fast-check: weightedBp stays in 0..10000 and the outcome follows the thresholds', () => {
    const score = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(fc.boolean(), score, score, score, score, score, (remit, a, b, c, d, e) => {
        const r = assessExAnte({ remit, scores: s(a, b, c, d, e) }, EX);
        expect(r.weightedBp).toBe(Math.floor(((a * 20 + b * 25 + c * 20 + d * 20 + e * 15) * 100) / 100));
        const expected = !remit ? 'reject' : r.weightedBp >= 8000 ? 'support' : r.weightedBp >= 6000 ? 'adjust' : 'reject';
        expect(r.outcome).toBe(expected);
      }),
    );
  });
});

const e = (
  projectId: string,
  weightedBp: number | undefined,
  deptRank: number | undefined,
  budgetFen: number,
  outcome: RankEntry['outcome'] = 'support',
): RankEntry => ({
  projectId,
  deptId: 'D1',
  budgetFen,
  ...(weightedBp === undefined ? {} : { weightedBp, outcome }),
  ...(deptRank === undefined ? {} : { deptRank }),
});

describe('§3.2 ranking', () => {
  it('orders by weightedBp desc, then department rank, then smaller budget, then projectId', () => {
    const order = (xs: RankEntry[]) => [...xs].sort(compareRank).map((x) => x.projectId);
    // weightedBp decides.
    expect(order([e('A', 7000, 1, 100), e('B', 8200, 9, 900)])).toEqual(['B', 'A']);
    // Same weightedBp: department rank.
    expect(order([e('A', 8200, 2, 100), e('B', 8200, 1, 900)])).toEqual(['B', 'A']);
    // Same rank: the smaller budget.
    expect(order([e('A', 8200, 1, 600), e('B', 8200, 1, 500)])).toEqual(['B', 'A']);
    // All equal: projectId.
    expect(order([e('B', 8200, 1, 500), e('A', 8200, 1, 500)])).toEqual(['A', 'B']);
    // Not ranked by its department: after the ranked ones at the same weightedBp; no assessment last.
    expect(order([e('N', undefined, 1, 1), e('U', 8200, undefined, 1), e('R', 8200, 5, 9)])).toEqual(['R', 'U', 'N']);
  });

  it('worked example: a project that does not fit is skipped and a smaller one after it is funded', () => {
    const r = fundRound([e('A', 8200, 1, 6_000_000), e('B', 8200, 1, 5_000_000), e('C', 7000, 1, 3_000_000)], 10_000_000);
    expect(r.order.map((x) => x.projectId)).toEqual(['B', 'A', 'C']);
    expect(r.funded.map((x) => x.projectId)).toEqual(['B', 'C']);
    expect(r.unfunded).toEqual([{ projectId: 'A', deptId: 'D1', budgetFen: 6_000_000, reason: 'over-cap' }]);
    expect(r).toMatchObject({ fundedFen: 8_000_000, leftFen: 2_000_000 });
  });

  it('lists no-assessment and not-supported as unfunded whatever the cap; a budget exactly the rest is funded', () => {
    const r = fundRound([e('S', 9000, 1, 4_000), e('J', 9500, 1, 1, 'reject'), e('N', undefined, 1, 1), e('T', 6000, 2, 6_000, 'adjust')], 10_000);
    expect(r.funded.map((x) => x.projectId)).toEqual(['S', 'T']);
    expect(r.unfunded.map((u) => [u.projectId, u.reason])).toEqual([
      ['J', 'not-supported'],
      ['N', 'no-assessment'],
    ]);
    expect(r.leftFen).toBe(0);
  });

  it('lists every problem with a department order: missing, foreign, duplicate', () => {
    expect(departmentRankingProblems(['P1', 'P2', 'P3'], ['P2', 'X9', 'P2', 'P1'])).toEqual([
      { path: 'body.projectIds.1', message: 'X9 is not a new project of this department and year' },
      { path: 'body.projectIds.2', message: 'P2 is listed twice (first at 0)' },
      { path: 'body.projectIds', message: 'P3 is missing: every new project of the year must be ranked' },
    ]);
    expect(departmentRankingProblems(['P1', 'P2'], ['P2', 'P1'])).toEqual([]);
  });

  it('fast-check: the funded total never exceeds the cap, and no fitting supported project is left while a lower-ranked one is funded', () => {
    const entry = fc.record({
      projectId: fc.string({ minLength: 1, maxLength: 4 }),
      weightedBp: fc.option(fc.integer({ min: 0, max: 10000 }), { nil: undefined }),
      deptRank: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      budgetFen: fc.integer({ min: 0, max: 5_000_000 }),
      outcome: fc.constantFrom('support', 'adjust', 'reject' as const),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (x) => x.projectId, maxLength: 25 }), fc.integer({ min: 0, max: 20_000_000 }), (xs, cap) => {
        const entries = xs.map((x) => e(x.projectId, x.weightedBp, x.deptRank, x.budgetFen, x.outcome as RankEntry['outcome']));
        const r = fundRound(entries, cap);
        const total = r.funded.reduce((a, f) => a + f.budgetFen, 0);
        expect(total).toBe(r.fundedFen);
        expect(total).toBeLessThanOrEqual(cap);
        const pos = new Map(r.order.map((o, i) => [o.projectId, i]));
        const funded = new Set(r.funded.map((f) => f.projectId));
        for (const u of r.unfunded) {
          if (u.reason !== 'over-cap') continue;
          // Left unfunded: it did not fit in what was left when the walk reached it.
          const before = r.funded.filter((f) => (pos.get(f.projectId) as number) < (pos.get(u.projectId) as number)).reduce((a, f) => a + f.budgetFen, 0);
          expect(u.budgetFen).toBeGreaterThan(cap - before);
        }
        for (const x of entries) {
          const supported = x.weightedBp !== undefined && x.outcome !== 'reject';
          expect(funded.has(x.projectId) || !supported || r.unfunded.some((u) => u.projectId === x.projectId && u.reason === 'over-cap')).toBe(true);
        }
      }),
    );
  });
});

describe('§3.3 clean-up', () => {
  it('worked examples: 5555 bp (not a candidate) and 7777 bp (a candidate)', () => {
    expect(bigrams(cleanupText('城市道路维修养护')).size).toBe(7);
    expect(textSimilarityBp('城市道路维修养护', '城市道路养护维修')).toBe(5555);
    expect(textSimilarityBp('城市道路维修养护', '城市道路维修养护工程')).toBe(7777);
    const items = [
      { projectId: 'A', text: cleanupText('城市道路维修养护') },
      { projectId: 'B', text: cleanupText('城市道路养护维修') },
      { projectId: 'C', text: cleanupText('城市道路维修养护工程') },
    ];
    expect(nearDuplicatePairs(items, CL.similarityBp)).toEqual([{ a: 'A', b: 'C', similarityBp: 7777 }]);
  });

  it('keeps only letters and digits, name then goal', () => {
    expect(cleanupText('思明区 市政-道路（二期）', '完成 3.5 公里')).toBe('思明区市政道路二期完成35公里');
  });

  it('small: below the line only; exactly at 500,000 yuan is not small', () => {
    const p = (projectId: string, budgetFen: number): ScanProject => ({ projectId, deptId: 'D1', domain: '教育', category: 'it', budgetFen, name: projectId });
    expect(smallCandidates([p('AT', CL.smallBudgetFen), p('BELOW', CL.smallBudgetFen - 1)], CL).map((c) => c.projectIds)).toEqual([['BELOW']]);
  });

  it('scattered: 3 or more small projects of one department, domain and category', () => {
    const p = (projectId: string, deptId: string, category: string): ScanProject => ({
      projectId,
      deptId,
      domain: '教育',
      category,
      budgetFen: 100,
      name: projectId,
    });
    const found = scatteredCandidates(
      [p('a', 'D1', 'it'), p('b', 'D1', 'it'), p('c', 'D1', 'it'), p('d', 'D1', 'policy'), p('e', 'D2', 'it'), p('f', 'D2', 'it')],
      CL,
    );
    expect(found).toEqual([{ kind: 'scattered', projectIds: ['a', 'b', 'c'], deptIds: ['D1'], domain: '教育', category: 'it', budgetFen: 300 }]);
  });

  it('fast-check: the indexed join finds exactly the pairs the naive all-pairs comparison finds', () => {
    const alphabet = fc.constantFrom(...'城市道路维修养护工程建设教育12');
    const text = fc.array(alphabet, { minLength: 0, maxLength: 10 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), fc.integer({ min: 0, max: 10000 }), (texts, bp) => {
        const items = texts.map((t, i) => ({ projectId: `P${String(i).padStart(2, '0')}`, text: t }));
        expect(nearDuplicatePairs(items, bp)).toEqual(nearDuplicatePairsAllPairs(items, bp));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the CLEANUP_CUT email line (zh-CN)', () => {
  it('names the rule, the reason, what it merged into, the remaining budget cut and the appeal deadline', async () => {
    const { renderEmail } = await import('../../shared/domain/email');
    const mail = renderEmail({ departmentName: '市交通运输局', runTitle: '2020-01-08 政策清理取消项目', appUrl: 'http://localhost:3000' }, [
      {
        kind: 'deduction',
        deductionId: 'CLEANUP_CUT~project~P1~2020-01-08',
        rule: 'CLEANUP_CUT',
        subject: '城市道路维修养护（重复申报）',
        subjectId: 'P1',
        amountFen: 70_000_000,
        budgetBeforeFen: 100_000_000,
        budgetAfterFen: 30_000_000,
        spentFen: 30_000_000,
        asOf: '2020-01-08',
        appealDeadline: '2020-01-18',
        notes: ['取消原因：与“城市道路维修养护”重复申报', '并入项目：P0', '收回剩余预算（预算 − 已支出）：700,000.00 元'],
      },
    ]);
    expect(mail.subject).toBe('【绩效管理】2020-01-08 政策清理取消项目：1 项预算调整，合计 700,000.00 元');
    for (const text of [
      '规则：政策清理，取消项目收回剩余预算',
      '取消原因：与“城市道路维修养护”重复申报',
      '并入项目：P0',
      '扣减金额：700,000.00 元',
      '调整后预算：300,000.00 元',
      '申诉截止日期：2020-01-18',
    ]) {
      expect(mail.text).toContain(text);
    }
  });
});
