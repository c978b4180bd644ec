/**
 * The demo evaluation season of 2020 (SPEC §3.9, §3.10), through the use cases the routes call
 * (never straight to the table), as of a fixed day in the spring of 2021:
 * - a self-evaluation for every 2020 leaf with an approved target, actuals drawn for a spread
 *   of grades, submitted and confirmed by finance then performance (a few left in draft,
 *   submitted, finance-confirmed, one in twenty returned once and resubmitted);
 * - 14 departments' reports published;
 * - 14 key evaluations of the four kinds covering 34.4 billion yuan, against 10 evaluations of
 *   2019 covering 20,128,730,251 yuan → growth 7090 bp (+70.9%); 12 distinct panel members;
 *   6 expert users; 61 suggestions in every rectification state;
 * - key evaluations that cover some of the 2020 projects the demo's 2021 projects continue,
 *   so GET /v1/results/2020/proposals has cuts (中 10%, 差 100%) and priorities; `npm run
 *   replay` confirms them after the year's jobs.
 * Deterministic and safe to run again: every step is skipped when already done.
 */
import { depsFor } from '../../functions/compose';
import type { AppDeps } from '../../shared/app/context';
import { createEvaluation } from '../../shared/app/evaluations/create';
import { finalizeEvaluation } from '../../shared/app/evaluations/finalize';
import { scoreEvaluation } from '../../shared/app/evaluations/score';
import { ulidIds } from '../../shared/app/ports';
import { reportRectification, reviewRectification } from '../../shared/app/rectification/rectify';
import { publishSelfEvaluations } from '../../shared/app/self-evaluation/publication';
import { reviewSelfEvaluation, submitSelfEvaluation } from '../../shared/app/self-evaluation/review';
import { saveSelfEvaluation } from '../../shared/app/self-evaluation/save';
import type { Principal } from '../../shared/domain/access';
import { forEachLimit } from '../../shared/domain/concurrency';
import { DomainError } from '../../shared/domain/errors';
import type { EvaluationKind, SelfEvaluationBody, StoredSelfEvaluation } from '../../shared/domain/evaluations';
import { isLeaf, type Project } from '../../shared/domain/project';
import type { TargetIndicator } from '../../shared/domain/targets';
import { batchGetAll, type Db, stripKeys } from '../../shared/aws/db';
import { evaluationTargetOf } from '../../shared/aws/evaluation-sources';
import { keys } from '../../shared/aws/keys';
import type { SeedGenerator } from './index';
import { Rng } from './prng';

export const DEMO_EVALUATIONS = {
  year: 2020,
  seed: 'jixiao-demo-evaluations',
  at: '2021-03-15T02:00:00.000Z',
  published: 14,
  fundsFen: 3_440_000_000_000,
  lastYear: { count: 10, fundsFen: 2_012_873_025_100 },
  suggestions: 61,
} as const;

