/**
 * The files a bureau exchanges (issue 12 item 4): the columns of each dataset with their
 * Chinese headers, and what a cell may hold. Pure: rows in, cells out; the writers
 * (shared/app/exports/writers.ts) turn cells into CSV or XLSX.
 *
 * Formula injection (CSV injection): a text cell that starts with `=`, `+`, `-`, `@` (or a tab
 * or carriage return, which some spreadsheets skip before reading a formula) is written with a
 * leading apostrophe, so a spreadsheet shows it as text and never runs it. Numbers are typed
 * numbers and are never touched: a reversal's −1,000.00 stays a number.
 */
import { RULE_WORDS, type DeductionRule, ruleWords } from './ledger';
import { LIGHT_ZH } from './rules/monitoring';
import { OUTLOOK_ZH } from './monitoring';
import { CATEGORY_ZH, FUND_SOURCE_ZH, type Category, type FundSource } from './vocabulary';

export const DATASETS = ['projects', 'ledger', 'snapshots', 'sweeps', 'pool'] as const;
export type Dataset = (typeof DATASETS)[number];

export const DATASET_ZH: Record<Dataset, string> = {
  projects: '项目预算与支出进度',
  ledger: '扣减台账',
  snapshots: '监控快照',
  sweeps: '沉淀资金清理汇总',
  pool: '统筹资金',
};

