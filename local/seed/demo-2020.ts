/**
 * The demo year at the Xiamen 2020 scale: 87 departments, 330 level-1 projects (every one with
 * children, so budget 0 of their own) and 1,700 level-2 projects, with a year of payments and a
 * few refunds. `buildDemo` is pure and deterministic; the generator writes its items with the
 * same builders the application uses.
 */
import { requestHash } from '../../shared/app/ports';
import type { Expenditure } from '../../shared/app/expenditures';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { keys } from '../../shared/aws/keys';
import { projectItem } from '../../shared/aws/projects-repo';
import type { Department } from '../../shared/domain/department';
import { isBelowBp } from '../../shared/domain/money';
import { DEFAULT_POLICY, type Policy } from '../../shared/domain/policy';
import { type Category, type CreateProjectInput, type ExpenditureInput, type FundSource, newProject, type Project } from '../../shared/domain/project';
import { businessIncomeLeaves } from './business-income';
import type { SeedGenerator } from './generator';
import { CATEGORY_SUFFIXES, DEPARTMENTS, LEVEL1_SUFFIXES, PLACES, parseSubject, SUBJECTS } from './names-zh';
import { apportion, Rng } from './prng';
import { planSpending, type Profile, type SpendingPlan } from './spending';

export const DEMO = {
  year: 2020,
  seed: 'jixiao-demo-2020',
  level1: 330,
  level2: 1700,
  /** Exact quotas of leaves, drawn by a seeded shuffle. */
  deferrable: 170,
  isNew: 255,
  refunds: 51,
  profiles: { zero: 17, lagBoth: 153, lagSeptember: 34, lagNovember: 85, slowStart: 68 } satisfies Partial<Record<Profile, number>>,
} as const;

/** Who the seeded records say created them. */
export const SEED_ACTOR = 'seed:demo';

const CATEGORY_WEIGHTS: Record<Category, number> = { infrastructure: 18, it: 12, equipment: 12, policy: 20, operations: 30, other: 8 };
// No draw lands on business income: the demo's business-income spending is exactly the
// 700 million yuan that local/seed/business-income.ts marks on leaves of fourteen departments
// (the same draws as before, relabelled `other`).
const FUND_WEIGHTS: Record<FundSource, number> = { general: 76, 'central-transfer': 10, 'fund-budget': 8, 'business-income': 0, other: 6 };
const MIN_BUDGET_YUAN = 50_000;
const MAX_BUDGET_YUAN = 50_000_000;

