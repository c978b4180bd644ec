/**
 * Monitoring reports and snapshots in the table (keys from keys.ts).
 *
 * Reports: the latest version of a project's report for a checkpoint (`MON#06-30`, on GSI1 by
 * year+checkpoint → department → project) and every saved version beside it, immutable.
 * Snapshots: a header, a closing marker and department items in `SNAP#year#checkpoint`, the
 * project items in one partition per department.
 */
import type { MonitoringReport, ReportTarget, TargetIndicatorRef } from '../domain/monitoring';
import type { SnapshotDepartment, SnapshotHeader, SnapshotProject } from '../domain/snapshots';
import { BatchGetCommand } from '@jixiao/aws-sdk';
import type { AuditEntry } from '../domain/audit';
import { auditPut } from './audit';
import { type Db, getItem, queryAll, sleep, transact } from './db';
import { keys } from './keys';
import { stripKeys } from './projects-repo';

export type SaveReportOutcome = 'saved' | 'closed' | 'cancelled' | 'raced';

/** The target item kept beside the project, as far as a report is checked against it. */
interface StoredTargetShape {
  version: number;
  status: string;
  indicators?: { name: string; code?: string; level1?: string; unit?: string; direction?: string; targetValue?: number }[];
}

async function reportTarget(db: Db, projectId: string): Promise<ReportTarget | undefined> {
  const item = await getItem(db, keys.projectTarget(projectId));
  return item ? reportTargetOf(item) : undefined;
}

/** What a report is checked against, from the project's target item as read (a bulk read hands in many). */
export function reportTargetOf(item: Record<string, unknown>): ReportTarget | undefined {
  const t = stripKeys<StoredTargetShape>(item);
  if (!Array.isArray(t.indicators) || t.indicators.length === 0) return undefined;
  return {
    version: t.version,
    status: t.status,
    indicators: t.indicators.map((i) => {
      const ref: TargetIndicatorRef = { name: i.name };
      if (i.code) ref.code = i.code;
      if (i.level1) ref.level1 = i.level1;
      if (i.unit) ref.unit = i.unit;
      if (i.direction) ref.direction = i.direction as NonNullable<TargetIndicatorRef['direction']>;
      if (i.targetValue !== undefined) ref.targetValue = i.targetValue;
      return ref;
    }),
  };
}

/**
 * ONE transaction: the latest report (guarded by the version it replaces, or absent), the
 * immutable version item, the checkpoint still open (no closing marker), the project not
 * cancelled, and the audit record.
 */
async function saveReport(db: Db, next: MonitoringReport, replacesVersion: number | undefined, audit: AuditEntry): Promise<SaveReportOutcome> {
  const outcome = await transact(db, [
    {
      Put: {
        TableName: db.table,
        Item: reportItem(next),
        ...(replacesVersion !== undefined
          ? { ConditionExpression: '#version = :v', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':v': replacesVersion } }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      },
    },
    { Put: { TableName: db.table, Item: reportVersionItem(next), ConditionExpression: 'attribute_not_exists(PK)' } },
    { ConditionCheck: { TableName: db.table, Key: keys.snapshotClosed(next.year, next.checkpoint), ConditionExpression: 'attribute_not_exists(PK)' } },
    {
      ConditionCheck: {
        TableName: db.table,
        Key: keys.project(next.projectId),
        ConditionExpression: 'attribute_exists(PK) AND #status <> :cancelled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled' },
      },
    },
    auditPut(db, keys.project(next.projectId).PK, audit),
  ]);
  if (outcome.ok) return 'saved';
  if (outcome.reasons[2] === 'ConditionalCheckFailed') return 'closed';
  if (outcome.reasons[3] === 'ConditionalCheckFailed') return 'cancelled';
  return 'raced';
}

export type { MonitoringReport, SnapshotDepartment, SnapshotHeader, SnapshotProject };

export function reportItem(r: MonitoringReport): Record<string, unknown> {
  return {
    ...keys.monitoringReport(r.projectId, r.checkpoint),
    ...keys.monitoringReportIndex(r.year, r.checkpoint, r.deptId, r.projectId),
    entity: 'MonitoringReport',
    v: 1,
    ...r,
  };
}

export function reportVersionItem(r: MonitoringReport): Record<string, unknown> {
  return { ...keys.monitoringReportVersion(r.projectId, r.checkpoint, r.version), entity: 'MonitoringReportVersion', v: 1, ...r };
}

export function snapshotProjectItem(s: SnapshotProject): Record<string, unknown> {
  return { ...keys.snapshotProject(s.year, s.checkpoint, s.deptId, s.projectId), entity: 'SnapshotProject', v: 1, ...s };
}

export function snapshotDepartmentItem(s: SnapshotDepartment): Record<string, unknown> {
  return { ...keys.snapshotDepartment(s.year, s.checkpoint, s.deptId), entity: 'SnapshotDepartment', v: 1, ...s };
}