type Quality = '优' | '良' | '中' | '差';
const QUALITY_WEIGHTS: Record<Quality, number> = { 优: 30, 良: 42, 中: 20, 差: 8 };
const RATIO: Record<Quality, [number, number]> = { 优: [100, 110], 良: [86, 95], 中: [62, 76], 差: [25, 45] };
const BAND: Record<Quality, { band: 'achieved' | 'partial' | 'missed'; pct: [number, number] }> = {
  优: { band: 'achieved', pct: [92, 100] },
  良: { band: 'achieved', pct: [80, 89] },
  中: { band: 'partial', pct: [60, 79] },
  差: { band: 'missed', pct: [20, 59] },
};
const PANEL = [
  { name: '陈建华', kind: 'deputy', org: '厦门市人大代表' },
  { name: '林美玲', kind: 'deputy', org: '厦门市人大代表' },
  { name: '黄志强', kind: 'cppcc', org: '厦门市政协委员' },
  { name: '吴晓东', kind: 'cppcc', org: '厦门市政协委员' },
  { name: '郑丽娟', kind: 'agency', org: '厦门致远会计师事务所' },
  { name: '王海涛', kind: 'agency', org: '福建中信德评估咨询公司' },
  { name: '刘思源', kind: 'agency', org: '厦门华审绩效评价中心' },
  { name: '张明', kind: 'expert', org: '厦门大学经济学院' },
  { name: '李静', kind: 'expert', org: '集美大学财经学院' },
  { name: '周文斌', kind: 'expert', org: '华侨大学公共管理学院' },
  { name: '许国平', kind: 'expert', org: '厦门市社会科学院' },
  { name: '蔡雅琴', kind: 'expert', org: '厦门理工学院' },
] as const;
const EXPERTS = ['expert-01', 'expert-02', 'expert-03', 'expert-04', 'expert-05', 'expert-06'];
const KINDS: EvaluationKind[] = [
  'industry-policy',
  'industry-policy',
  'industry-policy',
  'livelihood-policy',
  'livelihood-policy',
  'livelihood-policy',
  'livelihood-policy',
  'livelihood-project',
  'livelihood-project',
  'livelihood-project',
  'livelihood-project',
  'livelihood-project',
  'department-overall',
  'department-overall',
];
const KIND_ZH: Record<EvaluationKind, string> = {
  'industry-policy': '产业政策',
  'livelihood-policy': '民生政策',
  'livelihood-project': '民生项目',
  'department-overall': '部门整体',
};
const SUGGESTION_TEXT = [
  '细化绩效目标，提高指标可衡量性',
  '加快预算执行进度，减少资金沉淀',
  '完善项目管理制度，规范资金使用',
  '建立绩效跟踪机制，强化过程监控',
  '优化资金分配结构，提高资金使用效益',
  '加强政策宣传，提高服务对象满意度',
];

const seedOfficer = (deptId: string): Principal => ({ sub: `seed:officer-${deptId}`, roles: ['department'], deptId });
const FINANCE: Principal = { sub: 'seed:finance-chu', roles: ['finance'] };
const PERFORMANCE: Principal = { sub: 'seed:jixiao-chu', roles: ['performance'] };
const expert = (sub: string): Principal => ({ sub, roles: ['expert'] });

/** A use case step that may already have been done by an earlier run: its 409 is skipped. */
async function step<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DomainError && (error.statusCode === 409 || error.statusCode === 400)) return undefined;
    throw error;
  }
}

function actuals(indicators: TargetIndicator[], q: Quality, rng: Rng): SelfEvaluationBody['indicators'] {
  return indicators.map((t, index) => {
    if (t.direction === 'qualitative' || t.direction === undefined) {
      const b = BAND[q];
      return { index, band: b.band, pct: rng.int(b.pct[0], b.pct[1]) };
    }
    const target = Number(t.targetValue);
    const r = rng.int(RATIO[q][0], RATIO[q][1]) / 100;
    const value = t.direction === '<=' ? target * (2 - r) : t.direction === '=' && q === '优' ? target : target * r;
    return { index, actual: Math.round(value * 100) / 100 };
  });
}

async function selfEvaluate(deps: AppDeps, p: Project, target: TargetIndicator[], q: Quality, rng: Rng, counts: Record<string, number>) {
  const officer = seedOfficer(p.deptId);
  const body = {
    indicators: actuals(target, q, rng),
    summary: `${p.name}：年度绩效目标总体完成。`,
    problems: q === '优' ? '无明显问题。' : '部分指标完成进度滞后。',
    measures: '加强项目管理，跟踪整改。',
  };
  const saved = await step(() => saveSelfEvaluation(deps, officer, p.projectId, body));
  if (!saved) return void counts.skipped!++;
  const stop = rng.int(1, 100);
  if (stop <= 2) return void counts.draft!++;
  await step(() => submitSelfEvaluation(deps, officer, p.projectId));
  if (stop <= 4) return void counts.submitted!++;
  if (stop <= 9) {
    await step(() => reviewSelfEvaluation(deps, FINANCE, p.projectId, { decision: 'return', comments: '请补充满意度调查依据' }));
    await step(() => saveSelfEvaluation(deps, officer, p.projectId, { ...body, summary: `${body.summary}（已补充依据）` }));
    await step(() => submitSelfEvaluation(deps, officer, p.projectId));
    counts.returnedOnce!++;
  }
  await step(() => reviewSelfEvaluation(deps, FINANCE, p.projectId, { decision: 'confirm', comments: '' }));
  if (stop <= 12) return void counts.financeConfirmed!++;
  await step(() => reviewSelfEvaluation(deps, PERFORMANCE, p.projectId, { decision: 'confirm', comments: '' }));
  counts.confirmed!++;
}

