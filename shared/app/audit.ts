/** Reading the audit log: the history of one entity, newest first. */
import type { AuditEntry } from '../domain/audit';
import type { AppDeps } from './context';

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

export async function auditTrail(deps: AppDeps, entity: AuditedEntity, id: string, limit: number, nextToken?: string) {
  const page = await deps.repos.audit.trail(entity, id, limit, nextToken);
  return { items: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
