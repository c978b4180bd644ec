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

type Rule = [RegExp, string | ((...groups: string[]) => string)];

const NOUN_ZH: Record<string, string> = {
  project: '项目',
  department: '部门',
  deduction: '扣减',
  exemption: '豁免申请',
  evaluation: '重点评价',
  suggestion: '整改建议',
  'job run': '作业运行记录',
  job: '作业',
  allocation: '拨付',
  indicator: '指标',
  proposal: '建议',
  route: '接口',
};
const LEVEL_ZH: Record<string, string> = { cost: '成本', output: '产出', benefit: '效益', satisfaction: '满意度' };

/** Messages by their pattern (anchored), English → Chinese. Groups are passed to a function. */
const RULES: Rule[] = [
  // errors
  [/^The request is not valid$/, '请求内容有误'],
  [/^A valid bearer token is required$/, '需要有效的访问令牌（Bearer token）'],
  [/^You are not allowed to do this$/, '无权执行此操作'],
  [/^This needs the role (.+)$/, (r) => `此操作需要以下角色：${r.replace(/ or /g, '或')}`],
  [/^This belongs to another department$/, '该数据属于其他部门'],
  [/^A department may list only its own data$/, '部门只能查看本部门的数据'],
  [
    /^No (project|department|deduction|exemption|evaluation|suggestion|job run|allocation|route) (\S+)(?: in (\d{4}))?$/,
    (n, id, y) => `未找到${NOUN_ZH[n] ?? n} ${id}${y ? `（${y} 年度）` : ''}`,
  ],
  [/^There is no job (\S+)$/, (j) => `没有作业 ${j}`],
  [/^The request body is larger than (\d+) bytes$/, (n) => `请求体超过 ${n} 字节`],
  [/^The body must be JSON \(content-type: application\/json\)$/, '请求体须为 JSON（content-type: application/json）'],
  [/^The body is not valid JSON$/, '请求体不是有效的 JSON'],
  [/^The project is cancelled$/, '项目已取消'],
  [/^The appeal deadline was (\S+)$/, (d) => `申诉截止日期为 ${d}，已过期`],
  [/^Exemptions had to be asked for by (\S+)$/, (d) => `豁免申请须在 ${d} 前提出`],
  [/^This payment would take spending above the budget$/, '该笔支付将使支出超过预算'],
  [/^The target is at version (\d+), not (\d+)(?:; read it again)?$/, (a, b) => `绩效目标当前为第 ${a} 版，不是第 ${b} 版，请重新读取`],
  [/^The report is at version (\d+), not (\d+)$/, (a, b) => `监控表当前为第 ${a} 版，不是第 ${b} 版`],
  [/^The file has (\d+) problem\(s\) on (\d+) row\(s\); nothing was imported$/, (n, r) => `文件有 ${n} 处问题（涉及 ${r} 行），未导入任何数据`],
  [/^The file has (\d+) problem\(s\); nothing was imported$/, (n) => `文件有 ${n} 处问题，未导入任何数据`],
  [/^.* changed while this request ran; (?:read it again and )?(?:try again|retry)$/, '数据在本次请求期间已被修改，请重试'],
  [/^.* is changing too fast(?: to be cut)?; (?:try again|retry the review)$/, '数据变动频繁，请稍后重试'],
  [/^Idempotency-Key (\S+) was used for a different request$/, (k) => `Idempotency-Key ${k} 已用于内容不同的请求`],
  [/^(.+) was recorded with a different body$/, (what) => `${what.replace(/^Expenditure /, '支出 ')} 已以不同内容记录`],
  [/^A project (\S+) already exists with a different body$/, (id) => `项目 ${id} 已存在且内容不同`],
  // field problems
  [/^is required$/, '必填'],
  [/^no department (\S+)$/, (id) => `部门 ${id} 不存在`],
  [/^no project (\S+)$/, (id) => `项目 ${id} 不存在`],
  [/^project (\S+) belongs to another department$/, (id) => `项目 ${id} 属于其他部门`],
  [/^project (\S+) is of year (\d+), not (\d+)$/, (id, a, b) => `项目 ${id} 属于 ${a} 年度，不是 ${b} 年度`],
  [/^no indicator (\S+) in the library$/, (c) => `指标库中没有指标 ${c}`],
  [/^give a year, or a projectId$/, '请指定年度（year）或项目（projectId）'],
  [/^not a token this list gave$/, '不是本列表给出的翻页标记'],
  [/^(\S+) runs as of (.+) in (\d{4})$/, (job, dates, y) => `${job} 在 ${y} 年的运行日期为 ${dates.replace(/, /g, '、')}`],
  [/^expected a date YYYY-MM-DD$/, '应为日期 YYYY-MM-DD'],
  [/^expected MM-DD$/, '应为月-日 MM-DD'],
  [/^use letters, digits, dot, underscore and hyphen$/, '只能使用字母、数字、点、下划线和连字符'],
  [/^must be a whole number of fen$/, '须为整数（单位：分）'],
  [/^must be more than 0$/, '须大于 0'],
  [/^must be a finite number$/, '须为有限数字'],
  [/^not an indicator code$/, '不是有效的指标编码'],
  [/^a level-2 project needs its level-1 parentId$/, '二级项目须指定其一级项目（parentId）'],
  [/^a level-1 project has no parent$/, '一级项目没有上级项目'],
  [/^the parent must be a level-1 project$/, '上级项目须为一级项目'],
  [/^the parent belongs to another department$/, '上级项目属于其他部门'],
  [/^weights must add up to 100$/, '权重之和须为 100'],
  [/^a custom indicator \(no code\) needs level1, level2 and name$/, '自定义指标（无编码）须填写一级指标、二级指标和名称'],
  [
    /^"(.*)" is not a level-2 of (\w+)(?: in the ([\w-]+) framework)? \(([^)]*)\)(.*)$/,
    (v, l1, fw, allowed, hint) =>
      `“${v}”不是${LEVEL_ZH[l1] ?? l1}指标的二级指标${fw ? `（${fw === 'pre-2021' ? '2021 年以前' : '2021 年'}框架）` : ''}，可选：${allowed}${hint ? '；2021 年框架中成本为一级指标（level1 cost）' : ''}`,
  ],
  [/^differs from the library's (.*); leave it out or send the library's value$/, (v) => `与指标库中的 ${v} 不一致：不填或填写指标库的值`],
  [/^(\S+) is already on row (\d+)$/, (c, r) => `${c} 已在第 ${r} 行出现`],
  [/^(\S+) is also on row (\d+)$/, (c, r) => `${c} 已在第 ${r} 行出现`],
  [/^the file has no indicator rows$/, '文件中没有指标行'],
  [/^the column (\w+) is missing$/, (c) => `缺少列 ${c}`],
  [/^a quantitative indicator needs a unit$/, '定量指标须填写计量单位'],
  [/^"(.*)" is not a number$/, (v) => `“${v}”不是数字`],
  // a department's ranking (shared/domain/rules/ranking.ts), a key evaluation, a suspension
  [/^The ranking must list exactly the department’s new projects of the year, once each$/, '排序须恰好列出本部门本年度的全部新增项目，每个一次'],
  [/^(\S+) is missing: every new project of the year must be ranked$/, (id) => `${id} 未列入排序：本年度每个新增项目都须排序`],
  [/^(\S+) is not a new project of this department and year$/, (id) => `${id} 不是本部门本年度的新增项目`],
  [/^(\S+) is listed twice \(first at (\d+)\)$/, (id, i) => `${id} 重复列出（首次在第 ${Number(i) + 1} 位）`],
  [/^experts must be distinct$/, '评分专家不能重复'],
  [/^say why the suspension is lifted$/, '请说明解除暂停的理由'],
  // the idle-fund files (shared/app/idle-funds/import.ts)
  [/^"(.*)" is not an amount in yuan with at most 2 decimals$/, (v) => `“${v}”不是金额（元，最多两位小数）`],
  [/^unknown column "(.*)" \(expected (.*)\)$/, (h, cols) => `未知的列“${h}”（应为 ${cols}）`],
  [/^column (\S+) appears twice$/, (c) => `列 ${c} 出现了两次`],
  [/^missing column (\S+) or (\S+)$/, (a, b) => `缺少列 ${a} 或 ${b}`],
  [/^missing column (\S+)$/, (c) => `缺少列 ${c}`],
  [/^give one of (.*), not both$/, (cols) => `${cols} 只能填写其一`],
  // lint (shared/domain/rules/target-review.ts)
  [/^the target needs a goal \(绩效目标\)$/, '绩效目标须填写目标内容'],
  [/^at least one output indicator \(产出指标\) is needed$/, '至少需要一个产出指标'],
  [/^at least one benefit indicator \(效益指标\) is needed$/, '至少需要一个效益指标'],
  [/^a (\w+) project serves the public: a satisfaction indicator \(满意度指标\) is needed$/, () => '该类项目面向公众，须设置满意度指标'],
  [/^the same indicator as indicators\[(\d+)\]$/, (n) => `与第 ${Number(n) + 1} 个指标重复（indicators[${n}]）`],
  [/^give a direction: >=, <=, = or qualitative$/, '请填写指标方向：≥、≤、= 或定性'],
  [/^give a target value$/, '请填写指标值'],
  [/^a qualitative indicator needs its target in words$/, '定性指标须以文字填写目标'],
  [/^a quantitative indicator needs a target value$/, '定量指标须填写目标值'],
  [/^a quantitative indicator needs a number, not "(.*)"$/, (v) => `定量指标的目标值须为数字，不能是“${v}”`],
  [/^below the library's benchmark (.+)$/, (b) => `低于指标库标杆值 ${b}`],
  [/^worse than the library's benchmark (.+)$/, (b) => `劣于指标库标杆值 ${b}`],
  [/^give both unitCostFen and quantity for the cost match, or neither$/, '单位成本（unitCostFen）与数量（quantity）须同时填写或都不填'],
  [
    /^unit cost × quantity is (.+) against a budget of (.+): ([\d.]+)% off, more than the ±([\d.]+)% allowed \(与资金不匹配\)$/,
    (c, b, d, t) => `单位成本 × 数量为 ${c}，预算为 ${b}，偏差 ${d}%，超过允许的 ±${t}%（与资金不匹配）`,
  ],
];

/** A message in the language asked for, or undefined when no entry covers it (zh only). */
export function translate(message: string, locale: Locale): string | undefined {
  const mixed = splitMixed(message);
  if (mixed) return locale === 'en' ? mixed[1] : mixed[0];
  if (locale === 'en') return message;
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
