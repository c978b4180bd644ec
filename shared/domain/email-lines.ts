/**
 * The words of the lines departments are told (SPEC §4), zh-CN first: one builder per kind of
 * line, pure, figures in and an EmailLine out. The rules (shared/domain/rules/) compute; these
 * say it; shared/domain/email.ts renders the lines of one email.
 */
import type { EmailLine } from './email';
import type { DeductionRule } from './ledger';
import type { Policy } from './policy';
import { type Deduction, ruleWords, targetId } from './ledger';
import { type Bp, type Fen, formatBp, formatYuan } from './money';
import { DEVIATION_CAUSE_ZH, OUTLOOK_ZH, type ReportIndicator } from './monitoring';
import { type Assessment, type DepartmentRollUp, LIGHT_ZH, type MonitoringFlag, type MonitoringPolicy } from './rules/monitoring';

// ------------------------------------------------------------------ appeals (SPEC §2)

/** The line telling a department its appeal was not upheld. */
export function upheldLine(d: Deduction, comment: string): EmailLine {
  return {
    kind: 'notice',
    title: '扣减申诉未获支持',
    subject: `扣减编号 ${d.deductionId}`,
    subjectId: targetId(d.target),
    details: [`规则：${ruleWords(d.rule, d.figures, d.asOf)}（${d.asOf}）`, `扣减金额：${formatYuan(d.amountFen)}，维持原扣减。`, `处理意见：${comment}`],
  };
}

/** The line telling a department a deduction was reversed (money given back). */
export function reversalLine(
  d: Deduction & { appealDeadline?: string },
  reversal: Deduction,
  what: { subject: string; subjectLabel?: string; balanceWord?: string },
  today: string,
  comment: string,
): EmailLine {
  return {
    kind: 'deduction',
    deductionId: reversal.deductionId,
    rule: 'REVERSAL',
    subject: what.subject,
    subjectId: targetId(d.target),
    ...(what.subjectLabel ? { subjectLabel: what.subjectLabel, balanceWord: what.balanceWord } : {}),
    amountFen: reversal.amountFen,
    budgetBeforeFen: reversal.budgetBeforeFen,
    budgetAfterFen: reversal.budgetAfterFen,
    asOf: today,
    appealDeadline: d.appealDeadline ?? today,
    notes: [`冲回原扣减：${d.deductionId}（${ruleWords(d.rule, d.figures, d.asOf)}，${d.asOf}）`, `处理意见：${comment}`],
  };
}

// ------------------------------------------------------------------ progress-reclaim (SPEC §3.6)

/** The notes of a PROGRESS_RECLAIM deduction: the lag and the ratio, and spending since the as-of date. */
export function progressReclaimNotes(f: { lagFen: number; ratioBp: number; spentNowFen: number; spentAsOfFen: number; formulaFen: number }): string[] {
  const out = [`进度差额：${formatYuan(f.lagFen)}（收回比例 ${(f.ratioBp / 100).toFixed(2)}%）`];
  if (f.spentNowFen !== f.spentAsOfFen) out.push(`截至目前已支出：${formatYuan(f.spentNowFen)}（调整后预算不低于此数）`);
  return out;
}

// ------------------------------------------------------------------ idle funds (SPEC §3.8)

/** The notes of an idle-fund reclamation, from the figures its rule computed. */
export function idleReclaimNotes(rule: DeductionRule, f: Record<string, number | string | boolean>, asOf: string, policy: Policy['idleFunds']): string[] {
  switch (rule) {
    case 'CARRYOVER_RECLAIM':
      return [`结转年度：${f.originYear}年；结转资金须在 ${f.carryoverYears} 年内使用（${f.dueDate} 前）`, `截至 ${asOf} 未使用余额全额收回`];
    case 'STALE_PAYABLE_RECLAIM':
      return [`挂账日期：${f.since}；挂账超过 ${f.payableYears} 年（${f.limitDate} 之后）即收回`, `截至 ${asOf} 未清理金额全额收回`];
    case 'IDLE_BALANCE_RECLAIM':
      return [`最后一笔资金变动：${f.lastMovementDate}；截至 ${asOf} 已 ${f.monthsIdle} 个月无变动（限 ${f.idleBalanceMonths} 个月）`, '账户余额全额收回'];
    default:
      return [
        `可暂缓实施项目：第 ${f.quarter} 季度末时间进度要求 ${formatBp(f.benchmarkBp as number)}，实际支出进度 ${formatBp(f.progressBp as number)}`,
        f.zeroSpend
          ? `自第 ${policy.deferrableZeroSpendFromQuarter} 季度起仍未支出：收回全部剩余预算`
          : `滞后时间进度部分收回：${formatYuan(f.lagFen as number)}`,
      ];
  }
}

// ------------------------------------------------------------------ progress-cap (SPEC §3.7)

/** The notice of the progress-cap flag (SPEC §3.7): next year's budget at this year's actual. */
export function capFlagLine(
  p: { name: string; projectId: string },
  asOf: string,
  f: { budgetFen: number; spentAsOfFen: number; progressBp: number; thresholdBp: number },
): EmailLine {
  return {
    kind: 'notice',
    title: '支出进度低于要求，下一年度按实际执行数安排预算',
    subject: p.name,
    subjectId: p.projectId,
    details: [
      `截至 ${asOf}：预算 ${formatYuan(f.budgetFen)}，已支出 ${formatYuan(f.spentAsOfFen)}，支出进度 ${formatBp(f.progressBp)}，低于要求的 ${formatBp(f.thresholdBp)}`,
      `该项目已标记“下一年按实际执行数安排”：年末实际支出将作为其延续项目下一年度的预算上限。`,
    ],
  };
}

