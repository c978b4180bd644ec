/**
 * The front of the 2020 cycle (SPEC §3.1–§3.3), made through the same use cases as the API
 * (not bulk-written), after the demo's other generators:
 *
 * 1. Clean-up (清理). The 2020 budget requests the clean-up cancelled are added as their own
 *    projects — they never received spending, so the demo's 1,700 funded leaves and their year
 *    stay as they were: 60 departments each with a level-1 of 3 small projects of one domain and
 *    category (small + scattered), and 80 projects filed again under another name with the goal
 *    of a funded project (near-duplicates, merged into it). The cleanup-scan job lists them (with
 *    the demo's own small projects), then the performance office cancels 60 level-1s (each with
 *    its 3 leaves) and 80 duplicates: 260 leaf projects and exactly 190,000,000,000 fen
 *    (1.9 billion yuan) in CLEANUP_CUT entries — Xiamen's 2020 figures.
 * 2. Ex-ante assessments of the new projects: every new major one (≥ 5,000,000 yuan) with all
 *    three outcomes (a reject only where the target is not approved), and most of the others of
 *    the ranked categories; a few are left unassessed.
 * 3. Each department's ranking of its new projects, and one funding round per domain that has
 *    new infrastructure/IT/equipment projects, with a cap of about 70% of what they ask.
 */
import { depsFor } from '../../functions/compose';
import type { AppDeps } from '../../shared/app/context';
import { cancelProject } from '../../shared/app/cleanup/cancel';
import { cleanupTotals } from '../../shared/app/cleanup/reads';
import { saveAssessment } from '../../shared/app/ex-ante/save';
import { runJob } from '../../shared/app/jobs/runner';
import { ulidIds } from '../../shared/app/ports';
import { putDepartmentRanking } from '../../shared/app/ranking/department';
import { runFundingRound } from '../../shared/app/ranking/rounds';
import type { StoredTarget } from '../../shared/domain/targets';
import { targetItem } from '../../shared/aws/targets-repo';
import { batchGetAll, getItem, stripKeys } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { projectItem, projectsRepo } from '../../shared/aws/projects-repo';
import type { Principal } from '../../shared/domain/access';
import { forEachLimit } from '../../shared/domain/concurrency';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { isLeaf, newProject, type Category, type Project } from '../../shared/domain/project';
import { RANKED_CATEGORIES } from '../../shared/domain/rules/ranking';
import { DEMO } from './demo-2020';
import type { SeedContext, SeedGenerator } from './index';
import { CATEGORY_SUFFIXES, DEPARTMENTS, PLACES, parseSubject, SUBJECTS } from './names-zh';
import { apportion, Rng } from './prng';

export const FRONT_DEMO = {
  year: DEMO.year,
  seed: 'jixiao-demo-front',
  scatteredDepartments: 60,
  duplicates: 80,
  /** What the cancellations total (Xiamen 2020: 260 projects, 1.9 billion yuan). */
  cutFen: 190_000_000_000,
  scanAsOf: '2020-01-06',
  at: {
    scan: '2020-01-06T02:00:00Z',
    cancel: '2020-01-08T02:00:00Z',
    exAnte: '2020-01-10T02:00:00Z',
    rank: '2020-01-13T02:00:00Z',
    round: '2020-01-15T02:00:00Z',
  },
  roundCapBp: 7000,
} as const;

const PERFORMANCE: Principal = { sub: 'seed:jixiao-chu', roles: ['performance'] };
const officer = (deptId: string): Principal => ({ sub: `seed:officer-${deptId}`, roles: ['department'], deptId });
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const WAN = 1_000_000; // 万元 in fen

interface Plan {
  projects: Project[];
  targets: StoredTarget[];
  levelOnes: string[];
  duplicates: { projectId: string; mergedInto: string; name: string }[];
}

