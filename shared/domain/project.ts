/**
 * Projects and their money (SPEC §2). Money lives on leaf projects; a level-1 with children
 * shows their sums. Spending is kept per day so that "spent as of a date" is exact whatever
 * arrives later.
 */
import * as z from './zod';
import { isValidDate, type IsoDate } from './dates';
import { ConflictError } from './errors';
import { type Fen, progressBp } from './money';
import { type Category, categoryInput, type FundSource, fundSourceInput } from './vocabulary';

export { CATEGORIES, FUND_SOURCES } from './vocabulary';
export type { Category, FundSource } from './vocabulary';
export const PROJECT_STATUSES = ['active', 'suspended', 'cancelled'] as const;

export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const idSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dot, underscore and hyphen'));
export const yearSchema = z.number().check(z.int(), z.gte(2000), z.lte(2100));
export const fenSchema = z.number().check(z.int('must be a whole number of fen'), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));
export const dateSchema = z.string().check(z.refine(isValidDate, 'expected a date YYYY-MM-DD'));

export const createProjectSchema = z
  .strictObject({
    projectId: idSchema,
    year: yearSchema,
    deptId: idSchema,
    level: z.union([z.literal(1), z.literal(2)]),
    parentId: z.optional(idSchema),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    category: categoryInput(),
    domain: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    fundSource: fundSourceInput(),
    budgetFen: fenSchema,
    deferrable: z._default(z.boolean(), false),
    isNew: z._default(z.boolean(), false),
    continuesProjectId: z.optional(idSchema),
    goal: z.optional(z.string().check(z.maxLength(2000))),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (p.level === 2 && !p.parentId) ctx.addIssue({ code: 'custom', path: ['parentId'], message: 'a level-2 project needs its level-1 parentId' });
      if (p.level === 1 && p.parentId) ctx.addIssue({ code: 'custom', path: ['parentId'], message: 'a level-1 project has no parent' });
    }),
  );

export type CreateProjectInput = z.infer<typeof createProjectSchema>;

export const expenditureSchema = z.strictObject({
  expenditureId: idSchema,
  date: dateSchema,
  amountFen: fenSchema.check(z.refine((v) => v > 0, 'must be more than 0')),
  kind: z.enum(['payment', 'refund']),
  note: z.optional(z.string().check(z.maxLength(500))),
});
export type ExpenditureInput = z.infer<typeof expenditureSchema>;

/** The stored project (repository shape, without keys). */
export interface Project {
  projectId: string;
  year: number;
  deptId: string;
  level: 1 | 2;
  parentId?: string;
  name: string;
  category: Category;
  domain: string;
  fundSource: FundSource;
  budgetFen: Fen;
  originalBudgetFen: Fen;
  spentFen: Fen;
  /** Net spending per day (payments minus refunds), for "spent as of". */
  spentByDay: Record<IsoDate, Fen>;
  deferrable: boolean;
  isNew: boolean;
  continuesProjectId?: string;
  status: ProjectStatus;
  flags: string[];
  /** Number of level-2 children (level-1 only). */
  childCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  requestHash: string;
}

/** A project as it is on the day it is created: its budget is also its original budget. */
export function newProject(input: CreateProjectInput, meta: { at: string; by: string; requestHash: string }): Project {
  return {
    projectId: input.projectId,
    year: input.year,
    deptId: input.deptId,
    level: input.level,
    ...(input.parentId ? { parentId: input.parentId } : {}),
    name: input.name,
    category: input.category,
    domain: input.domain,
    fundSource: input.fundSource,
    budgetFen: input.budgetFen,
    originalBudgetFen: input.budgetFen,
    spentFen: 0,
    spentByDay: {},
    deferrable: input.deferrable,
    isNew: input.isNew,
    ...(input.continuesProjectId ? { continuesProjectId: input.continuesProjectId } : {}),
    status: 'active',
    flags: [],
    childCount: 0,
    version: 1,
    createdAt: meta.at,
    updatedAt: meta.at,
    createdBy: meta.by,
    requestHash: meta.requestHash,
  };
}

