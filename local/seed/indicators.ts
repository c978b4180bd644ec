/**
 * A demo indicator library of the shape of Xiamen's 《绩效指标和标准体系（2020 年版）》:
 * 6 general categories with 162 general indicators; 19 domains, 64 categories, 190 fund uses
 * and 2,696 core indicators — in the 2021 framework (cost a level-1), drawn from the national
 * level-1/level-2 structure with plausible Chinese names, units and benchmarks.
 *
 * The six general categories follow the six project categories, and a core category is one of
 * the subjects demo projects are named after (names-zh.ts), so the targets generator finds for
 * every project the indicators a department would pick. Pure and deterministic.
 */
import { indicatorItem } from '../../shared/aws/indicators-repo';
import { keys } from '../../shared/aws/keys';
import type { Direction, Indicator, Level1 } from '../../shared/domain/indicators';
import { libraryStats } from '../../shared/domain/indicators';
import type { Category } from '../../shared/domain/project';
import type { SeedGenerator } from './generator';
import { DOMAINS, parseSubject, SUBJECTS } from './names-zh';
import { apportion, Rng } from './prng';

export const LIBRARY_SHAPE = {
  generalCategories: 6,
  general: 162,
  domains: 19,
  coreCategories: 64,
  fundUses: 190,
  core: 2696,
} as const;

interface Stem {
  level1: Level1;
  level2: string;
  name: string;
  unit?: string;
  direction: Direction;
  benchmark?: number;
}

const s = (level1: Level1, level2: string, name: string, unit: string | undefined, direction: Direction, benchmark?: number): Stem => ({
  level1,
  level2,
  name,
  ...(unit ? { unit } : {}),
  direction,
  ...(benchmark !== undefined ? { benchmark } : {}),
});

/** Indicators every kind of spending has (12). */
const COMMON: Stem[] = [
  s('output', 'quantity', '年度计划任务完成数', '项', '>='),
  s('output', 'quality', '资金使用合规率', '%', '>=', 100),
  s('output', 'quality', '项目验收合格率', '%', '>=', 100),
  s('output', 'timeliness', '任务按期完成率', '%', '>=', 95),
  s('output', 'timeliness', '资金支付及时率', '%', '>=', 90),
  s('cost', 'economic', '预算成本控制率', '%', '<=', 100),
  s('cost', 'economic', '成本节约率', '%', '>=', 5),
  s('cost', 'social', '对周边群众生产生活的影响', undefined, 'qualitative'),
  s('cost', 'ecological', '对生态环境的负面影响', undefined, 'qualitative'),
  s('benefit', 'social', '社会公众知晓率', '%', '>=', 80),
  s('benefit', 'sustainable', '长效管理机制健全性', undefined, 'qualitative'),
  s('satisfaction', 'service-object', '服务对象满意度', '%', '>=', 90),
];

