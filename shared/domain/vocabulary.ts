/**
 * The one table of the words people type for the API's codes (issue 12 item 3): level-1 and
 * level-2 indicator names (产出 / 产出指标, 数量 / 数量指标, …), directions (`≥ ≤ =` as well as
 * `>= <= =`), indicator scopes, project categories and fund sources by their Chinese names.
 * Every place that takes one of these — the indicator import, a target's indicators, a
 * project, the library's filters, a policy's lists — reads it through this module and answers
 * with the canonical code, so a value is accepted in one place exactly when it is in all.
 *
 * Pure data and functions; the zod helper keeps the accepted words visible to JSON Schema
 * (an enum of codes and words, then a transform to the code).
 */
import * as z from './zod';

export const LEVEL1 = ['cost', 'output', 'benefit', 'satisfaction'] as const;
export type Level1 = (typeof LEVEL1)[number];

export const DIRECTIONS = ['>=', '<=', '=', 'qualitative'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const SCOPES = ['general', 'core'] as const;
export type Scope = (typeof SCOPES)[number];

export const CATEGORIES = ['infrastructure', 'it', 'equipment', 'policy', 'operations', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const FUND_SOURCES = ['general', 'central-transfer', 'fund-budget', 'business-income', 'other'] as const;
export type FundSource = (typeof FUND_SOURCES)[number];

export const LEVEL1_ZH: Record<Level1, string> = {
  cost: '成本指标',
  output: '产出指标',
  benefit: '效益指标',
  satisfaction: '满意度指标',
};

/** Level-2 codes with their Chinese names, per level-1, in the 2021 framework. */
export const LEVEL2: Record<Level1, readonly { code: string; zh: string }[]> = {
  cost: [
    { code: 'economic', zh: '经济成本指标' },
    { code: 'social', zh: '社会成本指标' },
    { code: 'ecological', zh: '生态环境成本指标' },
  ],
  output: [
    { code: 'quantity', zh: '数量指标' },
    { code: 'quality', zh: '质量指标' },
    { code: 'timeliness', zh: '时效指标' },
  ],
  benefit: [
    { code: 'economic', zh: '经济效益指标' },
    { code: 'social', zh: '社会效益指标' },
    { code: 'ecological', zh: '生态效益指标' },
    { code: 'sustainable', zh: '可持续影响指标' },
  ],
  satisfaction: [{ code: 'service-object', zh: '服务对象满意度指标' }],
};

/** The pre-2021 framework's extra level-2 under output, where cost indicators lived. */
export const PRE_2021_OUTPUT_COST = { code: 'cost', zh: '成本指标' } as const;

export const CATEGORY_ZH: Record<Category, string> = {
  infrastructure: '基础设施建设',
  it: '信息化建设',
  equipment: '设备购置',
  policy: '政策补助',
  operations: '运转保障',
  other: '其他',
};

export const FUND_SOURCE_ZH: Record<FundSource, string> = {
  general: '一般公共预算',
  'central-transfer': '中央转移支付',
  'fund-budget': '政府性基金预算',
  'business-income': '事业收入',
  other: '其他',
};

export const DIRECTION_ZH: Record<Direction, string> = { '>=': '≥', '<=': '≤', '=': '=', qualitative: '定性' };
export const SCOPE_ZH: Record<Scope, string> = { general: '共性指标', core: '部门核心指标' };

/** Without a trailing 指标 / 类 / 项目, the short forms people also write (数量 for 数量指标). */
const shortForms = (zh: string) => [zh, zh.replace(/(指标|类)$/, '')];

function table<T extends string>(entries: [T, string[]][]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [code, words] of entries) for (const w of words) out[w] = code;
  return out;
}

const LEVEL1_WORDS = table(LEVEL1.map((l) => [l, shortForms(LEVEL1_ZH[l])]));
const DIRECTION_WORDS = table<Direction>([
  ['>=', ['≥', '＞＝', '>＝', '不低于', '大于等于']],
  ['<=', ['≤', '＜＝', '<＝', '不高于', '小于等于']],
  ['=', ['＝', '等于']],
  ['qualitative', ['定性']],
]);
const SCOPE_WORDS = table<Scope>([
  ['general', ['共性', '共性指标']],
  ['core', ['核心', '核心指标', '部门核心指标', '个性指标']],
]);
const CATEGORY_WORDS = table<Category>([
  ['infrastructure', [CATEGORY_ZH.infrastructure, '基础设施', '基建', '基础设施建设类']],
  ['it', [CATEGORY_ZH.it, '信息化', '信息化建设类', '信息化项目']],
  ['equipment', [CATEGORY_ZH.equipment, '设备', '设备购置类']],
  ['policy', [CATEGORY_ZH.policy, '政策', '政策类', '政策补助类']],
  ['operations', [CATEGORY_ZH.operations, '运转', '运行维护', '运转类', '运转保障类']],
  ['other', [CATEGORY_ZH.other, '其他类']],
]);
const FUND_SOURCE_WORDS = table<FundSource>([
  ['general', [FUND_SOURCE_ZH.general, '一般公共预算资金', '一般预算']],
  ['central-transfer', [FUND_SOURCE_ZH['central-transfer'], '中央转移支付资金', '上级转移支付', '转移支付']],
  ['fund-budget', [FUND_SOURCE_ZH['fund-budget'], '政府性基金', '基金预算']],
  ['business-income', [FUND_SOURCE_ZH['business-income'], '事业收入资金']],
  ['other', [FUND_SOURCE_ZH.other, '其他资金']],
]);

/** The canonical code a typed word names, or undefined. Codes are accepted in any case. */
function lookup<T extends string>(codes: readonly T[], words: Record<string, T>, value: string): T | undefined {
  const v = value.trim();
  return codes.find((c) => c === v || c === v.toLowerCase()) ?? words[v];
}

export const canonicalLevel1 = (v: string) => lookup(LEVEL1, LEVEL1_WORDS, v);
export const canonicalDirection = (v: string) => lookup(DIRECTIONS, DIRECTION_WORDS, v);
export const canonicalScope = (v: string) => lookup(SCOPES, SCOPE_WORDS, v);
export const canonicalCategory = (v: string) => lookup(CATEGORIES, CATEGORY_WORDS, v);
export const canonicalFundSource = (v: string) => lookup(FUND_SOURCES, FUND_SOURCE_WORDS, v);

/**
 * The level-2 code a word names under `level1` (数量 / 数量指标 / quantity → quantity). In the
 * pre-2021 framework output also has `cost` (成本 / 成本指标).
 */
export function canonicalLevel2(level1: Level1, value: string, preTwentyTwentyOne = false): string | undefined {
  const v = value.trim();
  const options = preTwentyTwentyOne && level1 === 'output' ? [...LEVEL2.output, PRE_2021_OUTPUT_COST] : LEVEL2[level1];
  return options.find((l) => l.code === v || l.code === v.toLowerCase() || shortForms(l.zh).includes(v))?.code;
}

/**
 * A zod enum of the codes and the words for them, answering with the code. The words are part
 * of the enum, so the JSON Schema of the input lists them too.
 */
export function aliasedEnum<T extends string>(codes: readonly [T, ...T[]], canonical: (v: string) => T | undefined, words: Record<string, T>) {
  const accepted = [...new Set([...codes, ...Object.keys(words)])] as [string, ...string[]];
  return z.pipe(
    z.enum(accepted),
    z.transform((v) => canonical(v) as T),
  );
}

export const level1Input = () => aliasedEnum(LEVEL1, canonicalLevel1, LEVEL1_WORDS);
export const directionInput = () => aliasedEnum(DIRECTIONS, canonicalDirection, DIRECTION_WORDS);
export const scopeInput = () => aliasedEnum(SCOPES, canonicalScope, SCOPE_WORDS);
export const categoryInput = () => aliasedEnum(CATEGORIES, canonicalCategory, CATEGORY_WORDS);
export const fundSourceInput = () => aliasedEnum(FUND_SOURCES, canonicalFundSource, FUND_SOURCE_WORDS);
