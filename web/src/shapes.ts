/**
 * The shapes the workbench and bureau pages read, taken type-only from the domain and the use
 * cases (nothing of the server is bundled). Kept apart from api/types.ts, which the typed
 * OpenAPI client replaces: when it lands these become its generated types.
 */
export type { Exemption } from '../../shared/domain/exemptions';
export type { SnapshotProject } from '../../shared/domain/snapshots';
export type { Carryover, Payable, AccountBalance, IdleRecord, IdleKind } from '../../shared/domain/idle-records';
export type { StoredSelfEvaluation, StoredSuggestion, StoredKeyEvaluation, ExpertScore } from '../../shared/domain/evaluations';
export type { ProposalView } from '../../shared/app/results/grades';
export type { Candidate } from '../../shared/domain/rules/cleanup';
export type { FundingRound, CleanupScanHeader, CleanupTotals, DepartmentRanking } from '../../shared/domain/front';
export type { LintProblem, TargetIndicator } from '../../shared/domain/targets';
export type { Indicator as LibraryIndicator } from '../../shared/domain/indicators';
import type { LintProblem, TargetIndicator, TargetStatus } from '../../shared/domain/targets';
import type { SnapshotProject, SnapshotTotals } from '../../shared/domain/snapshots';
import type { Outlook, ReportIndicator } from '../../shared/domain/monitoring';
export type { Outlook, ReportIndicator };

/** GET …/target (and the PUT's answer): the stored target with its lint. */
export interface TargetView {
  kind: 'project' | 'department';
  year: number;
  deptId: string;
  projectId?: string;
  goal: string;
  indicators: TargetIndicator[];
  lint: LintProblem[];
  status: TargetStatus;
  version: number;
  budgetFen: number;
  returnCount: number;
  allowedActions: string[];
  canSubmit: boolean;
  lintErrors: number;
  lastReview?: { decision: string; grade: string; comments: string; at: string };
}

export type SnapshotTotalsView = Pick<SnapshotTotals, 'projects' | 'budgetFen' | 'spentFen' | 'progressBp' | 'red' | 'yellow' | 'green' | 'suspended'>;
export type SnapshotProjectView = Pick<
  SnapshotProject,
  'projectId' | 'deptId' | 'name' | 'budgetFen' | 'spentFen' | 'progressBp' | 'achievementBp' | 'light' | 'flags' | 'outlook' | 'reportVersion'
> & { suspended?: boolean };
export interface SnapshotView {
  year: number;
  checkpoint: string;
  asOf: string;
  benchmarkBp: number;
  takenAt: string;
  totals?: SnapshotTotalsView & { departments: number };
  projects: SnapshotProjectView[];
  departments: (SnapshotTotalsView & { deptId: string })[];
  nextToken?: string;
}

/** GET /v1/projects/{id}/monitoring: every checkpoint of the year with its latest report. */
export interface MonitoringList {
  projectId: string;
  year: number;
  items: {
    checkpoint: string;
    date: string;
    benchmarkBp: number;
    status: 'open' | 'closed';
    report: { version: number; indicators: ReportIndicator[]; note?: string; filedAt: string; outlook: Outlook | null; achievementBp?: number } | null;
  }[];
}

export interface SweepTotalsView {
  asOf: string;
  deductions: number;
  amountFen: number;
  byRule: Record<string, { deductions: number; amountFen: number }>;
  byDept: { deptId: string; deductions: number; amountFen: number; byRule: Record<string, { deductions: number; amountFen: number }> }[];
}
