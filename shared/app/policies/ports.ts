/** The policies port: what its use cases ask of storage (implemented in shared/aws). */
import type { AuditEntry } from '../../domain/audit';
import type { PolicyOverride } from '../../domain/policy';

export interface PolicyItem {
  year: number;
  override: PolicyOverride;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** The port: a year's override, and its guarded replacement with the audit record. */
export interface PoliciesRepo {
  get(year: number): Promise<PolicyItem | undefined>;
  put(next: PolicyItem, currentVersion: number | undefined, audit: AuditEntry): Promise<boolean>;
}
