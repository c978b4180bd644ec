/** Every word the console shows, in one place (zh-CN first). */
import { RULE_WORDS } from '../../shared/domain/ledger';
import type { DeductionRule, InboxKind, Role, TargetStatus } from './api/types';
export { INBOX_TITLES } from '../../shared/app/inbox/items';

export const APP_TITLE = '预算绩效管理系统';

export const ROLE_NAMES: Record<Role, string> = {
  department: '部门',
  finance: '财政业务处',
  performance: '绩效管理处',
  expert: '专家',
};

export const TARGET_STATUS: Record<TargetStatus | 'none', string> = {
  none: '未填报',
  draft: '草稿',
  submitted: '已提交待审',
  returned: '已退回',
  approved: '已通过',
  rejected: '未通过',
};

export const DEDUCTION_STATUS: Record<string, string> = {
  applied: '已扣减',
  appealed: '申诉中',
  upheld: '维持扣减',
  reversed: '已冲回',
};

export const ruleName = (rule: string) => RULE_WORDS[rule as DeductionRule]?.zh ?? rule;

export const RULE_SHORT: Record<string, string> = {
  PROGRESS_RECLAIM: '9月进度收回',
  NEXT_YEAR_CAP: '按实际执行数安排',
  TARGET_REVIEW_CUT: '目标审核压减',
  CLEANUP_CUT: '政策清理',
  CARRYOVER_RECLAIM: '结转资金收回',
  STALE_PAYABLE_RECLAIM: '往来款收回',
  IDLE_BALANCE_RECLAIM: '闲置资金收回',
  DEFERRABLE_RECLAIM: '暂缓项目收回',
  RESULTS_CUT: '评价结果压减',
  REVERSAL: '申诉冲回',
};

export const INBOX_ACTION: Record<InboxKind, string> = {
  'target-fill': '去填报',
  'target-revise': '去修改',
  'deduction-appeal': '去申诉',
  'target-review': '去审核',
  'exemption-decide': '去审批',
  'appeal-decide': '去裁定',
  'job-failed': '查看作业',
};

export const JOB_NAMES: Record<string, string> = {
  'monitoring-snapshot': '双监控快照',
  'progress-reclaim': '9月底进度收回',
  'progress-cap': '11月进度标记',
  'idle-funds-sweep': '沉淀资金清理',
  reminders: '到期提醒',
};

export const RUN_STATUS: Record<string, string> = { running: '运行中', succeeded: '成功', failed: '失败', deferred: '已合并到进行中的运行' };

/** Decisions and the grades that go with them (财预〔2015〕88号; the API checks the same pairs). */
export const REVIEW_DECISIONS = [
  { value: 'approve', label: '通过', grades: ['优', '良'] },
  { value: 'return', label: '退回修改', grades: ['中'] },
  { value: 'reject', label: '不通过', grades: ['差'] },
] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number]['value'];

export const LEVEL1: Record<string, string> = { cost: '成本指标', output: '产出指标', benefit: '效益指标', satisfaction: '满意度指标' };

export const DIRECTION: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=', qualitative: '定性' };

/** The job summary figures a person reads, in the order shown; the rest stays in the API's answer. */
export const SUMMARY_WORDS: Record<string, string> = {
  projects: '检查项目',
  deductions: '扣减笔数',
  amountFen: '扣减金额',
  alreadyApplied: '此前已扣减',
  onTrack: '进度达标',
  skippedExempt: '豁免',
  flagged: '标记',
  red: '红灯',
  yellow: '黄灯',
  green: '绿灯',
  emails: '邮件',
};
