/**
 * GET /v1/cleanup/{year}/candidates and GET /v1/cleanup/{year}/totals (SPEC §3.3): the latest
 * scan's candidates, by kind and department; the year's totals computed from the ledger —
 * projects whose CLEANUP_CUT stands (not reversed) and the fen they cut.
 */
import { type Principal, readsEverything, scopeDepartment } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { CleanupTotals, StoredCandidate } from '../../domain/front';
import type { CandidateKind } from '../../domain/rules/cleanup';
import type { AppDeps } from '../context';

export async function listCandidates(deps: AppDeps, actor: Principal, year: number, q: { kind?: CandidateKind; deptId?: string }) {
  const deptId = scopeDepartment(actor, q.deptId);
  const { candidates } = deps.repos.cleanup;
  const scan = await candidates.latest(year);
  if (!scan) throw new NotFoundError(`No clean-up scan has run for ${year}`, 'SCAN_NOT_FOUND');
  const items = (await candidates.list(year, scan.scanId, q.kind)).filter((c) => !deptId || c.deptIds.includes(deptId));
  const own = readsEverything(actor) ? undefined : deptId;
  return { scan, items: items.map(({ scanId: _s, seq: _q, ...c }) => (own ? redacted(c, own) : c)) };
}

/** A department sees its own side of a pair with another department's project, not that project. */
function redacted(c: Omit<StoredCandidate, 'scanId' | 'seq'>, deptId: string) {
  if (!c.projectDeptIds || c.deptIds.length === 1) return c;
  const projectIds = c.projectIds.filter((_, i) => c.projectDeptIds?.[i] === deptId);
  const { projectDeptIds: _p, budgetFen: _b, ...rest } = c;
  return { ...rest, projectIds, deptIds: [deptId], withOtherDepartment: true };
}

export async function cleanupTotals(deps: AppDeps, year: number): Promise<CleanupTotals> {
  const { cuts, reversals } = await deps.repos.cleanup.ledger.cutsOfYear(year);
  const reversed = new Set(reversals.map((r) => r.reversesDeductionId));
  const totals: CleanupTotals = { year, projects: 0, cutFen: 0, byDept: {}, reversed: { projects: 0, fen: 0 } };
  const counted = new Set<string>();
  for (const d of cuts) {
    if (reversed.has(d.deductionId)) {
      totals.reversed.projects++;
      totals.reversed.fen += d.amountFen;
      continue;
    }
    const dept = (totals.byDept[d.deptId] ??= { projects: 0, cutFen: 0 });
    if (!counted.has(d.projectId as string)) {
      counted.add(d.projectId as string);
      totals.projects++;
      dept.projects++;
    }
    totals.cutFen += d.amountFen;
    dept.cutFen += d.amountFen;
  }
  return totals;
}
