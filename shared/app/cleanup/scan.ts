/**
 * The `cleanup-scan` job (SPEC §3.3, §5: on demand): for the year of its as-of date (any date
 * of the year), the leaf projects not cancelled and their targets' goals are read with two
 * queries (never a Scan), the candidates of rules/cleanup.ts are computed in memory (the
 * near-duplicate join is an exact prefix filter over an inverted index of bigrams) and stored
 * as one scan; the year's pointer is moved to it last. Every scan is kept; the latest stands.
 */
import { isLeaf } from '../../domain/project';
import type { CleanupScanHeader, StoredCandidate } from '../../domain/front';
import { CANDIDATE_KINDS, cleanupCandidates, type CandidateKind, type ScanProject } from '../../domain/rules/cleanup';
import type { JobContext, JobDefinition, JobSummary } from '../jobs/types';

export async function runCleanupScan(ctx: JobContext): Promise<JobSummary> {
  const { repos } = ctx.deps;
  const started = Date.now();
  const [projects, goals] = await Promise.all([repos.cleanup.projects.ofYear(ctx.year), repos.cleanup.goals.goalsOfYear(ctx.year)]);
  const leaves: ScanProject[] = projects
    .filter((p) => isLeaf(p) && p.status !== 'cancelled')
    .map((p) => ({
      projectId: p.projectId,
      deptId: p.deptId,
      domain: p.domain,
      category: p.category,
      budgetFen: p.budgetFen,
      name: p.name,
      ...(goals.has(p.projectId) ? { goal: goals.get(p.projectId) as string } : {}),
    }));
  const found = cleanupCandidates(leaves, ctx.policy.cleanup);
  const counts = Object.fromEntries(CANDIDATE_KINDS.map((k) => [k, 0])) as Record<CandidateKind, number>;
  const stored: StoredCandidate[] = found.map((c) => ({ ...c, seq: ++counts[c.kind], scanId: ctx.runId }));
  const header: CleanupScanHeader = {
    year: ctx.year,
    scanId: ctx.runId,
    asOf: ctx.asOf,
    projects: leaves.length,
    counts,
    at: ctx.deps.clock.now().toISOString(),
    by: ctx.actor.sub,
  };
  await repos.cleanup.candidates.saveScan(header, stored);
  return {
    year: ctx.year,
    scanId: ctx.runId,
    projects: leaves.length,
    withGoal: leaves.filter((l) => l.goal).length,
    small: counts.small,
    scattered: counts.scattered,
    nearDuplicate: counts['near-duplicate'],
    seconds: (Date.now() - started) / 1000,
  };
}

/** Every date of the year: the scan runs on demand, for the year of whatever date it is given. */
function everyDay(year: number): string[] {
  const out: string[] = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

export const cleanupScanJob: JobDefinition = {
  name: 'cleanup-scan',
  title: '政策清理候选项目扫描',
  dates: (_policy, year) => everyDay(year),
  run: (ctx) => runCleanupScan(ctx),
};
