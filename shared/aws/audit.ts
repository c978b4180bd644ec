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

/** (Pure: it lives with AuditEntry in the domain; re-exported for the callers that import it here.) */
export { changedFields } from '../domain/audit';
