/** What the ex-ante use cases ask of storage (SPEC §3.1). */
import type { AuditEntry } from '../../domain/audit';
import type { ExAnteAssessmentRecord } from '../../domain/front';
import type { Policy } from '../../domain/policy';
import type { Project } from '../../domain/project';

export interface ExAnteAssessmentsPort {
  get(projectId: string): Promise<ExAnteAssessmentRecord | undefined>;
  /** The seam target approval reads (same as get). */
  find(projectId: string): Promise<ExAnteAssessmentRecord | undefined>;
  getMany(projectIds: string[]): Promise<Map<string, ExAnteAssessmentRecord>>;
  versions(projectId: string): Promise<ExAnteAssessmentRecord[]>;
  save(a: ExAnteAssessmentRecord, previousVersion: number, audit: AuditEntry): Promise<'saved' | 'conflict'>;
}

export interface ProjectReads {
  get(projectId: string): Promise<Project | undefined>;
  children(parent: Pick<Project, 'year' | 'deptId' | 'projectId'>): Promise<Project[]>;
}

export interface PolicyReads {
  effective(year: number): Promise<Policy>;
}

export interface ExAnteRepos {
  assessments: ExAnteAssessmentsPort;
  projects: ProjectReads;
  policies: PolicyReads;
}
