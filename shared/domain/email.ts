/**
 * The emails departments receive (SPEC §4), zh-CN first: one per department per job run,
 * listing every line of that run. Pure: lines in, subject/text/html out.
 */
import { RULE_WORDS, type DeductionRule } from './ledger';
import { formatBp, formatYuan } from './money';

/** One thing a department is told. Each kind has its renderer below. */
export type EmailLine =
  | {
      kind: 'deduction';
      deductionId: string;
      rule: DeductionRule;
      subject: string;
      subjectId: string;
      amountFen: number;
      budgetBeforeFen: number;
      budgetAfterFen: number;
      spentFen?: number;
      progressBp?: number;
      thresholdBp?: number;
      asOf: string;
      appealDeadline: string;
      /** Other figures worth showing, already in words. */
      notes?: string[];
      /** The rule in words as the year's policy made it (ledger.ts `ruleWords`); default RULE_WORDS. */
      ruleWords?: string;
      /** What the subject is, when not a project (e.g. 结转资金, 往来款); default 项目. */
      subjectLabel?: string;
      /** What the amounts before and after are of, when not a budget (e.g. 余额); default 预算. */
      balanceWord?: string;
    }
  | {
      kind: 'notice';
      /** A short heading for the line (e.g. 监控预警, 目标退回, 填报提醒). */
      title: string;
      subject: string;
      subjectId?: string;
      details: string[];
    };

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailContext {
  departmentName: string;
  /** What the run was, in words: "2020-09-30 支出进度收回 (progress-reclaim)". */
  runTitle: string;
  appUrl: string;
  /**
   * One part of a department's email that is too long for one message (see sealGroup):
   * `第1/3封` in the subject, and the items numbered on from the parts before.
   */
  part?: { index: number; total: number; firstNumber: number; allLines: number };
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function lineText(line: EmailLine): string[] {
  if (line.kind === 'deduction') {
    const out = [
      `${line.subjectLabel ?? '项目'}：${line.subject}（${line.subjectId}）`,
      `规则：${line.ruleWords ?? RULE_WORDS[line.rule].zh}`,
      `截至日期：${line.asOf}`,
      `调整前${line.balanceWord ?? '预算'}：${formatYuan(line.budgetBeforeFen)}`,
    ];
    if (line.spentFen !== undefined) out.push(`已支出：${formatYuan(line.spentFen)}`);
    if (line.progressBp !== undefined) out.push(`支出进度：${formatBp(line.progressBp)}`);
    if (line.thresholdBp !== undefined) out.push(`要求进度：${formatBp(line.thresholdBp)}`);
    out.push(...(line.notes ?? []));
    out.push(`${line.amountFen >= 0 ? '扣减金额' : '冲回金额'}：${formatYuan(Math.abs(line.amountFen))}`);
    out.push(`调整后${line.balanceWord ?? '预算'}：${formatYuan(line.budgetAfterFen)}`);
    if (line.amountFen > 0) out.push(`申诉截止日期：${line.appealDeadline}（扣减编号 ${line.deductionId}）`);
    return out;
  }
  return [`【${line.title}】${line.subject}${line.subjectId ? `（${line.subjectId}）` : ''}`, ...line.details];
}

export function renderEmail(ctx: EmailContext, lines: EmailLine[]): RenderedEmail {
  const deductions = lines.filter((l): l is Extract<EmailLine, { kind: 'deduction' }> => l.kind === 'deduction');
  const total = deductions.reduce((s, l) => s + l.amountFen, 0);
  const part = ctx.part;
  const partWords = part ? `（第${part.index}/${part.total}封）` : '';
  const subject =
    deductions.length > 0
      ? `【绩效管理】${ctx.runTitle}：${deductions.length} 项预算调整，合计 ${formatYuan(total)}${partWords}`
      : `【绩效管理】${ctx.runTitle}：${lines.length} 项通知${partWords}`;
  const intro = part
    ? `${ctx.runTitle}，涉及贵单位事项较多，分 ${part.total} 封发送，本封为第 ${part.index} 封，为第 ${part.firstNumber}–${part.firstNumber + lines.length - 1} 项（共 ${part.allLines} 项）：`
    : `${ctx.runTitle}，涉及贵单位以下 ${lines.length} 项事项：`;
  const header = [`${ctx.departmentName}：`, '', intro, ''];
  const first = part?.firstNumber ?? 1;
  const blocks = lines.map((l, i) => [`${i + first}.`, ...lineText(l).map((t) => `   ${t}`)].join('\n'));
  const footer = [
    '',
    deductions.length > 0 ? `${part ? '本封所列扣减合计' : '本次扣减合计'}：${formatYuan(total)}。如有异议，请在申诉截止日期前通过系统提交申诉。` : '',
    `详情请登录预算绩效管理系统查看：${ctx.appUrl}`,
    '',
    '厦门市财政局 绩效管理处',
  ].filter((x, i, a) => x !== '' || a[i - 1] !== '');
  const text = [...header, blocks.join('\n\n'), ...footer].join('\n');
  const htmlItems = lines.map((l) => `<li>${lineText(l).map(escapeHtml).join('<br>')}</li>`).join('\n');
  const html = [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>',
    `<p>${escapeHtml(ctx.departmentName)}：</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<ol${first === 1 ? '' : ` start="${first}"`}>${htmlItems}</ol>`,
    deductions.length > 0
      ? `<p>${part ? '本封所列扣减合计' : '本次扣减合计'}：<strong>${escapeHtml(formatYuan(total))}</strong>。如有异议，请在申诉截止日期前通过系统提交申诉。</p>`
      : '',
    `<p>详情请登录预算绩效管理系统查看：<a href="${escapeHtml(ctx.appUrl)}">${escapeHtml(ctx.appUrl)}</a></p>`,
    '<p>厦门市财政局 绩效管理处</p></body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** A line waiting in the outbox for its group's email. */
export type OutboxLine = EmailLine;

/** An email sealed from a department's lines of one group, and its sending state. */
export interface MailItem {
  mailId: string;
  group: string;
  deptId: string;
  seq: number;
  to: string[];
  subject: string;
  text: string;
  html: string;
  lineIds: string[];
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  sentAt?: string;
  messageId?: string;
  lastError?: string;
}

// ------------------------------------------------------------------ target review (SPEC §3.4)

/** The title of a target review's email: "2020-11-30 绩效目标审核". */
export const targetReviewRunTitle = (asOf: string) => `${asOf} 绩效目标审核`;

/** The line a department is told when its target is returned or rejected. */
export function targetReviewNotice(
  review: { decision: 'approve' | 'return' | 'reject'; grade: string; comments: string },
  subject: { subject: string; subjectId: string },
  cuts: boolean,
): EmailLine {
  const title = review.decision === 'return' ? '绩效目标退回' : '绩效目标审核不予通过';
  const details = [`审核等级：${review.grade}`, `审核意见：${review.comments}`];
  if (review.decision === 'return') details.push('请按审核意见修改后重新报送。');
  if (cuts) details.push('绩效目标修改后仍不合格（或不予通过），按规定压减预算安排，扣减明细见下。');
  return { kind: 'notice', title, subject: subject.subject, subjectId: subject.subjectId, details };
}

/** The notes of a TARGET_REVIEW_CUT deduction line. */
export const targetCutNotes = (cutBp: number, grade: string) => [`压减比例：${(cutBp / 100).toFixed(2)}%（不低于已支出数）`, `审核等级：${grade}`];

/** A department's overall target in words: "部门D02 2020 年度部门整体绩效目标". */
export const departmentTargetSubject = (deptName: string, year: number) => `${deptName} ${year} 年度部门整体绩效目标`;
