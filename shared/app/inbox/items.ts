/**
 * What waits for someone (SPEC §6 `GET /v1/inbox`): one line per thing to do, with its due date
 * where the data gives one. Pure: the lines are built from rows the sources read.
 *
 * Worked example: department D001, year 2020, today 2020-10-05; its project P1 has a returned
 * target, P2 none, and a PROGRESS_RECLAIM of 200,000.00 元 applied 2020-09-30 with a 10-day
 * window → three lines, sorted by due date: 申诉 (due 2020-10-10), then 修改 P1 and 填报 P2.
 */
import type { Deduction } from '../../domain/ledger';
import type { TargetStatus } from '../../domain/targets';

export const INBOX_KINDS = ['target-fill', 'target-revise', 'deduction-appeal', 'target-review', 'exemption-decide', 'appeal-decide', 'job-failed'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

/** What a person reads first: Chinese. */
export const INBOX_TITLES: Record<InboxKind, string> = {
  'target-fill': '填报绩效目标',
  'target-revise': '修改退回的绩效目标',
  'deduction-appeal': '可申诉的扣减',
  'target-review': '审核绩效目标',
  'exemption-decide': '审批豁免申请',
  'appeal-decide': '裁定扣减申诉',
  'job-failed': '处理失败的作业',
};

export interface InboxItem {
  kind: InboxKind;
  title: string;
  deptId?: string;
  projectId?: string;
  targetKind?: 'project' | 'department';
  targetStatus?: TargetStatus | 'none';
  deductionId?: string;
  rule?: string;
  amountFen?: number;
  exemptionId?: string;
  runId?: string;
  job?: string;
  asOf?: string;
  /** The last day to act, YYYY-MM-DD (Asia/Shanghai), where the data gives one. */
  dueDate?: string;
  /** When it started waiting (ISO instant), for the order of lines without a due date. */
  since?: string;
}

export interface TargetRow {
  kind: 'project' | 'department';
  deptId: string;
  projectId?: string;
  /** `none`: nothing saved yet. */
  status: TargetStatus | 'none';
  updatedAt?: string;
}

export const line = (kind: InboxKind, fields: Omit<InboxItem, 'kind' | 'title'>): InboxItem => ({ kind, title: INBOX_TITLES[kind], ...fields });

export function targetLine(kind: InboxKind, t: TargetRow): InboxItem {
  return line(kind, {
    deptId: t.deptId,
    targetKind: t.kind,
    targetStatus: t.status,
    ...(t.projectId ? { projectId: t.projectId } : {}),
    ...(t.updatedAt ? { since: t.updatedAt } : {}),
  });
}

export function deductionLine(kind: InboxKind, d: Deduction, dueDate?: string): InboxItem {
  return line(kind, {
    deptId: d.deptId,
    deductionId: d.deductionId,
    rule: d.rule,
    amountFen: d.amountFen,
    asOf: d.asOf,
    since: d.createdAt,
    ...(d.projectId ? { projectId: d.projectId } : {}),
    ...(dueDate ? { dueDate } : {}),
  });
}

/** Due first (soonest first), then the oldest waiting. */
export function sortInbox(items: InboxItem[]): InboxItem[] {
  return [...items].sort((a, b) => {
    if (a.dueDate !== b.dueDate) {
      if (!a.dueDate) return 1;
      if (!b.dueDate) return -1;
      return a.dueDate < b.dueDate ? -1 : 1;
    }
    return (a.since ?? '').localeCompare(b.since ?? '');
  });
}

export function countByKind(items: InboxItem[]): Partial<Record<InboxKind, number>> {
  const counts: Partial<Record<InboxKind, number>> = {};
  for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
  return counts;
}