/** Indicators of each kind of spending (15 each): the project categories. */
const SPECIFIC: Record<Category, Stem[]> = {
  infrastructure: [
    s('output', 'quantity', '新建（改扩建）面积', '平方米', '>='),
    s('output', 'quantity', '工程建设数量', '个', '>='),
    s('output', 'quality', '工程质量验收合格率', '%', '>=', 100),
    s('output', 'quality', '竣工验收一次通过率', '%', '>=', 95),
    s('output', 'quality', '安全生产事故发生数', '起', '<=', 0),
    s('output', 'timeliness', '工程按期开工率', '%', '>=', 100),
    s('output', 'timeliness', '工程按期完工率', '%', '>=', 95),
    s('cost', 'economic', '单位面积建设成本', '元/平方米', '<='),
    s('cost', 'economic', '投资概算控制率', '%', '<=', 100),
    s('benefit', 'economic', '带动社会投资', '万元', '>='),
    s('benefit', 'social', '新增服务能力', '人次', '>='),
    s('benefit', 'ecological', '绿色建材使用比例', '%', '>=', 40),
    s('benefit', 'sustainable', '设施设计使用年限', '年', '>=', 50),
    s('benefit', 'social', '周边交通（环境）改善情况', undefined, 'qualitative'),
    s('satisfaction', 'service-object', '周边群众满意度', '%', '>=', 85),
  ],
  it: [
    s('output', 'quantity', '系统建设功能模块数', '个', '>='),
    s('output', 'quantity', '数据资源归集量', '万条', '>='),
    s('output', 'quality', '系统可用率', '%', '>=', 99.9),
    s('output', 'quality', '网络安全等级保护测评通过率', '%', '>=', 100),
    s('output', 'quality', '系统安全事件发生数', '次', '<=', 0),
    s('output', 'timeliness', '系统按期上线率', '%', '>=', 100),
    s('cost', 'economic', '单位功能点开发成本', '元/功能点', '<='),
    s('cost', 'economic', '运维费用占建设投资比例', '%', '<=', 15),
    s('benefit', 'economic', '业务办理时间缩短率', '%', '>=', 30),
    s('benefit', 'social', '事项网上可办率', '%', '>=', 90),
    s('benefit', 'social', '数据共享调用次数', '万次', '>='),
    s('benefit', 'ecological', '节约纸质材料', '万张', '>='),
    s('benefit', 'sustainable', '系统持续运行年限', '年', '>=', 5),
    s('output', 'timeliness', '故障响应时间', '小时', '<=', 2),
    s('satisfaction', 'service-object', '系统用户满意度', '%', '>=', 90),
  ],
  equipment: [
    s('output', 'quantity', '设备购置数量', '台（套）', '>='),
    s('output', 'quality', '设备验收合格率', '%', '>=', 100),
    s('output', 'quality', '设备完好率', '%', '>=', 95),
    s('output', 'quality', '设备故障率', '%', '<=', 3),
    s('output', 'timeliness', '设备采购按期到位率', '%', '>=', 100),
    s('output', 'quantity', '设备操作培训人次', '人次', '>='),
    s('cost', 'economic', '单台（套）设备采购成本', '元/台', '<='),
    s('cost', 'economic', '采购价格节约率', '%', '>=', 5),
    s('benefit', 'social', '设备服务人次', '人次', '>='),
    s('benefit', 'economic', '设备使用率', '%', '>=', 80),
    s('benefit', 'ecological', '能效等级达标率', '%', '>=', 100),
    s('benefit', 'sustainable', '设备使用年限', '年', '>=', 6),
    s('benefit', 'sustainable', '固定资产登记入账率', '%', '>=', 100),
    s('benefit', 'social', '保障能力提升情况', undefined, 'qualitative'),
    s('satisfaction', 'service-object', '使用人员满意度', '%', '>=', 90),
  ],
  policy: [
    s('output', 'quantity', '补助（扶持）对象数量', '户', '>='),
    s('output', 'quantity', '补助资金发放金额', '万元', '>='),
    s('output', 'quality', '补助标准执行准确率', '%', '>=', 100),
    s('output', 'quality', '虚报冒领发生数', '起', '<=', 0),
    s('output', 'quality', '申报审核通过率', '%', '>=', 85),
    s('output', 'timeliness', '补助资金按时发放率', '%', '>=', 100),
    s('output', 'timeliness', '资金兑现周期', '天', '<=', 30),
    s('cost', 'economic', '户均补助成本', '元/户', '<='),
    s('benefit', 'economic', '带动企业（个人）增收', '万元', '>='),
    s('benefit', 'economic', '政策撬动社会资金倍数', '倍', '>=', 3),
    s('benefit', 'social', '受益群体覆盖率', '%', '>=', 90),
    s('benefit', 'social', '政策知晓率', '%', '>=', 85),
    s('benefit', 'ecological', '绿色发展项目占比', '%', '>=', 20),
    s('benefit', 'sustainable', '政策目标实现程度', undefined, 'qualitative'),
    s('satisfaction', 'service-object', '补助对象满意度', '%', '>=', 90),
  ],
  operations: [
    s('output', 'quantity', '保障对象数量', '个', '>='),
    s('output', 'quantity', '服务人次', '人次', '>='),
    s('output', 'quality', '设施设备完好率', '%', '>=', 95),
    s('output', 'quality', '服务质量达标率', '%', '>=', 95),
    s('output', 'quality', '安全事故发生数', '起', '<=', 0),
    s('output', 'timeliness', '运维响应及时率', '%', '>=', 98),
    s('output', 'quantity', '年运行时长', '小时', '>='),
    s('cost', 'economic', '单位面积运维成本', '元/平方米', '<='),
    s('cost', 'economic', '日常运行费用节约率', '%', '>=', 3),
    s('benefit', 'social', '公共服务保障水平', undefined, 'qualitative'),
    s('benefit', 'social', '群众诉求办结率', '%', '>=', 95),
    s('benefit', 'ecological', '能耗降低率', '%', '>=', 2),
    s('benefit', 'sustainable', '购买服务合同履约率', '%', '>=', 100),
    s('output', 'quantity', '工作人员培训人次', '人次', '>='),
    s('satisfaction', 'service-object', '群众满意度', '%', '>=', 90),
  ],
  other: [
    s('output', 'quantity', '研究报告数量', '份', '>='),
    s('output', 'quantity', '调研覆盖单位数', '个', '>='),
    s('output', 'quantity', '评审项目数量', '个', '>='),
    s('output', 'quality', '报告验收通过率', '%', '>=', 100),
    s('output', 'quality', '资料归档完整率', '%', '>=', 100),
    s('output', 'timeliness', '研究按期完成率', '%', '>=', 100),
    s('cost', 'economic', '单项研究成本', '万元/项', '<='),
    s('cost', 'economic', '评审费用控制率', '%', '<=', 100),
    s('benefit', 'social', '成果采纳率', '%', '>=', 60),
    s('benefit', 'social', '决策参考价值', undefined, 'qualitative'),
    s('benefit', 'economic', '成果转化应用数', '项', '>='),
    s('benefit', 'social', '政策建议被采纳数', '条', '>='),
    s('benefit', 'sustainable', '成果持续应用年限', '年', '>=', 3),
    s('output', 'quantity', '专家参与人次', '人次', '>='),
    s('satisfaction', 'service-object', '委托单位满意度', '%', '>=', 90),
  ],
};

