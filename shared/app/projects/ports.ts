/** The projects port: what its use cases ask of storage (implemented in shared/aws). */
import type { AuditEntry } from '../../domain/audit';
import type { Project } from '../../domain/project';

/** The port (shared/aws/projects-repo.ts): what the project use cases ask of storage. */
export interface ProjectsRepo {
  get(projectId: string): Promise<Project | undefined>;
  getMany(ids: string[]): Promise<Map<string, Project>>;
  children(parent: Pick<Project, 'year' | 'deptId' | 'projectId'>): Promise<Project[]>;
  ofDepartment(year: number, deptId: string): Promise<Project[]>;
  allOfYear(year: number): Promise<Project[]>;
  page(year: number, deptId: string | undefined, limit: number, nextToken?: string): Promise<{ items: Project[]; nextToken?: string | undefined }>;
  create(p: Project, audit: AuditEntry, parentId?: string): Promise<'created' | 'exists' | 'parent-has-budget' | 'conflict'>;
}
