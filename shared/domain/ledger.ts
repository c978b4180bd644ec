/**
 * The deductions ledger (SPEC §2): immutable entries that change a budget or balance. A
 * reversal is a new, compensating entry; an entry's figures are never edited. Ids are
 * deterministic (rule + what + as-of) so a rerun finds the entry and does nothing.
 */
import type { Fen } from './money';

export const DEDUCTION_RULES = [
  'PROGRESS_RECLAIM',
  'NEXT_YEAR_CAP',
  'TARGET_REVIEW_CUT',
  'CLEANUP_CUT',
  'CARRYOVER_RECLAIM',
  'STALE_PAYABLE_RECLAIM',
  'IDLE_BALANCE_RECLAIM',
  'DEFERRABLE_RECLAIM',
  'RESULTS_CUT',
  'REVERSAL',
] as const;
export type DeductionRule = (typeof DEDUCTION_RULES)[number];

export const DEDUCTION_STATUSES = ['applied', 'appealed', 'upheld', 'reversed'] as const;
export type DeductionStatus = (typeof DEDUCTION_STATUSES)[number];

/** The rule in words, for emails and reports (zh-CN first). */
export const RULE_WORDS: Record<DeductionRule, { zh: string; en: string }> = {
  PROGRESS_RECLAIM: { zh: '9月底支出进度未达80%，按比例收回', en: 'September spending below 80%: lag reclaimed' },
  NEXT_YEAR_CAP: { zh: '上年11月支出进度低于90%，按实际执行数安排预算', en: 'Next year capped at last year’s actual spending' },
  TARGET_REVIEW_CUT: { zh: '绩效目标审核不合格，压减预算安排', en: 'Performance target failed review: budget cut' },
  CLEANUP_CUT: { zh: '政策清理，取消项目收回剩余预算', en: 'Policy clean-up: cancelled project’s remaining budget cut' },
  CARRYOVER_RECLAIM: { zh: '结转资金超期未使用，收回统筹', en: 'Carryover funds unspent past the limit reclaimed' },
  STALE_PAYABLE_RECLAIM: { zh: '往来款挂账超期，收回统筹', en: 'Stale payables reclaimed' },
  IDLE_BALANCE_RECLAIM: { zh: '单位实有账户资金长期闲置，收回统筹', en: 'Idle account balance reclaimed' },
  DEFERRABLE_RECLAIM: { zh: '可暂缓实施项目支出进度滞后，收回统筹', en: 'Deferrable project behind schedule: lag reclaimed' },
  RESULTS_CUT: { zh: '评价结果应用，压减预算', en: 'Evaluation result applied: budget cut' },
  REVERSAL: { zh: '申诉成立，冲回扣减', en: 'Appeal upheld: deduction reversed' },
};

/** "9月底" for a month's last day, "9月15日" otherwise (a policy may move a rule's date). */
function dayWords(monthDay: string): string {
  const [m, d] = monthDay.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(2001, m, 0)).getUTCDate();
  return d === last || (m === 2 && d === 29) ? `${m}月底` : `${m}月${d}日`;
}
const pctWords = (bp: number) => `${bp % 100 === 0 ? bp / 100 : (bp / 100).toFixed(2)}%`;

/**
 * The words for a deduction's rule as the year's policy made it: a PROGRESS_RECLAIM under a
 * 70% threshold is "9月底支出进度未达70%", not the default's 80%. The threshold and date come
 * from the entry's own figures (what the rule ran with); without them, the default words.
 */
export function ruleWords(rule: DeductionRule, figures: Record<string, unknown>, asOf: string): string {
  const threshold = typeof figures.thresholdBp === 'number' ? figures.thresholdBp : undefined;
  if (threshold !== undefined && rule === 'PROGRESS_RECLAIM' && /^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    return `${dayWords(asOf.slice(5))}支出进度未达${pctWords(threshold)}，按比例收回`;
  }
  if (threshold !== undefined && rule === 'NEXT_YEAR_CAP' && typeof figures.flaggedAsOf === 'string') {
    return `上年${dayWords(figures.flaggedAsOf.slice(5)).replace(/底$/, '')}支出进度低于${pctWords(threshold)}，按实际执行数安排预算`;
  }
  return RULE_WORDS[rule].zh;
}

/** The words for a rule under a year's policy, where no entry's figures are at hand (pool, sweeps). */
export function policyRuleWords(
  rule: DeductionRule,
  policy: { progressReclaim: { date: string; thresholdBp: number }; progressCap: { date: string; thresholdBp: number } },
): string {
  if (rule === 'PROGRESS_RECLAIM') return ruleWords(rule, { thresholdBp: policy.progressReclaim.thresholdBp }, `2001-${policy.progressReclaim.date}`);
  return RULE_WORDS[rule].zh;
}

/** What a deduction took from. */
export type DeductionTarget =
  | { kind: 'project'; projectId: string }
  | { kind: 'carryover'; carryoverId: string }
  | { kind: 'payable'; payableId: string }
  | { kind: 'account'; accountId: string };

export function targetId(t: DeductionTarget): string {
  switch (t.kind) {
    case 'project':
      return t.projectId;
    case 'carryover':
      return t.carryoverId;
    case 'payable':
      return t.payableId;
    case 'account':
      return t.accountId;
  }
}

export interface Deduction {
  deductionId: string;
  rule: DeductionRule;
  /** The pool year: the year of the as-of date. */
  year: number;
  deptId: string;
  target: DeductionTarget;
  projectId?: string;
  carryoverId?: string;
  payableId?: string;
  accountId?: string;
  asOf: string;
  /** Positive for a deduction; negative for a reversal (money given back). */
  amountFen: Fen;
  budgetBeforeFen: Fen;
  budgetAfterFen: Fen;
  /** The figures it was computed from (budget, spent, progress, threshold, ...). */
  figures: Record<string, number | string | boolean>;
  status: DeductionStatus;
  /** For a reversal: the entry it compensates. */
  reversesDeductionId?: string;
  runId?: string;
  appeal?: { reason: string; at: string; by: string; deadline: string };
  decision?: { decision: 'uphold' | 'reverse'; comment: string; at: string; by: string };
  createdAt: string;
  createdBy: string;
}

/**
 * Deterministic id: rule + what it took from + as-of (+ a discriminator where one rule can
 * take from the same thing twice on one date, e.g. two target reviews).
 */
export function deductionId(rule: DeductionRule, target: DeductionTarget, asOf: string, discriminator?: string): string {
  const parts = [rule, target.kind, targetId(target), asOf];
  if (discriminator) parts.push(discriminator);
  return parts.join('~');
}

export function targetFields(t: DeductionTarget): Pick<Deduction, 'projectId' | 'carryoverId' | 'payableId' | 'accountId'> {
  switch (t.kind) {
    case 'project':
      return { projectId: t.projectId };
    case 'carryover':
      return { carryoverId: t.carryoverId };
    case 'payable':
      return { payableId: t.payableId };
    case 'account':
      return { accountId: t.accountId };
  }
}

/** The appeal deadline: appealDays calendar days after the day the deduction is applied. */
export function appealDeadline(appliedOn: string, appealDays: number): string {
  const d = new Date(`${appliedOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + appealDays);
  return d.toISOString().slice(0, 10);
}

/** An entry as stored; entries made before the deadline was stamped on them lack it. */
export type StoredDeduction = Deduction & { appealDeadline?: string };

/** An entry as the deduction paths write it: with the deadline its email named. */
export type LedgerDeduction = Deduction & { appealDeadline: string };
