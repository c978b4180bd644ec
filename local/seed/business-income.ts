/**
 * The demo's spending funded by business income (单位事业收入等安排的支出, SPEC §3.11; Xiamen
 * 2020: 700 million yuan): fourteen departments' projects with fund source `business-income`,
 * 50,000,000.00 yuan each, spent in full in March (so no spending rule touches them), and one
 * payment each. The demo year's generator draws no other business-income project, so the
 * annual report's line is exactly 700,000,000.00 yuan. Pure data, written with the
 * application's own item builders; deterministic, so a second run changes nothing.
 */
import { requestHash } from '../../shared/app/ports';
import { projectItem } from '../../shared/aws/projects-repo';
import { type CreateProjectInput, newProject, type Project } from '../../shared/domain/project';
import { buildDemo, DEMO, expenditureItem, SEED_ACTOR } from './demo-2020';
import type { SeedGenerator } from './generator';

export const BUSINESS_INCOME_DEMO = { departments: 14, budgetFen: 5_000_000_000, totalFen: 70_000_000_000, paidOn: `${DEMO.year}-03-20` } as const;

export function businessIncomeProjects(departments: { deptId: string; name: string; domain?: string }[]): {
  projects: Project[];
  expenditures: Parameters<typeof expenditureItem>[0][];
} {
  const projects: Project[] = [];
  const expenditures: Parameters<typeof expenditureItem>[0][] = [];
  for (const d of departments.slice(0, BUSINESS_INCOME_DEMO.departments)) {
    const input: CreateProjectInput = {
      projectId: `${DEMO.year}-${d.deptId}-BI`,
      year: DEMO.year,
      deptId: d.deptId,
      level: 1,
      name: `${d.name}事业收入安排支出`,
      category: 'operations',
      domain: d.domain ?? '一般公共服务',
      fundSource: 'business-income',
      budgetFen: BUSINESS_INCOME_DEMO.budgetFen,
      deferrable: false,
      isNew: false,
    };
    const p = newProject(input, { at: `${DEMO.year}-01-06T01:30:00.000Z`, by: SEED_ACTOR, requestHash: requestHash(input) });
    const pay = { expenditureId: 'seed-001', date: BUSINESS_INCOME_DEMO.paidOn, amountFen: p.budgetFen, kind: 'payment' as const };
    p.spentFen = p.budgetFen;
    p.spentByDay = { [pay.date]: p.budgetFen };
    p.updatedAt = `${pay.date}T02:00:00.000Z`;
    projects.push(p);
    expenditures.push({ ...pay, projectId: p.projectId, createdAt: p.updatedAt, createdBy: SEED_ACTOR, requestHash: requestHash(pay) });
  }
  return { projects, expenditures };
}

export const businessIncomeSeed: SeedGenerator = {
  name: 'business-income',
  async run(ctx) {
    const { projects, expenditures } = businessIncomeProjects(buildDemo().departments);
    await ctx.write([...projects.map((p) => projectItem(p)), ...expenditures.map(expenditureItem)]);
    return { projects: projects.length, budgetFen: projects.reduce((s, p) => s + p.budgetFen, 0) };
  },
};