export function snapshotHeaderItem(s: SnapshotHeader): Record<string, unknown> {
  return { ...keys.snapshotHeader(s.year, s.checkpoint), entity: 'SnapshotHeader', v: 1, ...s };
}

export function monitoringRepo(db: Db) {
  return {
    reportTarget: (projectId: string) => reportTarget(db, projectId),
    saveReport: (next: MonitoringReport, replacesVersion: number | undefined, audit: AuditEntry) => saveReport(db, next, replacesVersion, audit),
    /** Latest reports of a checkpoint, reads of concurrent callers gathered (see reportLoader). */
    reportLoader: (checkpoint: string) => reportLoader(db, checkpoint),
    async latest(projectId: string, checkpoint: string): Promise<MonitoringReport | undefined> {
      const item = await getItem(db, keys.monitoringReport(projectId, checkpoint));
      return item ? stripKeys<MonitoringReport>(item) : undefined;
    },
    async version(projectId: string, checkpoint: string, version: number): Promise<MonitoringReport | undefined> {
      const item = await getItem(db, keys.monitoringReportVersion(projectId, checkpoint, version));
      return item ? stripKeys<MonitoringReport>(item) : undefined;
    },
    /** The latest report of each checkpoint of a project. */
    async latestOfProject(projectId: string): Promise<MonitoringReport[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        FilterExpression: '#entity = :entity',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: { ':pk': keys.project(projectId).PK, ':prefix': keys.monitoringReportsPrefix(), ':entity': 'MonitoringReport' },
        ConsistentRead: true,
      });
      return items.map((i) => stripKeys<MonitoringReport>(i));
    },
    /** Every saved version of a report: who filed it and when. */
    async versions(projectId: string, checkpoint: string): Promise<{ version: number; filedAt: string; filedBy: string }[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.project(projectId).PK, ':prefix': keys.monitoringVersionsPrefix(checkpoint) },
        ProjectionExpression: '#version, filedAt, filedBy',
        ExpressionAttributeNames: { '#version': 'version' },
      });
      return items.map((i) => ({ version: i.version as number, filedAt: i.filedAt as string, filedBy: i.filedBy as string }));
    },
    /** Projects of a year that have a report for the checkpoint (GSI1: eventually consistent). */
    async reportedProjects(year: number, checkpoint: string): Promise<Set<string>> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.monitoringReportsPartition(year, checkpoint) },
        ProjectionExpression: 'projectId',
      });
      return new Set(items.map((i) => i.projectId as string));
    },
    async isClosed(year: number, checkpoint: string): Promise<boolean> {
      return (await getItem(db, keys.snapshotClosed(year, checkpoint))) !== undefined;
    },
    async header(year: number, checkpoint: string): Promise<SnapshotHeader | undefined> {
      const item = await getItem(db, keys.snapshotHeader(year, checkpoint));
      return item ? stripKeys<SnapshotHeader>(item) : undefined;
    },
    async departments(year: number, checkpoint: string): Promise<SnapshotDepartment[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.snapshotDepartmentsPartition(year, checkpoint), ':prefix': keys.snapshotDepartmentPrefix() },
      });
      return items.map((i) => stripKeys<SnapshotDepartment>(i));
    },
    async department(year: number, checkpoint: string, deptId: string): Promise<SnapshotDepartment | undefined> {
      const item = await getItem(db, keys.snapshotDepartment(year, checkpoint, deptId));
      return item ? stripKeys<SnapshotDepartment>(item) : undefined;
    },
  };
}
export type MonitoringRepo = ReturnType<typeof monitoringRepo>;

/**
 * Latest reports of a checkpoint, read strongly consistent, with the reads of concurrent callers
 * gathered into BatchGetItem requests (up to 100 keys): a job handling 16 projects at a time
 * makes one read request where it would make 16.
 */
export function reportLoader(db: Db, checkpoint: string) {
  let waiting: { projectId: string; resolve: (r: MonitoringReport | undefined) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  const flush = async () => {
    scheduled = false;
    const batch = waiting.slice(0, 100);
    waiting = waiting.slice(100);
    if (waiting.length > 0) schedule();
    if (batch.length === 0) return;
    try {
      const found = new Map<string, MonitoringReport>();
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [db.table]: { Keys: [...new Set(batch.map((b) => b.projectId))].map((id) => keys.monitoringReport(id, checkpoint)), ConsistentRead: true },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
        const res = await db.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of res.Responses?.[db.table] ?? []) {
          const r = stripKeys<MonitoringReport>(item);
          found.set(r.projectId, r);
        }
        request = res.UnprocessedKeys as typeof request;
      }
      for (const b of batch) b.resolve(found.get(b.projectId));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  };
  return {
    load(projectId: string): Promise<MonitoringReport | undefined> {
      return new Promise((resolve, reject) => {
        waiting.push({ projectId, resolve, reject });
        schedule();
      });
    },
  };
}
