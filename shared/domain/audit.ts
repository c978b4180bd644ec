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

/** Only the fields that changed, for the audit record's before/after. */
export function changedFields(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  ignore: string[] = ['updatedAt', 'version', 'requestHash'],
): { before: Record<string, unknown> | null; after: Record<string, unknown> } {
  if (!before) return { before: null, after: withoutBookkeeping(after, ignore) };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (ignore.includes(key) || BOOKKEEPING.test(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}

const BOOKKEEPING = /^(PK|SK|GSI\dPK|GSI\dSK|entity|v)$/;

function withoutBookkeeping(item: Record<string, unknown>, ignore: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if (ignore.includes(k) || BOOKKEEPING.test(k)) continue;
    out[k] = v;
  }
  return out;
}
