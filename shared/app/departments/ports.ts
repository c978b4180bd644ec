/** The departments port: what its use cases ask of storage (implemented in shared/aws). */
import type { AuditEntry } from '../../domain/audit';
import type { Department } from '../../domain/department';

/** The port (shared/aws/departments-repo.ts). */
export interface DepartmentsRepo {
  get(deptId: string): Promise<Department | undefined>;
  list(): Promise<Department[]>;
  count(): Promise<number>;
  put(d: Department, currentVersion: number | undefined, audit: AuditEntry): Promise<boolean>;
}
