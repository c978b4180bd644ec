/**
 * Where each export's rows come from: the same read use cases the API's lists use (so a
 * department sees exactly what its lists show it, its own department only), one repository
 * page at a time. A source turns a page token into rows and the next token.
 */
import { hasRole, type Principal, scopeDepartment } from '../../domain/access';
import { ForbiddenError, ValidationError } from '../../domain/errors';
import {
  type Cell,
  type Column,
  type Dataset,
  LEDGER_COLUMNS,
  ledgerCells,
  type LedgerRow,
  POOL_COLUMNS,
  poolAllocationCells,
  poolRuleCells,
  poolTotalCells,
  PROJECT_COLUMNS,
  projectCells,
  SNAPSHOT_COLUMNS,
  snapshotCells,
  SWEEP_COLUMNS,
  sweepCells,
} from '../../domain/exports';
import { type DeductionRule, policyRuleWords } from '../../domain/ledger';
import type { AppDeps } from '../context';
import { yearPolicy } from '../policies';
import { listDeductions } from '../deductions/reads';
import { sweepTotalsOfYear } from '../idle-funds/sweeps';
import { getSnapshot } from '../monitoring/reads';
import { getPool, listAllocations } from '../pool/reads';
import { listProjects } from '../projects';

export interface ExportQuery {
  year: number;
  deptId?: string;
  checkpoint?: string;
}

export interface Source {
  columns: Column[];
  page(token: string | undefined): Promise<{ rows: Cell[][]; nextToken?: string }>;
}

/** Rows per repository read: big enough to keep requests few, small enough to keep memory flat. */
export const PAGE_SIZE = 500;

const bureauOnly = (actor: Principal) => {
  if (!hasRole(actor, 'finance', 'performance')) throw new ForbiddenError('统筹资金仅财政部门可导出 (the pool is the bureau’s: finance or performance)');
};

type Make = (deps: AppDeps, actor: Principal, q: ExportQuery, deptId: string | undefined) => Source;
const only = (deptId: string | undefined) => (deptId ? { deptId } : {});
const from = (token: string | undefined) => (token ? { nextToken: token } : {});
const onward = (nextToken: string | undefined) => (nextToken ? { nextToken } : {});

const SOURCES: Record<Dataset, Make> = {
  projects: (deps, actor, q, deptId) => ({
    columns: PROJECT_COLUMNS,
    page: async (token) => {
      const out = await listProjects(deps, actor, { year: q.year, ...only(deptId), limit: PAGE_SIZE, ...from(token) });
      return { rows: out.items.map(projectCells), ...onward(out.nextToken) };
    },
  }),
  ledger: (deps, actor, q, deptId) => ({
    columns: LEDGER_COLUMNS,
    page: async (token) => {
      const out = await listDeductions(deps, actor, { year: q.year, ...only(deptId), limit: PAGE_SIZE, ...from(token) });
      return { rows: out.items.map((d) => ledgerCells(d as unknown as LedgerRow)), ...onward(out.nextToken) };
    },
  }),
  snapshots: (deps, actor, q, deptId) => {
    const checkpoint = q.checkpoint;
    if (!checkpoint)
      throw new ValidationError([{ path: 'query.checkpoint', message: '导出监控快照须指定监控时点，如 06-30 (give the checkpoint, e.g. 06-30)' }]);
    return {
      columns: SNAPSHOT_COLUMNS,
      page: async (token) => {
        const out = await getSnapshot(deps, actor, q.year, checkpoint, { ...only(deptId), limit: PAGE_SIZE, ...from(token) });
        return { rows: out.projects.map((s) => snapshotCells(out.asOf, s)), ...onward(out.nextToken) };
      },
    };
  },
  sweeps: (deps, _actor, q, deptId) => ({
    columns: SWEEP_COLUMNS,
    page: async () => {
      const { sweeps } = await sweepTotalsOfYear(deps, q.year);
      const rows: Cell[][] = [];
      for (const s of sweeps) {
        if (q.checkpoint && !s.asOf.endsWith(q.checkpoint)) continue;
        for (const d of s.byDept) {
          if (deptId && d.deptId !== deptId) continue;
          for (const [rule, t] of Object.entries(d.byRule).sort(([a], [b]) => a.localeCompare(b))) rows.push(sweepCells(s.asOf, d.deptId, rule, t));
        }
      }
      return { rows };
    },
  }),
  pool: (deps, actor, q) => {
    bureauOnly(actor);
    return {
      columns: POOL_COLUMNS,
      page: async (token) => {
        const rows: Cell[][] = token ? [] : await poolTotalRows(deps, q.year);
        const out = await listAllocations(deps, q.year, { limit: PAGE_SIZE, ...from(token) });
        rows.push(...out.items.map(poolAllocationCells));
        return { rows, ...onward(out.nextToken) };
      },
    };
  },
};

/** The pool's first rows: money in by rule (in the words of the year's policy), then the totals. */
async function poolTotalRows(deps: AppDeps, year: number): Promise<Cell[][]> {
  const [pool, policy] = await Promise.all([getPool(deps, year), yearPolicy(deps.repos.policies, year)]);
  const rows = Object.entries(pool.byRule)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, fen]) => poolRuleCells(rule, fen, policyRuleWords(rule as DeductionRule, policy)));
  rows.push(
    poolTotalCells('收回合计', pool.inFen),
    poolTotalCells('冲回合计', pool.reversedFen),
    poolTotalCells('拨付合计', pool.outFen),
    poolTotalCells('余额', pool.balanceFen),
  );
  return rows;
}

export function sourceOf(deps: AppDeps, actor: Principal, dataset: Dataset, q: ExportQuery): Source {
  // Checked before any read, so a refused export reads nothing.
  const deptId = scopeDepartment(actor, q.deptId);
  return SOURCES[dataset](deps, actor, q, deptId);
}