/** The cancelled requests: scattered small projects under level-1s, and duplicates of funded projects. */
async function planCleanup(ctx: SeedContext, funded: Project[]): Promise<Plan> {
  const { year, seed } = FRONT_DEMO;
  const rng = new Rng(`${seed}:cleanup`);
  const createdAt = `${year}-01-02T01:30:00.000Z`;
  const make = (p: Omit<Parameters<typeof newProject>[0], 'deferrable' | 'isNew' | 'fundSource' | 'year'>) =>
    newProject({ ...p, year, fundSource: 'general', deferrable: false, isNew: true }, { at: createdAt, by: 'seed:demo', requestHash: 'seed:front' });
  const plan: Plan = { projects: [], targets: [], levelOnes: [], duplicates: [] };
  const depts = rng.shuffle(DEPARTMENTS.map((d, i) => ({ ...d, deptId: `D${pad(i + 1, 3)}` }))).slice(0, FRONT_DEMO.scatteredDepartments);
  let smallFen = 0;
  for (const d of depts) {
    const about = parseSubject(rng.pick(SUBJECTS[d.domain]));
    const category = rng.pick(about.categories) as Category;
    const l1 = make({
      projectId: `${year}-${d.deptId}-Q1`,
      deptId: d.deptId,
      level: 1,
      name: `${about.subject}零星项目`,
      category,
      domain: d.domain,
      budgetFen: 0,
    });
    l1.childCount = 3;
    plan.projects.push(l1);
    plan.levelOnes.push(l1.projectId);
    for (let c = 1; c <= 3; c++) {
      const budgetFen = rng.int(10, 49) * WAN;
      smallFen += budgetFen;
      const name = `${rng.pick(PLACES)}${about.subject}${rng.pick(CATEGORY_SUFFIXES[category])}（零星）`;
      plan.projects.push(
        make({ projectId: `${l1.projectId}-${pad(c, 2)}`, deptId: d.deptId, level: 2, parentId: l1.projectId, name, category, domain: d.domain, budgetFen }),
      );
    }
  }
  // Duplicates: childless level-1s (leaves), filed with the goal of a funded project of the same department.
  const originals = rng.shuffle(funded.filter((p) => p.budgetFen > 0 && p.status === 'active')).slice(0, FRONT_DEMO.duplicates);
  const weights = originals.map(() => 0.3 + rng.next());
  const units = FRONT_DEMO.cutFen / WAN - smallFen / WAN;
  const shares = apportion(units - originals.length * 500, weights).map((u) => (u + 500) * WAN);
  for (const [i, o] of originals.entries()) {
    const projectId = `${year}-${o.deptId}-R${pad(i + 1, 2)}`;
    const p = make({
      projectId,
      deptId: o.deptId,
      level: 1,
      name: `${o.name}（重复申报）`,
      category: o.category,
      domain: o.domain,
      budgetFen: shares[i] as number,
    });
    plan.projects.push(p);
    plan.duplicates.push({ projectId, mergedInto: o.projectId, name: o.name });
    const t = await getItem(ctx.db, keys.projectTarget(o.projectId));
    if (t) {
      const orig = stripKeys<StoredTarget>(t);
      const { lastReview: _r, cut: _c, submittedAt: _s, submittedBy: _b, returnedAtVersion: _v, ...rest } = orig;
      plan.targets.push({ ...rest, projectId, level: 1, status: 'draft', version: 1, returnCount: 0, budgetFen: p.budgetFen, createdAt, updatedAt: createdAt });
    }
  }
  return plan;
}

type Outcome = 'support' | 'adjust' | 'reject';
function scoresFor(rng: Rng, outcome: Outcome) {
  const [lo, hi] = outcome === 'support' ? [80, 97] : outcome === 'adjust' ? [62, 79] : [35, 57];
  const s = () => rng.int(lo, hi);
  // Exact weights of 100: the average decides; nudge it into the band.
  for (;;) {
    const scores = { standard: s(), inputOutput: s(), goals: s(), affordability: s(), sustainability: s() };
    const bp = scores.standard * 20 + scores.inputOutput * 25 + scores.goals * 20 + scores.affordability * 20 + scores.sustainability * 15;
    if (outcome === 'support' ? bp >= 8000 : outcome === 'adjust' ? bp >= 6000 && bp < 8000 : bp < 6000) return scores;
  }
}

const ADJUSTMENTS = [
  '压减设备购置预算15%，分年度实施',
  '细化绩效目标，补充成本指标后实施',
  '缩小建设规模，优先保障主体工程',
  '调整资金来源结构，压减一般公共预算安排',
];

/**
 * The funding rounds' deps: each round reads the year's projects and rankings, which no round
 * changes (a round writes only itself and its audit), so they are read once for all of them.
 */
function roundsDeps(base: AppDeps): AppDeps {
  const { projects, rankings } = base.repos.ranking;
  const years = new Map<number, ReturnType<typeof projects.ofYear>>();
  const ranked = new Map<number, ReturnType<typeof rankings.ofYear>>();
  const ranking = {
    ...base.repos.ranking,
    projects: { ...projects, ofYear: (year: number) => years.get(year) ?? (years.set(year, projects.ofYear(year)), years.get(year)!) },
    rankings: { ...rankings, ofYear: (year: number) => ranked.get(year) ?? (ranked.set(year, rankings.ofYear(year)), ranked.get(year)!) },
  };
  return { ...base, repos: { ...base.repos, ranking } };
}

