/**
 * The per-year policy overrides (SPEC §3.12): one item per year (`POLICY#year`), replaced
 * whole, guarded by its version, with its audit record in the same transaction.
 */
import type { AuditEntry } from '../domain/audit';
import { DEFAULT_POLICY, mergePolicy, type Policy, type PolicyOverride } from '../domain/policy';
import { auditPut } from './audit';
import { type Db, getItem, stripKeys, transact } from './db';
import { keys } from './keys';

export interface StoredPolicy {
  year: number;
  override: PolicyOverride;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export function policiesRepo(db: Db) {
  return {
    async get(year: number): Promise<StoredPolicy | undefined> {
      const item = await getItem(db, keys.policy(year));
      return item ? stripKeys<StoredPolicy>(item) : undefined;
    },
    /** The effective policy of a year: the defaults, overridden field by field by the year's item. */
    async effective(year: number): Promise<Policy> {
      const item = await getItem<{ override: PolicyOverride }>(db, keys.policy(year));
      return item ? mergePolicy(DEFAULT_POLICY, item.override) : DEFAULT_POLICY;
    },
    /** Writes the override guarded by the version read (none: it must not exist). False: it moved. */
    async put(next: StoredPolicy, currentVersion: number | undefined, audit: AuditEntry): Promise<boolean> {
      const outcome = await transact(db, [
        {
          Put: {
            TableName: db.table,
            Item: { ...keys.policy(next.year), entity: 'Policy', v: 1, ...next },
            ConditionExpression: currentVersion !== undefined ? 'version = :v' : 'attribute_not_exists(PK)',
            ExpressionAttributeValues: currentVersion !== undefined ? { ':v': currentVersion } : undefined,
          },
        },
        auditPut(db, keys.policy(next.year).PK, audit),
      ]);
      return outcome.ok;
    },
  };
}
