/**
 * GET /v1/reports/{year}/annual (SPEC §3.11): the year's figures, each read through the
 * repositories and the other areas' read use cases (never typed in), assembled by the pure
 * shared/domain/report/annual.ts; POST …/publish makes it public (GET /v1/public/{year}/annual).
 */
import type { Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { Deduction } from '../../domain/ledger';
import { libraryStats } from '../../domain/indicators';
import { isLeaf } from '../../domain/project';
import { annualReport, type AnnualReport, type ReportInputs } from '../../domain/report/annual';
import type { StoredTarget } from '../../domain/targets';
import { cleanupTotals } from '../cleanup/reads';
import type { AppDeps } from '../context';
import { evaluationSummary } from '../evaluations/reads';
import { yearPolicy } from '../policies';
import { getPool } from '../pool/reads';

/** Every page of a paged read. */
export async function allPages<T>(page: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    out.push(...p.items);
    token = p.nextToken;
  } while (token);
  return out;
}

export function ledgerOfYear(deps: AppDeps, year: number): Promise<Deduction[]> {
  return allPages((nextToken) => deps.repos.ledger.page({ year, limit: 1000, ...(nextToken ? { nextToken } : {}) }));
}

function targetsOfYear(deps: AppDeps, year: number): Promise<StoredTarget[]> {
  return allPages((nextToken) => deps.repos.targets.queue({ year, limit: 1000, ...(nextToken ? { nextToken } : {}) }));
}

async function snapshotsOf(deps: AppDeps, year: number) {
  const policy = await yearPolicy(deps.repos.policies, year);
  const headers = await Promise.all(policy.monitoring.checkpoints.map((c) => deps.repos.monitoring.header(year, c.date)));
  return headers.flatMap((h) =>
    h ? [{ checkpoint: h.checkpoint, asOf: h.asOf, projects: h.projects, red: h.red, yellow: h.yellow, green: h.green, suspended: h.suspended }] : [],
  );
}

async function projectFigures(deps: AppDeps, year: number) {
  const all = await deps.repos.projects.allOfYear(year);
  const leaves = all.filter((p) => isLeaf(p) && p.status !== 'cancelled');
  const bi = leaves.filter((p) => p.fundSource === 'business-income');
  return {
    cancelled: new Set(all.filter((p) => p.status === 'cancelled').map((p) => p.projectId)),
    leaves: leaves.length,
    businessIncome: {
      projects: bi.length,
      budgetFen: bi.reduce((s, p) => s + p.originalBudgetFen, 0),
      currentBudgetFen: bi.reduce((s, p) => s + p.budgetFen, 0),
      spentFen: bi.reduce((s, p) => s + p.spentFen, 0),
    },
  };
}

export async function reportInputs(deps: AppDeps, year: number): Promise<ReportInputs> {
  const r = deps.repos;
  const [departments, cleanup, library, targets, publishedDepartments, snapshots, ledger, pool, projects, selfEvals, sePublished, ke] = await Promise.all([
    r.departments.count(),
    cleanupTotals(deps, year),
    // The library's stats straight from its repository: shared/app/indicators.ts brings the library's file code along.
    r.indicators.meta(),
    targetsOfYear(deps, year),
    r.targets.publishedDepartments(year),
    snapshotsOf(deps, year),
    ledgerOfYear(deps, year),
    getPool(deps, year),
    projectFigures(deps, year),
    r.selfEvaluations.list(year),
    r.selfEvaluations.publishedDepartments(year),
    evaluationSummary(deps, year),
  ]);
  return {
    year,
    generatedAt: deps.clock.now().toISOString(),
    departments,
    cleanup,
    library: library?.stats ?? libraryStats([]),
    // The targets of the year's budget: a request the clean-up cancelled is counted there, not here.
    targets: targets.filter((t) => t.kind !== 'project' || !projects.cancelled.has(t.projectId as string)),
    publishedDepartments,
    snapshots,
    ledger,
    pool,
    businessIncome: projects.businessIncome,
    selfEvaluations: {
      leaves: projects.leaves,
      items: selfEvals.map((e) => ({ status: e.status, grade: e.grade, deptId: e.deptId })),
      publishedDepartments: sePublished.length,
    },
    keyEvaluations: {
      count: ke.count,
      fundsFen: ke.fundsFen,
      lastYearFundsFen: ke.lastYear.fundsFen,
      growthBp: ke.growthBp,
      panelMembers: ke.panelMembers,
      suggestions: ke.suggestions,
      rectified: ke.rectified ?? 0,
      byStatus: ke.suggestionsByStatus,
    },
  };
}

export async function getAnnualReport(deps: AppDeps, year: number): Promise<AnnualReport & { published: boolean; publishedAt?: string }> {
  const [inputs, publication] = await Promise.all([reportInputs(deps, year), deps.repos.reports.publication(year)]);
  return { ...annualReport(inputs), published: publication !== undefined, ...(publication ? { publishedAt: publication.publishedAt } : {}) };
}

/** The public version: only once the performance office has published the year. */
export async function publicAnnualReport(deps: AppDeps, year: number) {
  if (!(await deps.repos.reports.publication(year))) throw new NotFoundError(`The ${year} annual report has not been published`, 'NOT_PUBLISHED');
  return getAnnualReport(deps, year);
}

export async function publishAnnualReport(deps: AppDeps, actor: Principal, year: number) {
  const at = deps.clock.now().toISOString();
  const outcome = await deps.repos.reports.publish(
    { year, publishedAt: at, publishedBy: actor.sub },
    {
      auditId: deps.ids.next(),
      entityType: 'AnnualReport',
      entityId: String(year),
      action: 'report.published',
      actor: actor.sub,
      at,
      before: null,
      after: { year, published: true },
    },
  );
  const publication = await deps.repos.reports.publication(year);
  return { status: outcome === 'ok' ? 201 : 200, body: { year, published: true, publishedAt: publication?.publishedAt ?? at } };
}