/** Splits `total` into `n` deterministic parts, each a whole yuan. */
function split(total: number, n: number, rng: Rng): number[] {
  const weights = Array.from({ length: n }, () => rng.int(5, 30));
  const sum = weights.reduce((s, w) => s + w, 0);
  const parts = weights.map((w) => Math.floor((total / 100) * (w / sum)) * 100);
  parts[0]! += total - parts.reduce((s, x) => s + x, 0);
  return parts;
}

async function keyEvaluations(
  deps: AppDeps,
  year: number,
  count: number,
  fundsFen: number,
  leaves: Project[],
  predecessors: Project[],
  rng: Rng,
  suggestionsLeft: { n: number },
) {
  const funds = split(fundsFen, count, rng);
  const deptIds = [...new Set(leaves.map((p) => p.deptId))].sort();
  let suggestions = 0;
  for (let i = 0; i < count; i++) {
    const kind = year === DEMO_EVALUATIONS.year ? (KINDS[i] as EvaluationKind) : (KINDS[(i * 3) % KINDS.length] as EvaluationKind);
    const evaluationId = `KE-${year}-${String(i + 1).padStart(2, '0')}`;
    const covered =
      kind === 'livelihood-project' && year === DEMO_EVALUATIONS.year
        ? predecessors.slice((i - 7) * 3, (i - 7) * 3 + 3)
        : kind === 'livelihood-project'
          ? []
          : [];
    const deptId = kind === 'department-overall' ? rng.pick(deptIds) : undefined;
    const panel = rng.shuffle([...PANEL]).slice(0, rng.int(3, 5));
    if (i < PANEL.length && year === DEMO_EVALUATIONS.year) panel[0] = PANEL[i]!;
    const experts = rng.shuffle([...EXPERTS]).slice(0, rng.int(2, 3));
    await step(() =>
      createEvaluation(deps, PERFORMANCE, {
        evaluationId,
        year,
        kind,
        title: `${year}年度${KIND_ZH[kind]}重点绩效评价（${i + 1}）`,
        projectIds: covered.map((p) => p.projectId),
        ...(deptId ? { deptId } : {}),
        ...(kind.endsWith('policy') ? { policyName: `${KIND_ZH[kind]}专项资金政策（${i + 1}）` } : {}),
        fundsFen: funds[i]!,
        panel: [...new Map(panel.map((m) => [m.name, m])).values()].map((m) => ({ ...m })),
        experts,
      }),
    );
    // Covered predecessors are graded 中 or 差 (cuts for 2021); the others spread 优 to 中.
    const level = covered.length > 0 ? (i % 2 === 0 ? 55 : 68) : rng.int(70, 95);
    for (const sub of experts) {
      const v = () => Math.max(0, Math.min(100, level + rng.int(-4, 4)));
      await step(() => scoreEvaluation(deps, expert(sub), evaluationId, { decision: v(), process: v(), output: v(), benefit: v() }));
    }
    const n = year === DEMO_EVALUATIONS.year ? Math.min(suggestionsLeft.n, i < 5 ? 5 : 4) : 0;
    suggestionsLeft.n -= n;
    const targets = [...new Set([...(deptId ? [deptId] : []), ...covered.map((p) => p.deptId)])];
    const list = Array.from({ length: n }, (_, k) => ({
      suggestionId: `${evaluationId}-S${k + 1}`,
      deptId: targets[k % Math.max(1, targets.length)] ?? rng.pick(deptIds),
      text: SUGGESTION_TEXT[(i + k) % SUGGESTION_TEXT.length] as string,
      dueDate: '2021-06-30',
    }));
    if (
      await step(() =>
        finalizeEvaluation(deps, PERFORMANCE, evaluationId, {
          findings: `${KIND_ZH[kind]}资金总体使用规范，绩效目标基本实现，存在部分问题。`,
          suggestions: list,
        }),
      )
    )
      suggestions += n;
  }
  return suggestions;
}

