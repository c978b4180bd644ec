/** What the clean-up use cases ask of storage (SPEC §3.3). */
import type { AuditEntry } from '../../domain/audit';
import type { CleanupScanHeader, ProjectCancellation, StoredCandidate } from '../../domain/front';
import type { Deduction } from '../../domain/ledger';
import type { Project } from '../../domain/project';
import type { PolicyReads } from '../ex-ante/ports';

export type CancellableProject = Project & { cancellation?: ProjectCancellation };

export interface CleanupRepos {
  candidates: {
    saveScan(header: CleanupScanHeader, candidates: StoredCandidate[]): Promise<void>;
    latest(year: number): Promise<CleanupScanHeader | undefined>;
    list(year: number, scanId: string, kind?: string): Promise<StoredCandidate[]>;
  };
  goals: { goalsOfYear(year: number): Promise<Map<string, string>> };
  ledger: { cutsOfYear(year: number): Promise<{ cuts: Deduction[]; reversals: Deduction[] }> };
  projects: {
    get(projectId: string): Promise<Project | undefined>;
    children(parent: Pick<Project, 'year' | 'deptId' | 'projectId'>): Promise<Project[]>;
    ofYear(year: number): Promise<CancellableProject[]>;
    markCancelled(p: Pick<Project, 'projectId' | 'version' | 'status'>, c: ProjectCancellation, audit: AuditEntry): Promise<'cancelled' | 'conflict'>;
    finishCancellation(projectId: string, done: { amountFen: number; deductionIds: string[] }): Promise<void>;
  };
  policies: PolicyReads;
  /** Seals an outbox group into one email per department (sent by the outbox dispatcher). */
  outbox: { seal(group: string, title: string, now: Date, appUrl: string): Promise<{ mailId: string }[]> };
}
