/** A change of state worth an audit record: who, when, what, before and after (SPEC §2). */
export interface AuditEntry {
  auditId: string;
  entityType: string;
  entityId: string;
  action: string;
  actor: string;
  at: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}