/** 61 suggestions: open, in progress, reported done, accepted, and a few reopened. */
async function rectify(deps: AppDeps, year: number, rng: Rng) {
  const states: Record<string, number> = { open: 0, 'in-progress': 0, done: 0, accepted: 0 };
  for (const s of (await deps.repos.suggestions.list(year)).sort((a, b) => (a.suggestionId < b.suggestionId ? -1 : 1))) {
    const officer = seedOfficer(s.deptId);
    const r = rng.int(1, 100);
    if (s.status === 'open' && r > 18)
      await step(() => reportRectification(deps, officer, s.suggestionId, { status: 'in-progress', note: '已制定整改方案，正在落实' }));
    if (r > 40) await step(() => reportRectification(deps, officer, s.suggestionId, { status: 'done', note: '整改措施已落实，相关制度已印发' }));
    if (r > 40 && r <= 48) await step(() => reviewRectification(deps, PERFORMANCE, s.suggestionId, { decision: 'reopen', comment: '整改佐证材料不足' }));
    if (r > 60) await step(() => reviewRectification(deps, PERFORMANCE, s.suggestionId, { decision: 'accept', comment: '' }));
  }
  for (const s of await deps.repos.suggestions.list(year)) states[s.status] = (states[s.status] ?? 0) + 1;
  return states;
}

/** Memoizes `fn` by its first argument (the promise, so concurrent callers share one read). */
function once<A, R>(fn: (a: A) => Promise<R>): (a: A) => Promise<R> {
  const seen = new Map<A, Promise<R>>();
  return (a) => seen.get(a) ?? (seen.set(a, fn(a)), seen.get(a)!);
}

/** The use cases' deps, with the year's policy and department names read once, not per leaf. */
function seedDeps(base: AppDeps): AppDeps {
  const src = base.repos.evaluationSources;
  const evaluationSources = { ...src, policy: once(src.policy), departmentName: once(src.departmentName) };
  return { ...base, repos: { ...base.repos, evaluationSources } };
}

/** Looks `key` up in what was read in bulk; anything else is read as `fn` reads it, once. */
function primed<R>(known: Map<string, R | undefined>, fn: (key: string) => Promise<R | undefined>): (key: string) => Promise<R | undefined> {
  const rest = once(fn);
  return (key) => (known.has(key) ? Promise.resolve(known.get(key)) : rest(key));
}

/**
 * The deps of the self-evaluation season, where every verb of every leaf reads its project,
 * target, latest report and self-evaluation again. The leaves, their targets (and their
 * level-1s') and their self-evaluations are read up front in BatchGetItem requests of 100; the
 * first three do not change while the season runs, and a self-evaluation is then known from the
 * seed's own writes (a leaf's verbs run in sequence, and nothing else writes it meanwhile).
 */
