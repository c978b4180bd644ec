/**
 * The demo's spending funded by business income (单位事业收入等安排的支出, SPEC §3.11; Xiamen
 * 2020: 700 million yuan). The model puts money and its fund source on leaf projects, so the
 * demo marks existing level-2 projects of the 330 level-1 projects, not projects of their own:
 * in fourteen departments that run public institutions with income of their own (schools,
 * hospitals, the broadcaster, the library, the scenic area...), a seeded draw of their leaves
 * whose budgets total exactly 700,000,000.00 yuan has fund source `business-income`. Only the
 * label changes — budgets and spending stay the demo's — and the year's generator draws no
 * other business-income project, so the annual report's line is exactly 700 million yuan.
 * Pure and deterministic.
 */
import type { Department } from '../../shared/domain/department';
import type { Project } from '../../shared/domain/project';
import { Rng } from './prng';

export const BUSINESS_INCOME_DEMO = {
  totalFen: 70_000_000_000,
  departments: [
    '市委党校',
    '市教育局',
    '市文化和旅游局',
    '市卫生健康委员会',
    '市体育局',
    '市住房公积金管理中心',
    '鼓浪屿—万石山风景名胜区管理委员会',
    '市园林植物园',
    '市疾病预防控制中心',
    '市广播电视集团',
    '市图书馆',
    '市港口管理局',
    '市公路事业发展中心',
    '市环境卫生中心',
  ],
} as const;

/**
 * The leaves (ids) funded by business income: the departments' leaves in a seeded order, each
 * taken while the total stays within 700 million yuan, then one swap (a taken leaf for one left
 * out, larger by exactly the gap) closes the gap to the fen.
 */
export function businessIncomeLeaves(
  departments: Pick<Department, 'deptId' | 'name'>[],
  leaves: Pick<Project, 'projectId' | 'deptId' | 'budgetFen'>[],
  seed: string,
): Set<string> {
  const names = new Set<string>(BUSINESS_INCOME_DEMO.departments);
  const depts = new Set(departments.filter((d) => names.has(d.name)).map((d) => d.deptId));
  const order = new Rng(`${seed}:business-income`).shuffle(leaves.filter((p) => depts.has(p.deptId)));
  const taken: typeof order = [];
  const left: typeof order = [];
  let sum = 0;
  for (const p of order) {
    if (sum + p.budgetFen <= BUSINESS_INCOME_DEMO.totalFen) {
      taken.push(p);
      sum += p.budgetFen;
    } else left.push(p);
  }
  const gap = BUSINESS_INCOME_DEMO.totalFen - sum;
  if (gap > 0) {
    const byBudget = new Map(left.map((p) => [p.budgetFen, p]));
    const i = taken.findIndex((a) => byBudget.has(a.budgetFen + gap));
    if (i < 0) throw new Error(`no swap closes the business-income gap of ${gap} fen`);
    taken[i] = byBudget.get((taken[i] as (typeof taken)[number]).budgetFen + gap) as (typeof taken)[number];
  }
  return new Set(taken.map((p) => p.projectId));
}
