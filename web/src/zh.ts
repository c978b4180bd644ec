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

/** The target lint's codes (shared/domain/rules/target-review.ts) in the words of 财预〔2015〕88号. */
export const LINT_WORDS: Record<string, string> = {
  NO_GOAL: '缺少绩效目标（总体目标）',
  NO_OUTPUT: '至少需要一个产出指标',
  NO_BENEFIT: '至少需要一个效益指标',
  NO_SATISFACTION: '面向社会公众的项目须设满意度指标',
  DUPLICATE_INDICATOR: '与前面的指标重复',
  MISSING_DIRECTION: '请选择指标方向（≥、≤、= 或定性）',
  MISSING_UNIT: '定量指标须填写计量单位',
  MISSING_TARGET_VALUE: '请填写指标值',
  TARGET_NOT_A_NUMBER: '定量指标的指标值须为数字',
  BELOW_BENCHMARK: '指标值劣于指标库标杆值',
  COST_INCOMPLETE: '单位成本与数量须同时填写',
  COST_MISMATCH: '单位成本 × 数量与预算不匹配',
};

export const SCOPE_WORDS: Record<string, string> = { general: '共性指标', core: '核心指标' };

export const OUTLOOK_WORDS: Record<string, string> = { certain: '确定能', possible: '有可能', impossible: '完全不可能' };
export const CAUSE_WORDS: Record<string, string> = {
  funding: '经费保障',
  institution: '制度保障',
  staffing: '人员保障',
  hardware: '硬件条件保障',
  other: '其他',
};
export const LIGHT_WORDS: Record<string, string> = { red: '红灯', yellow: '黄灯', green: '绿灯' };

export const EXEMPTION_REASON_WORDS: Record<string, string> = { procurement: '政府采购程序进行中', milestones: '按合同进度节点付款', other: '其他' };
export const EXEMPTION_STATUS: Record<string, string> = { pending: '待审批', approved: '已批准', refused: '未批准' };

export const IDLE_STATUS: Record<string, string> = { open: '未清理', reclaimed: '已收回', restored: '已恢复' };

export const SELF_EVAL_STATUS: Record<string, string> = {
  none: '未填报',
  draft: '草稿',
  submitted: '已提交待财政审核',
  'finance-confirmed': '财政已确认待绩效处确认',
  returned: '已退回',
  confirmed: '已确认',
};
export const BAND_WORDS: Record<string, string> = { achieved: '完成', partial: '部分完成', missed: '未完成' };

export const SUGGESTION_STATUS: Record<string, string> = { open: '待整改', 'in-progress': '整改中', done: '已整改待验收', accepted: '已验收' };

export const EVALUATION_KIND: Record<string, string> = {
  'industry-policy': '产业政策评价',
  'livelihood-policy': '民生政策评价',
  'livelihood-project': '民生项目评价',
  'department-overall': '部门整体评价',
};
export const CRITERIA: Record<string, string> = { decision: '决策', process: '过程', output: '产出', benefit: '效益' };

export const PROPOSAL_ACTION: Record<string, string> = { cut: '压减预算', priority: '优先保障', keep: '维持' };
export const PROPOSAL_STATUS: Record<string, string> = { proposed: '待确认', confirmed: '已确认', dropped: '已放弃' };

export const CANDIDATE_KIND: Record<string, string> = { small: '小额项目', scattered: '零散项目', 'near-duplicate': '疑似重复' };
export const UNFUNDED_REASON: Record<string, string> = { 'over-cap': '超出额度', 'no-assessment': '未做事前评估', 'not-supported': '事前评估不予支持' };
export const FLAG_WORDS: Record<string, string> = {
  NO_REPORT: '未报送监控表',
  OUTLOOK_IMPOSSIBLE: '预判完全不可能完成',
  PROGRESS_RED_GAP: '支出进度严重滞后',
  OUTLOOK_POSSIBLE: '预判有可能完成',
  BELOW_BENCHMARK: '支出进度低于时间进度',
  DEVIATION: '目标执行偏差',
  SUSPENDED: '已暂停',
};
