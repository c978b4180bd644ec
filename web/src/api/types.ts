/**
 * The API's shapes, taken from the domain's own types (type-only imports: nothing of the
 * server is bundled) where the domain has them, and written here for the views that the API
 * builds (the inbox, the targets queue, the pool).
 */
export type { ProjectView } from '../../../shared/domain/project';
export type { Deduction, DeductionRule, DeductionStatus } from '../../../shared/domain/ledger';
export type { InboxItem, InboxKind } from '../../../shared/app/inbox/items';
import type { InboxItem, InboxKind } from '../../../shared/app/inbox/items';
import type { Deduction } from '../../../shared/domain/ledger';
import type { TargetStatus } from '../../../shared/domain/targets';
export type { TargetStatus };

export type Role = 'department' | 'finance' | 'performance' | 'expert';

export interface Inbox {
  year: number;
  today: string;
  items: InboxItem[];
  counts: Partial<Record<InboxKind, number>>;
  total: number;
  truncated?: boolean;
}

export type LedgerEntry = Deduction & { appealDeadline?: string; appeal?: { reason: string; at: string; by: string; deadline: string } };

export interface TargetRow {
  kind: 'project' | 'department';
  year: number;
  deptId: string;
  projectId?: string;
  level?: 1 | 2;
  status: TargetStatus;
  version: number;
  lintErrors: number;
  returnCount: number;
  lastReview?: { decision: string; grade: string; at: string };
  updatedAt: string;
}

export interface TargetList {
  items: TargetRow[];
  counts: Record<TargetStatus, number>;
  nextToken?: string;
}

export interface Indicator {
  level1: string;
  level2?: string;
  name: string;
  unit?: string;
  direction: string;
  targetValue?: number | string;
}

export interface TargetDetail {
  kind: 'project' | 'department';
  deptId: string;
  projectId?: string;
  goal: string;
  indicators: Indicator[];
  status: TargetStatus;
  version: number;
  lint: { code: string; path: string; message: string; severity?: string }[];
}

export interface Pool {
  year: number;
  balanceFen: number;
  inFen: number;
  outFen: number;
  byRule: Record<string, number>;
}

export interface JobRun {
  runId: string;
  job: string;
  asOf: string;
  status: 'running' | 'succeeded' | 'failed' | 'deferred';
  summary: Record<string, unknown> | null;
  requestedBy: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

export interface PublicTargets {
  year: number;
  items: { kind: 'department' | 'project'; deptId: string; projectId?: string; goal: string; indicators: Indicator[] }[];
  coverage: { departments: number; published: number };
  nextToken?: string;
}

export interface Department {
  deptId: string;
  name: string;
  domain?: string;
}