export interface DemoData {
  departments: Department[];
  projects: Project[];
  expenditures: Expenditure[];
  profiles: Map<string, Profile>;
  plans: Map<string, SpendingPlan>;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function budgetFen(rng: Rng, category: Category): number {
  // Log-scale between the bounds, skewed to the small end; construction runs larger.
  const skew = category === 'infrastructure' ? 0.8 : 1.35;
  const ln = Math.log(MIN_BUDGET_YUAN) + rng.next() ** skew * Math.log(MAX_BUDGET_YUAN / MIN_BUDGET_YUAN);
  const yuan = Math.exp(ln);
  // Budgets are set in thousands of yuan, or ten thousands (万元) once above a million.
  const unit = yuan >= 1_000_000 ? 10_000 : 1_000;
  return Math.max(MIN_BUDGET_YUAN, Math.round(yuan / unit) * unit) * 100;
}

function unique(name: string, used: Set<string>): string {
  let out = name;
  for (let n = 2; used.has(out); n++) out = `${name}（${['', '', '二', '三', '四', '五', '六', '七', '八', '九'][n] ?? n}期）`;
  used.add(out);
  return out;
}

export function buildDemo(policy: Policy = DEFAULT_POLICY): DemoData {
  const { year, seed } = DEMO;
  const createdAt = `${year}-01-06T01:30:00.000Z`;

  // Departments.
  const deptRng = new Rng(`${seed}:departments`);
  const departments: Department[] = DEPARTMENTS.map((s, i) => {
    const deptId = `D${pad(i + 1, 3)}`;
    const contactEmails = [`${s.mail}@xm.gov.cn`];
    if (deptRng.chance(0.35)) contactEmails.push(`${s.mail}.cwc@xm.gov.cn`);
    return {
      deptId,
      name: s.name,
      contactEmails,
      domain: s.domain,
      version: 1,
      createdAt: `${year}-01-02T01:00:00.000Z`,
      updatedAt: `${year}-01-02T01:00:00.000Z`,
    };
  });

  // How many level-1 projects each department has, and level-2 projects each level-1 has.
  const shapeRng = new Rng(`${seed}:shape`);
  const l1Counts = apportion(
    DEMO.level1 - departments.length,
    DEPARTMENTS.map((s) => s.weight * (0.7 + 0.6 * shapeRng.next())),
  ).map((n) => n + 1);
  const childWeights = Array.from({ length: DEMO.level1 }, () => 0.05 + 2.5 * shapeRng.next() ** 2);
  const childCounts = apportion(DEMO.level2 - DEMO.level1, childWeights).map((n) => n + 1);

  // Projects.
  const nameRng = new Rng(`${seed}:projects`);
  const level1: Project[] = [];
  const level2: Project[] = [];
  let l1Index = 0;
  departments.forEach((dept, di) => {
    const domain = (DEPARTMENTS[di] as (typeof DEPARTMENTS)[number]).domain;
    const subjects = SUBJECTS[domain].map(parseSubject);
    const usedNames = new Set<string>();
    for (let k = 1; k <= (l1Counts[di] as number); k++, l1Index++) {
      const projectId = `${year}-${dept.deptId}-${pad(k, 2)}`;
      const theme = subjects[(k - 1 + nameRng.int(0, subjects.length - 1)) % subjects.length] as (typeof subjects)[number];
      const children: Project[] = [];
      const childNames = new Set<string>();
      for (let c = 1; c <= (childCounts[l1Index] as number); c++) {
        const about = nameRng.chance(0.7) ? theme : nameRng.pick(subjects);
        // The category follows the overall mix, among those that fit the subject.
        const allowed = Object.fromEntries(about.categories.map((cat) => [cat, CATEGORY_WEIGHTS[cat]])) as Record<Category, number>;
        const category = nameRng.weighted(allowed);
        const place = nameRng.chance(0.4) ? nameRng.pick(PLACES) : '';
        const name = unique(`${place}${about.subject}${nameRng.pick(CATEGORY_SUFFIXES[category])}`, childNames);
        const fen = budgetFen(nameRng, category);
        children.push(
          seedProject(
            {
              projectId: `${projectId}-${pad(c, 2)}`,
              year,
              deptId: dept.deptId,
              level: 2,
              parentId: projectId,
              name,
              category,
              domain,
              fundSource: nameRng.weighted(FUND_WEIGHTS),
              budgetFen: fen,
              deferrable: false,
              isNew: false,
            },
            createdAt,
          ),
        );
      }
      const tally = new Map<Category, number>();
      for (const c of children) tally.set(c.category, (tally.get(c.category) ?? 0) + 1);
      const category = [...tally.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other';
      const parent = seedProject(
        {
          projectId,
          year,
          deptId: dept.deptId,
          level: 1,
          name: unique(`${theme.subject}${nameRng.pick(LEVEL1_SUFFIXES)}`, usedNames),
          category,
          domain,
          fundSource: 'general',
          budgetFen: 0,
          deferrable: false,
          isNew: false,
        },
        createdAt,
      );
      parent.childCount = children.length;
      level1.push(parent);
      level2.push(...children);
    }
  });

  // Quotas over the leaves: deferrable, new, refunds and spending profiles.
  const quotaRng = new Rng(`${seed}:quotas`);
  const take = (n: number) => new Set(quotaRng.shuffle(level2.map((p) => p.projectId)).slice(0, n));
  const deferrable = take(DEMO.deferrable);
  const isNew = take(DEMO.isNew);
  const refunds = take(DEMO.refunds);
  const profiles = new Map<string, Profile>();
  const order = quotaRng.shuffle(level2.map((p) => p.projectId));
  let at = 0;
  for (const [profile, n] of Object.entries(DEMO.profiles) as [Profile, number][]) {
    for (const id of order.slice(at, at + n)) profiles.set(id, profile);
    at += n;
  }
  for (const id of order.slice(at)) profiles.set(id, 'onTrack');

  // 700 million yuan of their budgets funded by business income (labels only).
  for (const id of businessIncomeLeaves(departments, level2, seed)) (level2.find((p) => p.projectId === id) as Project).fundSource = 'business-income';

  // A year of spending on every leaf.
  const expenditures: Expenditure[] = [];
  const plans = new Map<string, SpendingPlan>();
  for (const p of level2) {
    p.deferrable = deferrable.has(p.projectId);
    p.isNew = isNew.has(p.projectId);
    p.requestHash = requestHash(createInput(p));
    const plan = planSpending(new Rng(`${seed}:spend:${p.projectId}`), p, profiles.get(p.projectId) as Profile, year, policy, refunds.has(p.projectId));
    plans.set(p.projectId, plan);
    plan.payments.forEach((pay, i) => {
      const input: ExpenditureInput = {
        expenditureId: `seed-${pad(i + 1, 3)}`,
        date: pay.date,
        amountFen: pay.amountFen,
        kind: pay.kind,
        ...(pay.note ? { note: pay.note } : {}),
      };
      const signed = pay.kind === 'payment' ? pay.amountFen : -pay.amountFen;
      p.spentFen += signed;
      p.spentByDay[pay.date] = (p.spentByDay[pay.date] ?? 0) + signed;
      const at = `${pay.date}T02:${pad(i % 60, 2)}:00.000Z`;
      expenditures.push({ ...input, projectId: p.projectId, createdAt: at, createdBy: SEED_ACTOR, requestHash: requestHash(input) });
      p.updatedAt = at;
    });
  }
  for (const p of level1) p.requestHash = requestHash(createInput(p));

  return { departments, projects: [...level1, ...level2], expenditures, profiles, plans };
}

function seedProject(input: CreateProjectInput, createdAt: string): Project {
  return newProject(input, { at: createdAt, by: SEED_ACTOR, requestHash: '' });
}

/** The POST /v1/projects body that would have made this project: a replay of it answers 200. */
function createInput(p: Project): CreateProjectInput {
  return {
    projectId: p.projectId,
    year: p.year,
    deptId: p.deptId,
    level: p.level,
    ...(p.parentId ? { parentId: p.parentId } : {}),
    name: p.name,
    category: p.category,
    domain: p.domain,
    fundSource: p.fundSource,
    budgetFen: p.budgetFen,
    deferrable: p.deferrable,
    isNew: p.isNew,
  };
}

export function expenditureItem(e: Expenditure): Record<string, unknown> {
  return { ...keys.expenditure(e.projectId, e.expenditureId), entity: 'Expenditure', v: 1, ...e };
}

/** What the demo year looks like against the policy's checkpoints (figures for docs/local.md). */
export function demoStats(data: DemoData, policy: Policy = DEFAULT_POLICY) {
  const leaves = data.projects.filter((p) => p.level === 2);
  const at = (id: string, monthDay: string) => data.plans.get(id)?.atPeriodEnd.find((e) => e.date.endsWith(monthDay));
  const below = (monthDay: string, bp: number) =>
    leaves.filter((p) => {
      const s = at(p.projectId, monthDay);
      return s !== undefined && isBelowBp(s.spentFen, s.budgetFen, bp);
    }).length;
  const events = [...data.plans.values()].flatMap((p) => p.events);
  const byRuleDate: Record<string, { projects: number; fen: number }> = {};
  for (const e of events) {
    const key = `${e.rule}@${e.date.slice(5)}`;
    const slot = (byRuleDate[key] ??= { projects: 0, fen: 0 });
    slot.projects += 1;
    slot.fen += e.amountFen;
  }
  const checkpoints = policy.monitoring.checkpoints.map((c) => ({
    date: c.date,
    benchmarkBp: c.benchmarkBp,
    belowBenchmark: below(c.date, c.benchmarkBp),
    moreThanRedGapBelow: below(c.date, c.benchmarkBp - policy.monitoring.redGapBp),
  }));
  return {
    leaves: leaves.length,
    budgetFen: leaves.reduce((s, p) => s + p.budgetFen, 0),
    spentFen: leaves.reduce((s, p) => s + p.spentFen, 0),
    deferrable: leaves.filter((p) => p.deferrable).length,
    isNew: leaves.filter((p) => p.isNew).length,
    refunds: data.expenditures.filter((e) => e.kind === 'refund').length,
    zeroSpending: leaves.filter((p) => p.spentFen === 0).length,
    checkpoints,
    belowReclaimThreshold: below(policy.progressReclaim.date, policy.progressReclaim.thresholdBp),
    belowCapThreshold: below(policy.progressCap.date, policy.progressCap.thresholdBp),
    modelledDeductions: byRuleDate,
  };
}

export const demo2020: SeedGenerator = {
  name: 'demo-2020',
  async run(ctx) {
    const data = buildDemo();
    const departments = departmentsRepo(ctx.db);
    await ctx.write([
      ...data.departments.map((d) => departments.item(d)),
      ...data.projects.map((p) => projectItem(p)),
      ...data.expenditures.map(expenditureItem),
    ]);
    return {
      departments: data.departments.length,
      level1: data.projects.filter((p) => p.level === 1).length,
      level2: data.projects.filter((p) => p.level === 2).length,
      expenditures: data.expenditures.length,
    };
  },
};
