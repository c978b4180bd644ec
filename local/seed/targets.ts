/**
 * Demo performance targets for the 2020 projects and departments found in the table: every
 * level-1 (330) and level-2 (1,700) project and every department as a whole (87), reviewed in
 * the autumn of 2019 as the 2020 budget was drawn up. Most are approved, some were returned
 * and await revision, a few are still under review or in draft, and a few failed review and
 * were cut (TARGET_REVIEW_CUT, through the ledger) — and every department-overall target is
 * approved, so the public list shows 87 of 87 departments, as Xiamen did.
 *
 * Indicators come from the demo library (indicators.ts): the core fund use a project's name and
 * category point to, else its general category; targets are resolved and linted exactly as the
 * API does (2020: the pre-2021 taxonomy), and a target that would not lint clean is a bug here.
 * Items go in with BatchWrite; only the few cuts are transactions (the ledger's).
 */
import { depsFor } from '../../functions/compose';
import { yearPolicy } from '../../shared/app/policies';
import { cutLeaf, cutRun } from '../../shared/app/targets/cut';
import type { Db } from '../../shared/aws/db';
import { targetItem, targetReviewItem, targetVersionItem } from '../../shared/aws/targets-repo';
import type { Department } from '../../shared/domain/department';
import type { Indicator } from '../../shared/domain/indicators';
import { taxonomyOf } from '../../shared/domain/indicators';
import { deductionId } from '../../shared/domain/ledger';
import type { Policy } from '../../shared/domain/policy';
import { isLeaf, type Project } from '../../shared/domain/project';
import { lintBlocks, lintTarget } from '../../shared/domain/rules/target-review';
import {
  type CutLeaf,
  type Decision,
  type Grade,
  type ReviewRecord,
  resolveIndicators,
  type StoredTarget,
  type TargetIndicatorInput,
  type TargetStatus,
} from '../../shared/domain/targets';
import type { SeedGenerator } from './generator';
import { buildLibrary, type DemoLibrary } from './indicators';
import { Rng } from './prng';

export const DEMO_TARGETS = {
  year: 2020,
  seed: 'jixiao-demo-targets',
  /** How many level-2 / level-1 targets end in each state; the rest are approved at once. */
  level2: { cutRejected: 5, cutReturnedTwice: 3, returned: 85, submitted: 34, draft: 25, approvedAfterReturn: 90 },
  level1: { returned: 8, submitted: 6, approvedAfterReturn: 12 },
  /** The review season of the 2020 budget. */
  savedAt: '2019-10-15T02:00:00.000Z',
  submittedAt: '2019-10-25T02:00:00.000Z',
  firstReviewAt: '2019-11-12T06:00:00.000Z',
  revisedAt: '2019-11-20T02:00:00.000Z',
  resubmittedAt: '2019-11-22T02:00:00.000Z',
  secondReviewAt: '2019-12-06T06:00:00.000Z',
  cutAsOf: '2019-12-06',
} as const;

const REVIEWERS = ['finance:jiaoyu-chu', 'finance:shehui-chu', 'finance:jingjian-chu', 'performance:jixiao-chu'];
const SEED_OFFICER = (deptId: string) => `seed:officer-${deptId}`;
const QUALITATIVE = ['明显提升', '有效改善', '机制健全、运行规范', '达到预期目标', '持续发挥效益'];
const RETURN_REASONS = [
  '绩效指标未细化量化，请补充数量和质量指标',
  '指标值设置偏低，与资金规模不匹配',
  '满意度指标缺少调查口径',
  '成本指标缺失，请补充单位成本',
];
const REJECT_REASONS = ['绩效目标与项目资金严重不匹配，修改后仍不合格', '项目必要性不足，目标不明确'];

/** A deterministic ULID (time + 16 characters from the stream), so reruns write the same ids. */
function ulidAt(iso: string, rng: Rng): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let ms = Date.parse(iso);
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = alphabet[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  let random = '';
  for (let i = 0; i < 16; i++) random += alphabet[Math.floor(rng.next() * 32)];
  return time + random;
}

function targetValue(ind: Indicator, rng: Rng): number | string {
  if (ind.direction === 'qualitative') return rng.pick(QUALITATIVE);
  if (ind.benchmark !== undefined) {
    if (ind.direction === '<=' || ind.unit !== '%') return ind.benchmark;
    return Math.min(100, ind.benchmark + rng.int(0, 2));
  }
  const unit = ind.unit ?? '';
  if (ind.direction === '<=') return unit.startsWith('元') ? rng.int(20, 800) * 10 : rng.int(1, 30);
  if (unit === '%') return rng.int(85, 98);
  if (/人次|^人$/.test(unit)) return rng.int(5, 500) * 100;
  if (/平方米/.test(unit)) return rng.int(10, 400) * 100;
  if (/^万/.test(unit)) return rng.int(5, 800);
  if (/年/.test(unit)) return rng.int(3, 20);
  if (/小时/.test(unit)) return rng.int(20, 87) * 100;
  return rng.int(2, 120);
}