/** The notes of a NEXT_YEAR_CAP deduction: which project it continues, the cap, the share. */
export function capCutNotes(c: {
  prev: { name: string; projectId: string };
  flag?: { asOf: string; progressBp: number; thresholdBp: number };
  capFen: number;
  allowanceFen: number;
  via?: string;
  spentFen: number;
}): string[] {
  const { prev, flag, via } = c;
  return [
    `延续上年项目：${prev.name}（${prev.projectId}）${flag ? `，${flag.asOf} 支出进度 ${formatBp(flag.progressBp)}，低于 ${formatBp(flag.thresholdBp)}` : ''}`,
    `上年实际支出（预算上限）：${formatYuan(c.capFen)}${via ? `；本项目按预算比例分得上限 ${formatYuan(c.allowanceFen)}（一级项目 ${via}）` : ''}`,
    `本项目已支出：${formatYuan(c.spentFen)}`,
  ];
}

// ------------------------------------------------------------------ monitoring (SPEC §3.5, §4)

export function flagWords(flag: MonitoringFlag, benchmarkBp: Bp, policy: Pick<MonitoringPolicy, 'redGapBp' | 'deviationBp'>): string {
  switch (flag) {
    case 'NO_REPORT':
      return '未填报绩效运行监控表';
    case 'OUTLOOK_IMPOSSIBLE':
      return '有指标预计年底“完全不可能”完成';
    case 'PROGRESS_RED_GAP':
      return `支出进度低于时间进度（${formatBp(benchmarkBp)}）超过 ${formatBp(policy.redGapBp)}`;
    case 'OUTLOOK_POSSIBLE':
      return '有指标预计年底“有可能”完成';
    case 'BELOW_BENCHMARK':
      return `支出进度低于时间进度（${formatBp(benchmarkBp)}）`;
    case 'DEVIATION':
      return `目标完成度与支出进度偏差超过 ${formatBp(policy.deviationBp)}`;
    case 'SUSPENDED':
      return '项目已暂停执行';
  }
}

export interface WarningSubject {
  projectId: string;
  name: string;
  asOf: string;
  benchmarkBp: Bp;
  budgetFen: Fen;
  spentFen: Fen;
  /** Suspended by this snapshot. */
  suspendedNow: boolean;
  /** The report's indicators that were not `certain`, with cause and measures. */
  concerns?: readonly Pick<ReportIndicator, 'name' | 'outlook' | 'deviationCause'>[];
}

/** The email line for a red or yellow project. */
export function warningLine(s: WarningSubject, a: Assessment, policy: Pick<MonitoringPolicy, 'redGapBp' | 'deviationBp'>): EmailLine {
  const details = [
    `预算：${formatYuan(s.budgetFen)}；截至 ${s.asOf} 支出：${formatYuan(s.spentFen)}`,
    `支出进度：${formatBp(a.progressBp)}（时间进度 ${formatBp(s.benchmarkBp)}）`,
  ];
  if (a.achievementBp !== undefined) details.push(`目标完成度：${formatBp(a.achievementBp)}`);
  if (a.outlook) details.push(`全年预计：${OUTLOOK_ZH[a.outlook]}`);
  // In words, the red gap already says the progress is below the benchmark.
  const reasons = a.flags.filter((f) => f !== 'SUSPENDED' && !(f === 'BELOW_BENCHMARK' && a.flags.includes('PROGRESS_RED_GAP')));
  details.push(`预警原因：${reasons.map((f) => flagWords(f, s.benchmarkBp, policy)).join('；')}`);
  for (const c of s.concerns ?? []) {
    if (c.outlook === 'certain') continue;
    details.push(`  · ${c.name}：${OUTLOOK_ZH[c.outlook]}${c.deviationCause ? `（偏差原因：${DEVIATION_CAUSE_ZH[c.deviationCause]}）` : ''}`);
  }
  if (s.suspendedNow) details.push('处理：按规定暂停项目执行，暂停支付，待绩效管理处解除后恢复。');
  else if (a.flags.includes('SUSPENDED')) details.push('状态：项目已暂停执行。');
  details.push(a.light === 'red' ? '请立即分析原因、落实整改措施。' : '请及时采取措施，加快执行进度。');
  return { kind: 'notice', title: `绩效监控预警·${LIGHT_ZH[a.light]}`, subject: s.name, subjectId: s.projectId, details };
}

/** The first line of a department's warning email: the department as a whole. */
export function departmentLine(d: DepartmentRollUp, deptName: string, asOf: string, benchmarkBp: Bp): EmailLine {
  return {
    kind: 'notice',
    title: '部门整体监控情况',
    subject: deptName,
    subjectId: d.deptId,
    details: [
      `截至 ${asOf}：项目 ${d.projects} 个，预算 ${formatYuan(d.budgetFen)}，支出 ${formatYuan(d.spentFen)}，支出进度 ${formatBp(d.progressBp)}（时间进度 ${formatBp(benchmarkBp)}）`,
      `红灯 ${d.red} 个，黄灯 ${d.yellow} 个，绿灯 ${d.green} 个${d.suspended > 0 ? `；暂停执行 ${d.suspended} 个` : ''}`,
    ],
  };
}

/** The one line of a department's reminder: the projects still without a report. */
export function reminderLine(checkpointDate: string, projects: readonly { projectId: string; name: string }[]): EmailLine {
  return {
    kind: 'notice',
    title: '监控表填报提醒',
    subject: `${checkpointDate} 绩效运行监控表`,
    details: [
      `以下 ${projects.length} 个项目尚未填报 ${checkpointDate} 绩效运行监控表，请在监控时点前填报（逾期未填报的项目监控结果为红灯）：`,
      ...projects.map((p, i) => `  ${i + 1}. ${p.name}（${p.projectId}）`),
    ],
  };
}
