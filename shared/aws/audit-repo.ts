/**
 * The audit log, read side: an entity's records sit in its own partition (`AUDIT#auditId`,
 * written by each change's transaction through auditPut), read newest first.
 */
import type { AuditEntry } from '../domain/audit';
import { type Db, queryPage, stripKeys } from './db';
import { keys } from './keys';

/** The partition of each entity kind whose audit trail can be read. */
const PARTITIONS = {
  department: (id: string) => keys.department(id).PK,
  project: (id: string) => keys.project(id).PK,
  policy: (id: string) => keys.policy(Number(id)).PK,
  deduction: (id: string) => keys.deduction(id).PK,
  carryover: (id: string) => keys.idleRecord('carryover', id).PK,
  payable: (id: string) => keys.idleRecord('payable', id).PK,
  account: (id: string) => keys.idleRecord('account', id).PK,
  exemption: (id: string) => keys.exemption(id).PK,
} as const;

export type AuditedKind = keyof typeof PARTITIONS;

export function auditRepo(db: Db) {
  return {
    /** A page of one entity's audit records, newest first. */
    async trail(kind: AuditedKind, id: string, limit: number, nextToken?: string): Promise<{ items: AuditEntry[]; nextToken?: string }> {
      const page = await queryPage(
        db,
        {
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': PARTITIONS[kind](id), ':prefix': keys.auditPrefix() },
          ScanIndexForward: false,
        },
        limit,
        nextToken,
      );
      return { items: page.items.map((i) => stripKeys<AuditEntry>(i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  };
}