export function isLeaf(p: Pick<Project, 'level' | 'childCount'>): boolean {
  return p.level === 2 || p.childCount === 0;
}

/** Payments minus refunds dated on or before `asOf`. */
export function spentAsOf(spentByDay: Record<IsoDate, Fen>, asOf: IsoDate): Fen {
  let total = 0;
  for (const [day, fen] of Object.entries(spentByDay)) if (day <= asOf) total += fen;
  return total;
}

export interface ProjectView {
  projectId: string;
  year: number;
  deptId: string;
  level: 1 | 2;
  parentId?: string;
  name: string;
  category: Category;
  domain: string;
  fundSource: FundSource;
  budgetFen: Fen;
  originalBudgetFen: Fen;
  spentFen: Fen;
  progressBp: number;
  deferrable: boolean;
  isNew: boolean;
  continuesProjectId?: string;
  status: ProjectStatus;
  flags: string[];
  leaf: boolean;
  children?: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a caller sees; a level-1 with children shows the sums of its children. */
export function projectView(p: Project, children: Project[] = []): ProjectView {
  const leaf = isLeaf(p);
  const budgetFen = leaf ? p.budgetFen : children.reduce((s, c) => s + c.budgetFen, 0);
  const originalBudgetFen = leaf ? p.originalBudgetFen : children.reduce((s, c) => s + c.originalBudgetFen, 0);
  const spentFen = leaf ? p.spentFen : children.reduce((s, c) => s + c.spentFen, 0);
  const view: ProjectView = {
    projectId: p.projectId,
    year: p.year,
    deptId: p.deptId,
    level: p.level,
    name: p.name,
    category: p.category,
    domain: p.domain,
    fundSource: p.fundSource,
    budgetFen,
    originalBudgetFen,
    spentFen,
    progressBp: progressBp(spentFen, budgetFen),
    deferrable: p.deferrable,
    isNew: p.isNew,
    status: p.status,
    flags: p.flags,
    leaf,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
  if (p.parentId) view.parentId = p.parentId;
  if (p.continuesProjectId) view.continuesProjectId = p.continuesProjectId;
  if (!leaf) view.children = children.map((c) => c.projectId);
  return view;
}

/** Checks an expenditure against the project before it is written (the write re-checks). */
export function checkExpenditure(p: Project, e: ExpenditureInput): void {
  if (!isLeaf(p)) {
    throw new ConflictError('NOT_A_LEAF', 'Expenditures are booked on leaf projects; this level-1 project has children');
  }
  if (p.status === 'suspended')
    throw new ConflictError('PROJECT_SUSPENDED', 'The project is suspended: no expenditure is accepted until the performance office lifts it');
  if (p.status === 'cancelled') throw new ConflictError('PROJECT_CANCELLED', 'The project is cancelled');
  if (Number(e.date.slice(0, 4)) !== p.year) {
    throw new ConflictError('OUTSIDE_FISCAL_YEAR', `The date must fall within the project's fiscal year ${p.year}`);
  }
  if (e.kind === 'payment' && p.spentFen + e.amountFen > p.budgetFen) {
    throw new ConflictError('OVER_BUDGET', 'This payment would take spending above the budget', {
      budgetFen: p.budgetFen,
      spentFen: p.spentFen,
      availableFen: p.budgetFen - p.spentFen,
    });
  }
  if (e.kind === 'refund') {
    if (e.amountFen > p.spentFen) {
      throw new ConflictError('REFUND_EXCEEDS_SPENDING', 'A refund cannot exceed what has been spent', { spentFen: p.spentFen });
    }
    if (e.amountFen > spentAsOf(p.spentByDay, e.date)) {
      throw new ConflictError('REFUND_EXCEEDS_SPENDING', 'A refund cannot exceed what had been spent by its date', {
        spentAsOfFen: spentAsOf(p.spentByDay, e.date),
      });
    }
  }
}

/** A project as stored, with what the exemptions decision and the cap job leave on it. */
export type StoredProject = Project & { exemptRules?: string[]; nextYearCapFen?: number };