/** The six general categories (共性指标) — one per kind of spending. */
export const GENERAL_CATEGORIES: Record<Category, string> = {
  infrastructure: '基本建设类',
  it: '信息化建设类',
  equipment: '设备购置类',
  policy: '政策补助类',
  operations: '运行维护类',
  other: '前期研究及其他类',
};

/** Fund-use words by kind of spending; a category's fund uses are its subject + one of these. */
export const FUND_USE_WORDS: Record<Category, string[]> = {
  infrastructure: ['建设工程', '维修改造'],
  it: ['信息化建设', '系统运维'],
  equipment: ['设备购置', '装备更新'],
  policy: ['专项补助', '奖励扶持'],
  operations: ['运行维护', '购买服务'],
  other: ['前期研究', '评估评审'],
};

const CATEGORIES: Category[] = ['infrastructure', 'it', 'equipment', 'policy', 'operations', 'other'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export interface CoreFundUse {
  domain: string;
  category: string;
  fundUse: string;
  kind: Category;
  codes: string[];
}

export interface DemoLibrary {
  indicators: Indicator[];
  general: Map<Category, string[]>;
  fundUses: CoreFundUse[];
}

/** The core categories: the first subjects of each domain, 64 in all, spread by subject count. */
function coreCategories(): { domain: string; subject: string; kinds: Category[] }[] {
  const counts = apportion(
    LIBRARY_SHAPE.coreCategories - DOMAINS.length,
    DOMAINS.map((d) => SUBJECTS[d].length - 1),
  ).map((n) => n + 1);
  return DOMAINS.flatMap((domain, i) =>
    SUBJECTS[domain].slice(0, counts[i]).map((entry) => {
      const { subject, categories } = parseSubject(entry);
      return { domain, subject, kinds: categories };
    }),
  );
}

export function buildLibrary(): DemoLibrary {
  const rng = new Rng('jixiao-demo-library');
  const indicators: Indicator[] = [];
  const general = new Map<Category, string[]>();

  CATEGORIES.forEach((kind, k) => {
    const category = GENERAL_CATEGORIES[kind];
    const stems = [...SPECIFIC[kind], ...COMMON];
    const codes: string[] = [];
    stems.forEach((stem, n) => {
      const code = `G${k + 1}-${pad(n + 1, 3)}`;
      codes.push(code);
      indicators.push({ code, scope: 'general', category, ...stem });
    });
    general.set(kind, codes);
  });

  // Fund uses: each category's subject with a word per kind it allows, then the exact total
  // reached by giving categories with more kinds their second words.
  const categories = coreCategories();
  const slots = categories.map((c) => c.kinds.flatMap((kind) => FUND_USE_WORDS[kind].map((word) => ({ kind, word }))));
  const firstWords = categories.map((c) => c.kinds.length);
  const extra = apportion(
    LIBRARY_SHAPE.fundUses - firstWords.reduce((a, b) => a + b, 0),
    slots.map((sl, i) => sl.length - (firstWords[i] as number)),
  );
  const fundUses: CoreFundUse[] = [];
  categories.forEach((c, i) => {
    const firsts = c.kinds.map((kind) => ({ kind, word: FUND_USE_WORDS[kind][0] as string }));
    const seconds = c.kinds.map((kind) => ({ kind, word: FUND_USE_WORDS[kind][1] as string }));
    for (const { kind, word } of [...firsts, ...seconds.slice(0, extra[i])]) {
      fundUses.push({ domain: c.domain, category: c.subject, fundUse: `${c.subject}${word}`, kind, codes: [] });
    }
  });

  const perFundUse = apportion(
    LIBRARY_SHAPE.core,
    fundUses.map(() => 1),
  );
  const domainIndex = new Map(DOMAINS.map((d, i) => [d as string, i + 1]));
  const categoryIndex = new Map<string, number>();
  const fundUseIndex = new Map<string, number>();
  fundUses.forEach((f, i) => {
    const dd = domainIndex.get(f.domain) as number;
    const catKey = `${f.domain}#${f.category}`;
    if (!categoryIndex.has(catKey)) categoryIndex.set(catKey, [...categoryIndex.keys()].filter((k) => k.startsWith(`${f.domain}#`)).length + 1);
    const cc = categoryIndex.get(catKey) as number;
    fundUseIndex.set(catKey, (fundUseIndex.get(catKey) ?? 0) + 1);
    const ff = fundUseIndex.get(catKey) as number;
    // Always an output, a benefit and the satisfaction indicator; the rest drawn.
    const stems = [...SPECIFIC[f.kind], ...COMMON.filter((c) => c.level1 !== 'satisfaction')];
    const must = [stems[0] as Stem, stems.find((x) => x.level1 === 'benefit') as Stem, SPECIFIC[f.kind][14] as Stem];
    const rest = rng.shuffle(stems.filter((x) => !must.includes(x)));
    const chosen = [...must, ...rest].slice(0, perFundUse[i]);
    chosen.forEach((stem, n) => {
      const code = `K${pad(dd)}${pad(cc)}${pad(ff)}-${pad(n + 1)}`;
      f.codes.push(code);
      indicators.push({ code, scope: 'core', category: f.category, domain: f.domain, fundUse: f.fundUse, ...stem, name: `${f.category}${stem.name}` });
    });
  });
  return { indicators, general, fundUses };
}

export const demoIndicators: SeedGenerator = {
  name: 'indicators',
  async run(ctx) {
    const library = buildLibrary();
    const at = '2020-06-30T02:00:00.000Z';
    const stats = libraryStats(library.indicators);
    await ctx.write([
      ...library.indicators.map((i) => ({ ...indicatorItem(i), importId: 'seed', updatedAt: at })),
      {
        ...keys.indicatorLibrary(),
        entity: 'IndicatorLibrary',
        v: 1,
        stats,
        version: 1,
        lastImport: {
          importId: 'seed',
          format: 'xlsx',
          mode: 'replace',
          rows: stats.total,
          created: stats.total,
          updated: 0,
          unchanged: 0,
          deleted: 0,
          fileHash: 'seed',
          at,
          by: 'seed:demo',
        },
        updatedAt: at,
      },
    ]);
    return { ...stats };
  },
};
