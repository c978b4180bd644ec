/** Audit records are written in the same transaction as the change they describe. */
import type { AuditEntry } from '../domain/audit';
import { keys } from './keys';
import type { Db, TransactItem } from './db';

export function auditPut(db: Db, entityPk: string, entry: AuditEntry): TransactItem {
  return {
    Put: {
      TableName: db.table,
      Item: { ...keys.audit(entityPk, entry.auditId), entity: 'Audit', v: 1, ...entry },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Only the fields that changed, for the audit record's before/after. */
export function changedFields(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  ignore: string[] = ['updatedAt', 'version', 'requestHash'],
): { before: Record<string, unknown> | null; after: Record<string, unknown> } {
  if (!before) return { before: null, after: stripKeys(after, ignore) };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (ignore.includes(key) || /^(PK|SK|GSI\dPK|GSI\dSK|entity|v)$/.test(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}

function stripKeys(item: Record<string, unknown>, ignore: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if (ignore.includes(k) || /^(PK|SK|GSI\dPK|GSI\dSK|entity|v)$/.test(k)) continue;
    out[k] = v;
  }
  return out;
}