/** The indicator a project's cost figures go on: unit cost × quantity ≈ its budget. */
function withCost(input: TargetIndicatorInput, budgetFen: number, rng: Rng): TargetIndicatorInput {
  if (budgetFen <= 0) return input;
  const quantity =
    typeof input.targetValue === 'number' && Number.isInteger(input.targetValue) && input.targetValue > 0
      ? Math.min(input.targetValue, 5000)
      : rng.int(10, 500);
  return { ...input, targetValue: quantity, quantity, unitCostFen: Math.floor(budgetFen / quantity) };
}

interface Plan {
  /** The states the target goes through, in order. */
  path: ('approve' | 'return' | 'reject' | 'submit' | 'revise')[];
  final: TargetStatus;
  cut: boolean;
}

const PLANS: Record<string, Plan> = {
  approved: { path: ['submit', 'approve'], final: 'approved', cut: false },
  approvedAfterReturn: { path: ['submit', 'return', 'revise', 'submit', 'approve'], final: 'approved', cut: false },
  returned: { path: ['submit', 'return'], final: 'returned', cut: false },
  submitted: { path: ['submit'], final: 'submitted', cut: false },
  draft: { path: [], final: 'draft', cut: false },
  cutRejected: { path: ['submit', 'reject'], final: 'rejected', cut: true },
  cutReturnedTwice: { path: ['submit', 'return', 'revise', 'submit', 'return'], final: 'returned', cut: true },
};

function assign<T extends { projectId: string }>(items: T[], quotas: Record<string, number>, rng: Rng, prefer?: (t: T) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  const order = rng.shuffle([...items]);
  // Cuts go first to the preferred (projects that never spent): their cut is their whole budget.
  if (prefer) order.sort((a, b) => Number(prefer(b)) - Number(prefer(a)));
  let i = 0;
  for (const [plan, n] of Object.entries(quotas)) {
    for (let k = 0; k < n && i < order.length; k++, i++) out.set((order[i] as T).projectId, plan);
  }
  for (; i < order.length; i++) out.set((order[i] as T).projectId, 'approved');
  return out;
}

export interface TargetsBuild {
  targets: { target: StoredTarget; items: Record<string, unknown>[]; cut?: { reviewId: string; leaf: Project } }[];
  counts: Record<TargetStatus, number>;
}