/** text: neutralised; yuan: fen shown as yuan (2 decimals); pct: bp shown as percent; int: a count or year. */
export type CellKind = 'text' | 'yuan' | 'pct' | 'int';
export interface Column {
  header: string;
  kind: CellKind;
  width?: number;
}
/** A cell before writing: text, an integer (fen for `yuan`, bp for `pct`), or nothing. */
export type Cell = string | number | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as it is safe to write: a leading apostrophe before what a spreadsheet would run. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Fen as an exact decimal yuan string (integer arithmetic): 12345 → "123.45", −5 → "-0.05". */
export function yuanText(fen: number): string {
  const abs = BigInt(Math.abs(fen));
  return `${fen < 0 ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Basis points as an exact percent string: 7550 → "75.5", 8000 → "80". */
export function pctText(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = Math.abs(bp % 100);
  if (frac === 0) return String(whole);
  return `${bp < 0 && whole === 0 ? '-' : ''}${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

const col = (header: string, kind: CellKind = 'text', width?: number): Column => ({ header, kind, ...(width ? { width } : {}) });

const PROJECT_STATUS_ZH: Record<string, string> = { active: '执行中', suspended: '暂停执行', cancelled: '已取消' };
const DEDUCTION_STATUS_ZH: Record<string, string> = { applied: '已扣减', appealed: '申诉中', upheld: '申诉未支持', reversed: '已冲回' };
const TARGET_KIND_ZH: Record<string, string> = { project: '项目', carryover: '结转资金', payable: '往来款', account: '单位实有账户' };
const FLAG_ZH: Record<string, string> = {
  NEXT_YEAR_AT_ACTUAL: '下年按实际执行数安排',
  SUSPENDED: '暂停执行',
  NO_REPORT: '未填报监控表',
  OUTLOOK_IMPOSSIBLE: '预计完全不可能完成',
  PROGRESS_RED_GAP: '支出进度严重滞后',
  OUTLOOK_POSSIBLE: '预计有可能完成',
  BELOW_BENCHMARK: '低于时间进度',
  DEVIATION: '目标与进度偏差大',
};
const flagsText = (flags: readonly string[]) => flags.map((f) => FLAG_ZH[f] ?? f).join('、');
const ruleZh = (rule: string) => RULE_WORDS[rule as DeductionRule]?.zh ?? rule;

// ------------------------------------------------------------------ the datasets' rows

export interface ProjectRow {
  projectId: string;
  year: number;
  deptId: string;
  level: number;
  parentId?: string;
  name: string;
  category: string;
  domain: string;
  fundSource: string;
  originalBudgetFen: number;
  budgetFen: number;
  spentFen: number;
  progressBp: number;
  status: string;
  flags: readonly string[];
  deferrable: boolean;
  isNew: boolean;
}

export const PROJECT_COLUMNS: Column[] = [
  col('项目编码', 'text', 18),
  col('年度', 'int', 7),
  col('部门编码', 'text', 10),
  col('级次', 'int', 6),
  col('一级项目编码', 'text', 18),
  col('项目名称', 'text', 36),
  col('项目类别', 'text', 12),
  col('行业领域', 'text', 12),
  col('资金来源', 'text', 14),
  col('年初预算（元）', 'yuan', 16),
  col('调整后预算（元）', 'yuan', 16),
  col('已支出（元）', 'yuan', 16),
  col('支出进度（%）', 'pct', 12),
  col('状态', 'text', 10),
  col('标记', 'text', 24),
  col('可暂缓实施', 'text', 10),
  col('新增项目', 'text', 8),
];

export const projectCells = (p: ProjectRow): Cell[] => [
  p.projectId,
  p.year,
  p.deptId,
  p.level,
  p.parentId,
  p.name,
  CATEGORY_ZH[p.category as Category] ?? p.category,
  p.domain,
  FUND_SOURCE_ZH[p.fundSource as FundSource] ?? p.fundSource,
  p.originalBudgetFen,
  p.budgetFen,
  p.spentFen,
  p.progressBp,
  PROJECT_STATUS_ZH[p.status] ?? p.status,
  flagsText(p.flags),
  p.deferrable ? '是' : '否',
  p.isNew ? '是' : '否',
];

export interface LedgerRow {
  deductionId: string;
  rule: string;
  year: number;
  deptId: string;
  target: { kind: string } & Record<string, string>;
  asOf: string;
  amountFen: number;
  budgetBeforeFen: number;
  budgetAfterFen: number;
  status: string;
  appealDeadline?: string;
  reversesDeductionId?: string;
  figures: Record<string, unknown>;
  createdAt: string;
}

export const LEDGER_COLUMNS: Column[] = [
  col('扣减编号', 'text', 40),
  col('规则代码', 'text', 22),
  col('规则', 'text', 34),
  col('年度', 'int', 7),
  col('部门编码', 'text', 10),
  col('扣减对象', 'text', 12),
  col('对象编码', 'text', 18),
  col('截至日期', 'text', 12),
  col('扣减金额（元）', 'yuan', 16),
  col('调整前（元）', 'yuan', 16),
  col('调整后（元）', 'yuan', 16),
  col('状态', 'text', 10),
  col('申诉截止日期', 'text', 12),
  col('冲回的扣减', 'text', 30),
  col('记账时间', 'text', 22),
];

export function ledgerCells(d: LedgerRow): Cell[] {
  const { kind, ...ids } = d.target;
  return [
    d.deductionId,
    d.rule,
    ruleWords(d.rule as DeductionRule, d.figures, d.asOf),
    d.year,
    d.deptId,
    TARGET_KIND_ZH[kind] ?? kind,
    Object.values(ids)[0],
    d.asOf,
    d.amountFen,
    d.budgetBeforeFen,
    d.budgetAfterFen,
    DEDUCTION_STATUS_ZH[d.status] ?? d.status,
    d.appealDeadline,
    d.reversesDeductionId,
    d.createdAt,
  ];
}

export interface SnapshotRow {
  projectId: string;
  deptId: string;
  name: string;
  budgetFen: number;
  spentFen: number;
  progressBp: number;
  achievementBp?: number;
  light: string;
  flags: readonly string[];
  outlook?: string;
  suspended?: boolean;
}

export const SNAPSHOT_COLUMNS: Column[] = [
  col('截至日期', 'text', 12),
  col('项目编码', 'text', 18),
  col('部门编码', 'text', 10),
  col('项目名称', 'text', 36),
  col('预算（元）', 'yuan', 16),
  col('已支出（元）', 'yuan', 16),
  col('支出进度（%）', 'pct', 12),
  col('目标完成度（%）', 'pct', 14),
  col('监控结果', 'text', 10),
  col('预警原因', 'text', 30),
  col('完成预期', 'text', 12),
  col('本次暂停', 'text', 8),
];

export const snapshotCells = (asOf: string, s: SnapshotRow): Cell[] => [
  asOf,
  s.projectId,
  s.deptId,
  s.name,
  s.budgetFen,
  s.spentFen,
  s.progressBp,
  s.achievementBp,
  LIGHT_ZH[s.light as keyof typeof LIGHT_ZH] ?? s.light,
  flagsText(s.flags),
  s.outlook ? (OUTLOOK_ZH[s.outlook as keyof typeof OUTLOOK_ZH] ?? s.outlook) : undefined,
  s.suspended ? '是' : '否',
];

export const SWEEP_COLUMNS: Column[] = [
  col('清理日期', 'text', 12),
  col('部门编码', 'text', 10),
  col('规则代码', 'text', 24),
  col('规则', 'text', 34),
  col('笔数', 'int', 8),
  col('收回金额（元）', 'yuan', 16),
];

export const sweepCells = (asOf: string, deptId: string, rule: string, t: { deductions: number; amountFen: number }): Cell[] => [
  asOf,
  deptId,
  rule,
  ruleZh(rule),
  t.deductions,
  t.amountFen,
];

export const POOL_COLUMNS: Column[] = [
  col('类型', 'text', 8),
  col('规则或拨付编号', 'text', 28),
  col('说明', 'text', 36),
  col('部门编码', 'text', 10),
  col('项目编码', 'text', 18),
  col('金额（元）', 'yuan', 16),
  col('拨付后余额（元）', 'yuan', 16),
  col('时间', 'text', 22),
];

/** Money in (by rule), reversed, and each allocation out; the balance row last. */
export const poolRuleCells = (rule: string, fen: number, words = ruleZh(rule)): Cell[] => [
  '收回',
  rule,
  words,
  undefined,
  undefined,
  fen,
  undefined,
  undefined,
];
export const poolAllocationCells = (a: {
  allocationId: string;
  reason: string;
  deptId: string;
  projectId: string;
  amountFen: number;
  poolBalanceAfterFen: number;
  createdAt: string;
}): Cell[] => ['拨付', a.allocationId, a.reason, a.deptId, a.projectId, a.amountFen, a.poolBalanceAfterFen, a.createdAt];
export const poolTotalCells = (label: string, fen: number): Cell[] => [label, undefined, undefined, undefined, undefined, fen, undefined, undefined];