async function seasonDeps(base: AppDeps, db: Db, leaves: Project[]): Promise<AppDeps> {
  const src = base.repos.evaluationSources;
  const ids = leaves.map((p) => p.projectId);
  const withParents = [...new Set(leaves.flatMap((p) => (p.parentId ? [p.projectId, p.parentId] : [p.projectId])))];
  const byKey = async <R>(list: string[], key: (id: string) => { PK: string; SK: string }, of: (id: string, item: Record<string, unknown>) => R) => {
    const items = new Map((await batchGetAll(db, list.map(key))).map((i) => [`${i.PK}|${i.SK}`, i]));
    return new Map<string, R | undefined>(
      list.map((id) => {
        const k = key(id);
        const item = items.get(`${k.PK}|${k.SK}`);
        return [id, item ? of(id, item) : undefined];
      }),
    );
  };
  const [projects, targets, stored] = await Promise.all([
    src.projects(ids),
    byKey(withParents, keys.projectTarget, evaluationTargetOf),
    byKey(ids, keys.selfEvaluation, (_, item) => stripKeys<StoredSelfEvaluation>(item)),
  ]);
  const evaluationSources = {
    ...src,
    project: primed(new Map(ids.map((id) => [id, projects.get(id)])), src.project),
    target: primed(targets, src.target),
    latestReport: once(src.latestReport),
  };
  const repo = base.repos.selfEvaluations;
  const written = new Map<string, StoredSelfEvaluation | undefined>(stored);
  const selfEvaluations: typeof repo = {
    ...repo,
    async get(projectId) {
      if (!written.has(projectId)) return repo.get(projectId);
      const known = written.get(projectId);
      return known && structuredClone(known);
    },
    async write(next, prevRev, extra) {
      const out = await repo.write(next, prevRev, extra);
      if (out === 'ok') written.set(next.projectId, structuredClone(next));
      else written.delete(next.projectId);
      return out;
    },
  };
  return { ...base, repos: { ...base.repos, evaluationSources, selfEvaluations } };
}

export const evaluationsSeed: SeedGenerator = {
  name: 'evaluations',
  async run(ctx) {
    const { year } = DEMO_EVALUATIONS;
    const deps = seedDeps(depsFor(ctx.db, { now: () => new Date(DEMO_EVALUATIONS.at) }, ulidIds));
    const sources = deps.repos.evaluationSources;
    const rng = new Rng(DEMO_EVALUATIONS.seed);
    const leaves = (await sources.leaves(year)).filter((p) => isLeaf(p) && p.status !== 'cancelled');
    const continued = new Set((await sources.continuing(year + 1, new Set(leaves.map((p) => p.projectId)))).map((p) => p.continuesProjectId as string));
    const predecessors = leaves.filter((p) => continued.has(p.projectId));
    const counts: Record<string, number> = { skipped: 0, draft: 0, submitted: 0, financeConfirmed: 0, confirmed: 0, returnedOnce: 0, noApprovedTarget: 0 };
    const plans = leaves.map((p) => ({ p, q: rng.weighted(QUALITY_WEIGHTS) as Quality, seed: rng.int(1, 1e9) }));
    const season = await seasonDeps(deps, ctx.db, leaves);
    const seasonSources = season.repos.evaluationSources;
    await forEachLimit(plans, 24, async ({ p, q, seed }) => {
      const t = (await seasonSources.target(p.projectId)) ?? (p.parentId ? await seasonSources.target(p.parentId) : undefined);
      if (t?.status !== 'approved') return void counts.noApprovedTarget!++;
      await selfEvaluate(season, p, t.indicators, q, new Rng(seed), counts);
    });
    const confirmedDepts = [...new Set((await deps.repos.selfEvaluations.list(year)).filter((e) => e.status === 'confirmed').map((e) => e.deptId))].sort();
    const published = rng.shuffle(confirmedDepts).slice(0, DEMO_EVALUATIONS.published);
    for (const deptId of published) await publishSelfEvaluations(deps, PERFORMANCE, deptId, year);
    await keyEvaluations(deps, year - 1, DEMO_EVALUATIONS.lastYear.count, DEMO_EVALUATIONS.lastYear.fundsFen, leaves, [], rng, { n: 0 });
    const suggestions = await keyEvaluations(deps, year, KINDS.length, DEMO_EVALUATIONS.fundsFen, leaves, predecessors, rng, {
      n: DEMO_EVALUATIONS.suggestions,
    });
    const rectification = await rectify(deps, year, rng);
    return {
      leaves: leaves.length,
      ...counts,
      publishedDepartments: published.length,
      keyEvaluations: KINDS.length,
      suggestions,
      rectification,
      continuedPredecessors: predecessors.length,
    };
  },
};