/** Builds every target from the projects and departments read from the table. Pure. */
export function buildTargets(departments: Department[], projects: Project[], library: DemoLibrary, policy: Policy): TargetsBuild {
  const { year } = DEMO_TARGETS;
  const rng = new Rng(DEMO_TARGETS.seed);
  const byCode = new Map(library.indicators.map((i) => [i.code, i]));
  const children = new Map<string, Project[]>();
  for (const p of projects) if (p.parentId) children.set(p.parentId, [...(children.get(p.parentId) ?? []), p]);
  // Targets were set on the budgets as drawn up, before any cut: so a rerun writes the same items.
  const budgetOf = (p: Project) => (isLeaf(p) ? p.originalBudgetFen : (children.get(p.projectId) ?? []).reduce((s, c) => s + c.originalBudgetFen, 0));

  const level1 = projects.filter((p) => p.level === 1).sort((a, b) => a.projectId.localeCompare(b.projectId));
  const level2 = projects.filter((p) => p.level === 2).sort((a, b) => a.projectId.localeCompare(b.projectId));
  const l2Plans = assign(
    level2,
    { cutRejected: DEMO_TARGETS.level2.cutRejected, cutReturnedTwice: DEMO_TARGETS.level2.cutReturnedTwice, ...rest(DEMO_TARGETS.level2) },
    rng,
    (p) => p.spentFen === 0,
  );
  const l1Plans = assign(level1, DEMO_TARGETS.level1, rng);

  const counts: Record<TargetStatus, number> = { draft: 0, submitted: 0, returned: 0, approved: 0, rejected: 0 };
  const out: TargetsBuild['targets'] = [];

  const pickFor = (p: Project): TargetIndicatorInput[] => {
    const fundUse =
      library.fundUses.find((f) => f.domain === p.domain && f.kind === p.category && p.name.includes(f.category)) ??
      library.fundUses.find((f) => f.domain === p.domain && f.kind === p.category);
    const pool = (fundUse?.codes ?? library.general.get(p.category) ?? []).map((c) => byCode.get(c) as Indicator);
    const general = (library.general.get(p.category) ?? []).map((c) => byCode.get(c) as Indicator);
    const first = (list: Indicator[], f: (i: Indicator) => boolean) => list.find(f);
    const chosen = [
      first(pool, (i) => i.level1 === 'output' && i.level2 === 'quantity' && i.direction === '>='),
      first(pool, (i) => i.level1 === 'output' && i.level2 !== 'quantity'),
      first(pool, (i) => i.level1 === 'benefit'),
      first(pool, (i) => i.level1 === 'cost') ?? first(general, (i) => i.level1 === 'cost'),
      first(pool, (i) => i.level1 === 'satisfaction') ?? first(general, (i) => i.level1 === 'satisfaction'),
      // A general indicator every target carries: 资金使用合规率.
      first(general, (i) => i.name === '资金使用合规率'),
    ].filter((i): i is Indicator => i !== undefined);
    const unique = [...new Map(chosen.map((i) => [i.code, i])).values()];
    return unique.map((i, n) => {
      const input: TargetIndicatorInput = { code: i.code, targetValue: targetValue(i, rng) };
      return n === 0 ? withCost(input, budgetOf(p), rng) : input;
    });
  };

  const build = (
    base: Pick<StoredTarget, 'kind' | 'year' | 'deptId' | 'projectId' | 'level'>,
    category: string | undefined,
    goal: string,
    inputs: TargetIndicatorInput[],
    budgetFen: number,
    planName: string,
    subjectProject?: Project,
  ) => {
    const { indicators, problems } = resolveIndicators(year, inputs, byCode);
    const lint = lintTarget({ kind: base.kind, ...(category ? { category } : {}), goal, indicators, budgetFen }, policy.targetReview);
    if (problems.length > 0 || lintBlocks(lint)) {
      throw new Error(`demo target of ${base.projectId ?? base.deptId} does not lint clean: ${JSON.stringify([...problems, ...lint])}`);
    }
    const plan = PLANS[planName] as Plan;
    const officer = SEED_OFFICER(base.deptId);
    const reviewer = rng.pick(REVIEWERS);
    let t: StoredTarget = {
      ...base,
      goal,
      indicators,
      lint,
      taxonomy: taxonomyOf(year),
      budgetFen,
      status: 'draft',
      version: 1,
      returnCount: 0,
      createdAt: DEMO_TARGETS.savedAt,
      createdBy: officer,
      updatedAt: DEMO_TARGETS.savedAt,
      updatedBy: officer,
    };
    const items: Record<string, unknown>[] = [targetVersionItem(t, 'draft', officer, DEMO_TARGETS.savedAt)];
    let reviews = 0;
    let cut: { reviewId: string; leaf: Project } | undefined;
    for (const step of plan.path) {
      if (step === 'submit') {
        const at = t.version === 1 ? DEMO_TARGETS.submittedAt : DEMO_TARGETS.resubmittedAt;
        t = { ...t, status: 'submitted', submittedAt: at, submittedBy: officer, updatedAt: at, updatedBy: officer };
      } else if (step === 'revise') {
        t = { ...t, goal: `${goal}（修订）`, version: t.version + 1, updatedAt: DEMO_TARGETS.revisedAt, updatedBy: officer };
        items.push(targetVersionItem(t, t.status, officer, DEMO_TARGETS.revisedAt));
      } else {
        const decision = step as Decision;
        const at = reviews === 0 ? DEMO_TARGETS.firstReviewAt : DEMO_TARGETS.secondReviewAt;
        const grade: Grade = decision === 'approve' ? (rng.chance(0.6) ? '优' : '良') : decision === 'return' ? '中' : '差';
        const cuts = plan.cut && (decision === 'reject' || t.returnCount >= 1);
        const review: ReviewRecord = {
          reviewId: ulidAt(at, rng),
          version: t.version,
          decision,
          grade,
          comments: decision === 'approve' ? '' : decision === 'return' ? rng.pick(RETURN_REASONS) : rng.pick(REJECT_REASONS),
          failing: decision !== 'approve',
          returnCountBefore: t.returnCount,
          cuts,
          by: reviewer,
          at,
        };
        reviews++;
        t = {
          ...t,
          status: decision === 'approve' ? 'approved' : decision === 'return' ? 'returned' : 'rejected',
          returnCount: t.returnCount + (decision === 'return' ? 1 : 0),
          ...(decision === 'return' ? { returnedAtVersion: t.version } : {}),
          lastReview: review,
          updatedAt: at,
          updatedBy: reviewer,
        };
        items.push(targetReviewItem(t, review));
        if (cuts && subjectProject) cut = { reviewId: review.reviewId, leaf: subjectProject };
      }
    }
    counts[t.status] += 1;
    out.push({ target: t, items, ...(cut ? { cut } : {}) });
  };

  for (const d of departments) {
    const general = [...library.general.values()].flat().map((c) => byCode.get(c) as Indicator);
    const pick = (f: (i: Indicator) => boolean) => general.find(f) as Indicator;
    const inputs = [
      pick((i) => i.name === '年度计划任务完成数'),
      pick((i) => i.name === '任务按期完成率'),
      pick((i) => i.name === '社会公众知晓率'),
      pick((i) => i.name === '长效管理机制健全性'),
      pick((i) => i.name === '服务对象满意度'),
    ].map((i) => ({ code: i.code, targetValue: targetValue(i, rng) }));
    const leaves = projects.filter((p) => p.deptId === d.deptId && isLeaf(p));
    build(
      { kind: 'department', year, deptId: d.deptId },
      undefined,
      `${d.name}${year}年度部门整体绩效目标：全面完成年度重点工作任务，保障 ${leaves.length} 个项目按期实施，提升公共服务质量和群众满意度。`,
      inputs,
      leaves.reduce((s, p) => s + p.originalBudgetFen, 0),
      'approved',
    );
  }
  for (const p of [...level1, ...level2]) {
    const planName = (p.level === 1 ? l1Plans : l2Plans).get(p.projectId) as string;
    build(
      { kind: 'project', year, deptId: p.deptId, projectId: p.projectId, level: p.level },
      p.category,
      `${year}年完成“${p.name}”年度实施任务，资金使用规范高效，达到预期产出和效益。`,
      pickFor(p),
      budgetOf(p),
      planName,
      p,
    );
  }
  return { targets: out, counts };
}