export const frontSeed: SeedGenerator = {
  name: 'front',
  async run(ctx) {
    const { year } = FRONT_DEMO;
    const at = (instant: string) => depsFor(ctx.db, { now: () => new Date(instant) }, ulidIds);
    const all = await projectsRepo(ctx.db).ofYear(year);
    const demoLeaves = all.filter((p) => isLeaf(p));

    // 1. Clean-up: the requests, the scan, the cancellations.
    const plan = await planCleanup(
      ctx,
      demoLeaves.filter((p) => !p.isNew),
    );
    await ctx.write([...plan.projects.map(projectItem), ...plan.targets.map(targetItem)]);
    const scan = await runJob(at(FRONT_DEMO.at.scan), { job: 'cleanup-scan', asOf: FRONT_DEMO.scanAsOf, runId: `seed-cleanup-${year}`, actor: PERFORMANCE });
    const cancelDeps = at(FRONT_DEMO.at.cancel);
    for (const id of plan.levelOnes) await cancelProject(cancelDeps, PERFORMANCE, id, { reason: '零散小额项目，整合后统筹安排' });
    for (const d of plan.duplicates) await cancelProject(cancelDeps, PERFORMANCE, d.projectId, { reason: `与“${d.name}”重复申报`, mergedInto: d.mergedInto });
    const totals = await cleanupTotals(cancelDeps, year);

    // 2. Ex-ante assessments of the new (demo) projects.
    const rng = new Rng(`${FRONT_DEMO.seed}:exante`);
    const minFen = DEFAULT_POLICY.exAnte.minBudgetFen;
    const fresh = demoLeaves.filter((p) => p.isNew && p.status === 'active').sort((a, b) => (a.projectId < b.projectId ? -1 : 1));
    const major = fresh.filter((p) => p.budgetFen >= minFen);
    const approved = new Set(
      (
        await batchGetAll(
          ctx.db,
          major.map((p) => keys.projectTarget(p.projectId)),
        )
      )
        .filter((t) => t.status === 'approved')
        .map((t) => t.projectId as string),
    );
    // The draws in the projects' order, then the assessments (each of its own project) eight at a time.
    let rejectedMajor = 0;
    const assessments: { p: Project; body: Parameters<typeof saveAssessment>[3] }[] = [];
    for (const p of fresh) {
      const isMajor = p.budgetFen >= minFen;
      if (!isMajor && (!RANKED_CATEGORIES.includes(p.category) || rng.chance(0.2))) continue;
      let outcome: Outcome = rng.chance(0.55) ? 'support' : 'adjust';
      if (!approved.has(p.projectId) && (isMajor ? rejectedMajor < 3 : rng.chance(0.3))) outcome = 'reject';
      if (isMajor && outcome === 'reject') rejectedMajor++;
      const remit = !(outcome === 'reject' && rng.chance(0.5));
      const scores = remit ? scoresFor(rng, outcome) : scoresFor(rng, 'support');
      const comments =
        outcome === 'adjust' ? rng.pick(ADJUSTMENTS) : outcome === 'reject' ? (remit ? '绩效目标不明确，投入产出比偏低' : '不属于政府保障范围') : '';
      assessments.push({ p, body: { remit, scores, comments } });
    }
    const outcomes: Record<Outcome, number> = { support: 0, adjust: 0, reject: 0 };
    const exDeps = at(FRONT_DEMO.at.exAnte);
    await forEachLimit(assessments, 8, async ({ p, body }) => {
      const saved = await saveAssessment(exDeps, PERFORMANCE, p.projectId, body);
      outcomes[saved.body.outcome]++;
    });

    // 3. Department rankings (each its own department's, eight at a time), then a funding round per ranked domain.
    const rankDeps = at(FRONT_DEMO.at.rank);
    const byDept = new Map<string, Project[]>();
    for (const p of fresh) byDept.set(p.deptId, [...(byDept.get(p.deptId) ?? []), p]);
    const rankRng = new Rng(`${FRONT_DEMO.seed}:rank`);
    const rankings = [...byDept]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([deptId, list]) => ({ deptId, order: rankRng.shuffle(list.map((p) => p.projectId)) }));
    await forEachLimit(rankings, 8, async ({ deptId, order }) => void (await putDepartmentRanking(rankDeps, officer(deptId), deptId, year, order)));
    const roundDeps = roundsDeps(at(FRONT_DEMO.at.round));
    const domains = new Map<string, number>();
    for (const p of fresh) if (RANKED_CATEGORIES.includes(p.category)) domains.set(p.domain, (domains.get(p.domain) ?? 0) + p.budgetFen);
    const rounds: Record<string, { capFen: number; funded: number; unfunded: number; fundedFen: number }> = {};
    for (const [domain, askedFen] of [...domains].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const capFen = Math.floor((askedFen * FRONT_DEMO.roundCapBp) / 10000 / WAN) * WAN;
      const r = await runFundingRound(roundDeps, PERFORMANCE, year, domain, capFen);
      rounds[domain] = { capFen, funded: r.funded.length, unfunded: r.unfunded.length, fundedFen: r.fundedFen };
    }
    return {
      scan: scan.summary,
      cancelled: { levelOnes: plan.levelOnes.length, duplicates: plan.duplicates.length, projects: totals.projects, cutFen: totals.cutFen },
      assessments: outcomes,
      majorProjects: major.length,
      rankings: byDept.size,
      rounds,
    };
  },
};
