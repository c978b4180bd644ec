/**
 * Chinese for people, codes for programs (issue 12 item 2). An error's `code`, a problem's
 * `path` and a lint problem's `code` never change with the language; the words do: Chinese by
 * default, English when the request's Accept-Language prefers English.
 *
 * The code keeps writing its messages as it always has (English, or "中文 (English)"); this
 * module gives the Chinese of each: by error code (every code the API answers with), by the
 * pattern of a message (the messages people meet most: field problems of the domain, lint,
 * the files' problems), and for "中文 (English)" messages the part for the language asked.
 * A message no entry covers keeps its words; the error's code still gives it a Chinese title.
 */
import { RULES } from './message-rules';

export type Locale = 'zh-CN' | 'en';
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/**
 * The language a request asks for: the first of Accept-Language's tags (by q, then order)
 * that is Chinese or English; anything else, or nothing, is Chinese.
 */
export function localeOf(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const tags = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((t) => t.tag && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of tags) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return DEFAULT_LOCALE;
}

const CJK = /[\u3400-\u9fff]/;
/** A Chinese sentence (it may quote codes and values): more Chinese characters than Latin letters. */
function isChinese(text: string): boolean {
  const cjk = text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return cjk > 0 && cjk >= (text.match(/[A-Za-z]/g)?.length ?? 0);
}
/** "中文 (English)": the Chinese first, the English in the closing parentheses. */
function splitMixed(message: string): [string, string] | undefined {
  if (!message.endsWith(')')) return undefined;
  const at = message.lastIndexOf(' (');
  if (at <= 0) return undefined;
  const zh = message.slice(0, at);
  const en = message.slice(at + 2, -1);
  return isChinese(zh) && !CJK.test(en) ? [zh, en] : undefined;
}

/** The Chinese title of every error code the API answers with. */
export const ERROR_ZH: Record<string, string> = {
  VALIDATION_FAILED: '请求内容有误',
  INVALID_JSON: '请求体不是有效的 JSON',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  UNREADABLE_FILE: '文件无法读取',
  UNAUTHORIZED: '需要有效的访问令牌（Bearer token）',
  FORBIDDEN: '无权执行此操作',
  NOT_FOUND: '未找到所请求的对象',
  ROUTE_NOT_FOUND: '没有这个接口',
  PAYLOAD_TOO_LARGE: '请求体过大',
  INTERNAL: '服务器内部错误',
  STALE_VERSION: '数据已被修改（版本不符），请重新读取后再提交',
  CONCURRENT_UPDATE: '数据在本次请求期间已被修改，请重试',
  ID_CONFLICT: '该编号已用于内容不同的请求',
  IDEMPOTENCY_IN_PROGRESS: '相同 Idempotency-Key 的请求仍在处理，请稍后重试',
  ILLEGAL_TRANSITION: '当前状态不允许此操作',
  NOT_A_LEAF: '此操作针对末级项目，该一级项目下有二级项目',
  PARENT_HAS_BUDGET: '一级项目已有预算，不能再添加二级项目',
  PROJECT_CANCELLED: '项目已取消',
  PROJECT_SUSPENDED: '项目已暂停执行：绩效管理处解除暂停前不接受支出',
  PROJECT_NOT_ACTIVE: '项目不在执行中',
  OUTSIDE_FISCAL_YEAR: '日期须在项目所属预算年度内',
  OVER_BUDGET: '该笔支付将使支出超过预算',
  REFUND_EXCEEDS_SPENDING: '退款不能超过已支出金额',
  EXEMPTION_EXISTS: '该项目已就此规则提出豁免申请',
  EXEMPTION_WINDOW_CLOSED: '豁免申请期限已过',
  APPEAL_WINDOW_CLOSED: '申诉期限已过',
  NOT_APPEALABLE: '冲回分录退还资金，不能申诉',
  REVERSAL_NOT_POSSIBLE: '扣减对象已变动，无法冲回',
  TARGET_GONE: '扣减对象已不存在',
  NOT_SUSPENDED: '项目未处于暂停状态',
  SNAPSHOT_TAKEN: '该监控时点的快照已生成，监控表不能再填报或修改',
  SNAPSHOT_NOT_FOUND: '该监控时点尚未生成快照',
  POOL_INSUFFICIENT: '超过统筹资金余额',
  RECORD_RECLAIMED: '该记录已被收回，不能再修改',
  EX_ANTE_REQUIRED: '新增重大项目须先完成事前绩效评估',
  EX_ANTE_REJECTED: '事前绩效评估结论为不予支持，绩效目标不能审核通过',
  EX_ANTE_NOT_FOUND: '该项目没有事前绩效评估',
  NOT_REVISED: '绩效目标已退回：请先保存修改后的版本再报送',
  TARGET_NOT_FOUND: '尚未保存绩效目标',
  IMPORT_IN_PROGRESS: '另一次指标库导入正在进行，请完成后再试',
  UNKNOWN_JOB: '没有这个作业',
  ALREADY_CANCELLED: '项目已取消',
  ALREADY_DECIDED: '该建议已处理',
  RANKING_NOT_FOUND: '部门尚未对该年度项目排序',
  ROUND_NOT_FOUND: '没有该领域的资金安排轮次',
  SCAN_NOT_FOUND: '该年度尚未进行清理扫描',
  NO_APPROVED_TARGET: '该项目没有审核通过的绩效目标',
  NOT_AFTER_YEAR_END: '年度结束后方可自评',
  AWAITS_FINANCE: '待业务处先行确认',
  AWAITS_PERFORMANCE: '待绩效管理处确认',
  NOTHING_CONFIRMED: '没有已确认的自评可公开',
  EVALUATION_FINALIZED: '评价已完成',
  NOT_SCORED: '尚无专家打分',
};