function rest(q: (typeof DEMO_TARGETS)['level2']): Record<string, number> {
  const { cutRejected: _a, cutReturnedTwice: _b, ...others } = q;
  return others;
}

/**
 * Applies one seeded cut through the same path a review takes (targets/cut.ts → cutProject),
 * as of the review season: the clock reads the cut's day and the audit id is the entry's, so a
 * fresh seed writes the same items and a rerun finds the entry and changes nothing.
 */
async function applyCut(db: Db, t: StoredTarget, reviewId: string, leafId: string, policy: Policy): Promise<{ leaf: CutLeaf; deductionId?: string }> {
  const id = deductionId('TARGET_REVIEW_CUT', { kind: 'project', projectId: leafId }, DEMO_TARGETS.cutAsOf, reviewId);
  const deps = depsFor(db, { now: () => new Date(`${DEMO_TARGETS.cutAsOf}T06:00:00.000Z`) }, { next: () => `${id}~audit` });
  const cut = { reviewId, asOf: DEMO_TARGETS.cutAsOf, cutBp: policy.targetReview.cutBp };
  const run = cutRun(deps, t, cut, policy, t.lastReview?.by ?? 'seed');
  return cutLeaf(run, deps.repos, leafId, { cut, review: t.lastReview, targetVersion: t.version });
}

export const demoTargets: SeedGenerator = {
  name: 'targets',
  async run(ctx) {
    const { year } = DEMO_TARGETS;
    const { repos } = depsFor(ctx.db);
    const [departments, projects, policy] = await Promise.all([repos.departments.list(), repos.projects.allOfYear(year), yearPolicy(repos.policies, year)]);
    const built = buildTargets(departments, projects, buildLibrary(), policy);

    let cutFen = 0;
    let cuts = 0;
    for (const b of built.targets) {
      if (!b.cut) continue;
      const made = await applyCut(ctx.db, b.target, b.cut.reviewId, b.cut.leaf.projectId, policy);
      b.target.cut = {
        reviewId: b.cut.reviewId,
        state: 'done',
        asOf: DEMO_TARGETS.cutAsOf,
        cutBp: policy.targetReview.cutBp,
        deductionIds: made.deductionId ? [made.deductionId] : [],
        amountFen: made.leaf.amountFen,
        leaves: [made.leaf],
      };
      cuts++;
      cutFen += made.leaf.amountFen;
      ctx.log(`  cut ${b.cut.leaf.projectId}: ${made.leaf.amountFen} fen (${b.target.status})`);
    }
    await ctx.write(built.targets.flatMap((b) => [targetItem(b.target), ...b.items]));
    const published = built.targets.filter((b) => b.target.status === 'approved' && (b.target.kind === 'department' || b.target.level === 1));
    return {
      departmentTargets: built.targets.filter((b) => b.target.kind === 'department').length,
      level1: built.targets.filter((b) => b.target.level === 1).length,
      level2: built.targets.filter((b) => b.target.level === 2).length,
      ...built.counts,
      cuts,
      cutFen,
      published: published.length,
      departmentsPublished: published.filter((b) => b.target.kind === 'department').length,
    };
  },
};
