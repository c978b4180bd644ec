/** Reading the audit log: the history of one entity, newest first. */
import type { AppDeps } from './context';
export { AUDITED_ENTITIES } from './audit/ports';
import type { AuditedEntity } from './audit/ports';
export type { AuditRepo, AuditedEntity } from './audit/ports';

export async function auditTrail(deps: AppDeps, entity: AuditedEntity, id: string, limit: number, nextToken?: string) {
  const page = await deps.repos.audit.trail(entity, id, limit, nextToken);
  return { items: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