/** A message in the language asked for, or undefined when no entry covers it (zh only). */
export function translate(message: string, locale: Locale): string | undefined {
  const mixed = splitMixed(message);
  if (mixed) return locale === 'en' ? mixed[1] : mixed[0];
  if (locale === 'en') return message;
  // "CODE: message" (a lint problem listed in a 409's details): the code stays, the words translate.
  const coded = /^([A-Z][A-Z0-9_]+): (.+)$/.exec(message);
  if (coded) {
    const words = translate(coded[2] ?? '', locale);
    return words === undefined ? undefined : `${coded[1]}：${words}`;
  }
  for (const [pattern, zh] of RULES) {
    const m = pattern.exec(message);
    if (m) return typeof zh === 'string' ? zh : zh(...m.slice(1).map((g) => g ?? ''));
  }
  // Written in Chinese already (a Chinese sentence may quote a code or a value).
  return isChinese(message) ? message : undefined;
}

/** An error's message: its own words translated, else its code's Chinese title. */
export const errorMessage = (code: string, message: string, locale: Locale): string =>
  translate(message, locale) ?? (locale === 'en' ? message : (ERROR_ZH[code] ?? message));

/** A field or lint problem's message: translated where an entry covers it, else as written. */
export const problemMessage = (message: string, locale: Locale): string => translate(message, locale) ?? message;

/** A target view's lint (at `lint`, or under `target`) in the language asked for; codes and paths unchanged. */
export function localizeLint<T>(body: T, locale: Locale): T {
  const fix = (v: unknown): unknown => {
    if (!v || typeof v !== 'object' || !Array.isArray((v as { lint?: unknown }).lint)) return v;
    const lint = (v as { lint: { message?: unknown }[] }).lint.map((l) =>
      typeof l.message === 'string' ? { ...l, message: problemMessage(l.message, locale) } : l,
    );
    return { ...(v as object), lint };
  };
  const out = fix(body) as Record<string, unknown>;
  return (out && typeof out === 'object' && 'target' in out ? { ...out, target: fix(out.target) } : out) as T;
}
