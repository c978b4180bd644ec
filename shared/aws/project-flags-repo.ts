/**
 * What the progress-cap job (SPEC §3.7) writes on projects: the NEXT_YEAR_AT_ACTUAL flag with
 * its figures (added once: NOT contains), and the year-end cap (set once:
 * attribute_not_exists), each with its audit record; and the read of a year's projects
 * (GSI1 PROJS#year, paged) to find the ones that continue a capped project.
 */
import type { AuditEntry } from '../domain/audit';
import type { OutboxLine } from '../domain/email';
import type { StoredProject } from '../domain/project';
import { auditPut } from './audit';
import { type Db, queryPages, stripKeys, transact } from './db';
import { keys } from './keys';
import { outboxLinePut } from './outbox';

export function projectFlagsRepo(db: Db) {
  return {
    /** Adds `flag` with its record, audit and the department's line; false if it was there. */
    async addFlag(
      p: { projectId: string; deptId: string },
      flag: string,
      record: { field: string; value: unknown; at: string },
      audit: AuditEntry,
      outbox: { group: string; lineId: string; line: OutboxLine },
    ): Promise<boolean> {
      const outcome = await transact(db, [
        {
          Update: {
            TableName: db.table,
            Key: keys.project(p.projectId),
            UpdateExpression: 'SET flags = list_append(if_not_exists(flags, :empty), :flagList), #record = :record, updatedAt = :now ADD version :one',
            ConditionExpression: 'attribute_exists(PK) AND NOT contains(flags, :flag)',
            ExpressionAttributeNames: { '#record': record.field },
            ExpressionAttributeValues: { ':empty': [], ':flagList': [flag], ':flag': flag, ':record': record.value, ':now': record.at, ':one': 1 },
          },
        },
        auditPut(db, keys.project(p.projectId).PK, audit),
        outboxLinePut(db, outbox.group, p.deptId, outbox.lineId, outbox.line),
      ]);
      return outcome.ok;
    },

    /** Sets the next-year cap once; when it was set already, the stored figure. */
    async setCap(projectId: string, capFen: number, asOf: string, audit: AuditEntry): Promise<{ set: true } | { set: false; storedFen?: number }> {
      const outcome = await transact(db, [
        {
          Update: {
            TableName: db.table,
            Key: keys.project(projectId),
            UpdateExpression: 'SET nextYearCapFen = :cap, nextYearCapAsOf = :asOf, updatedAt = :now ADD version :one',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(nextYearCapFen)',
            ExpressionAttributeValues: { ':cap': capFen, ':asOf': asOf, ':now': audit.at, ':one': 1 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        auditPut(db, keys.project(projectId).PK, audit),
      ]);
      if (outcome.ok) return { set: true };
      const stored = outcome.oldItems[0]?.nextYearCapFen;
      return typeof stored === 'number' ? { set: false, storedFen: stored } : { set: false };
    },

    /** Every project of a year (level-1s each followed by their children), in pages. */
    async ofYear(year: number): Promise<StoredProject[]> {
      const out: StoredProject[] = [];
      for await (const page of queryPages(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.projectsPartition(year) },
      })) {
        for (const item of page) out.push(stripKeys<StoredProject>(item));
      }
      return out;
    },
  };
}
export type ProjectFlagsRepo = ReturnType<typeof projectFlagsRepo>;
