/** The audit port: what its use cases ask of storage (implemented in shared/aws). */
import type { AuditEntry } from '../../domain/audit';

/** The entity kinds whose audit trail can be read (the repository knows where each one sits). */
export const AUDITED_ENTITIES = {
  department: true,
  project: true,
  policy: true,
  deduction: true,
  carryover: true,
  payable: true,
  account: true,
  exemption: true,
} as const;

export type AuditedEntity = keyof typeof AUDITED_ENTITIES;

/** The port (shared/aws/audit-repo.ts). */
export interface AuditRepo {
  trail(kind: AuditedEntity, id: string, limit: number, nextToken?: string): Promise<{ items: AuditEntry[]; nextToken?: string }>;
}
