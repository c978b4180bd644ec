/**
 * Performance targets in the table (SPEC §3.4). Access patterns:
 *   - a target's current state beside its project (`PROJ#id / TARGET`) or department
 *     (`DEPT#id / TARGET#year`), with its saved versions (`…#V#000001`) and reviews
 *     (`…#R#ulid`) as immutable items in the same partition, and its audit records;
 *   - GSI3 `TARGETS#year / status#dept#ref`: the review queue and its counts by status;
 *   - GSI1 `PUBTARGETS#year` (sparse): what approval published.
 * Every change is one transaction guarded by the status and version it was decided on.
 */
import type { AuditEntry } from '../domain/audit';
import type { EmailLine } from '../domain/email';
import type { Deduction } from '../domain/ledger';
import {
  type CutRecord,
  isPublished,
  type ReviewRecord,
  refOf,
  type StoredTarget,
  type TargetKind,
  type TargetRef,
  type TargetStatus,
  TARGET_STATUSES,
  type TargetVersionRecord,
} from '../domain/targets';
import { auditPut } from './audit';
import { countQuery, type Db, getItem, type Item, queryAll, queryPage, stripKeys, transact, type TransactItem } from './db';
import { keys } from './keys';
import { getDeduction } from './ledger';
import { outboxLinePut, sealGroup } from './outbox';

type Key = { PK: string; SK: string };

export function targetKeyOf(ref: TargetRef): Key {
  return ref.kind === 'project' ? keys.projectTarget(ref.projectId) : keys.departmentTarget(ref.deptId, ref.year);
}

/** The key of a stored target (from the target itself). */
export const targetKey = (t: Pick<StoredTarget, 'kind' | 'projectId' | 'deptId' | 'year'>): Key => targetKeyOf(refOf(t));

/**
 * The item of a target's current state: the review-queue index by status, and the publication
 * index only while it is approved and department-overall or level-1.
 */
export function targetItem(t: StoredTarget): Item {
  return {
    ...targetKey(t),
    ...keys.targetStatusIndex(t.year, t.status, t.deptId, t.kind === 'project' ? `P#${t.projectId}` : 'D'),
    ...(isPublished(t) ? keys.publishedTargetIndex(t.year, t.deptId, t.projectId) : {}),
    entity: 'Target',
    v: 1,
    ...t,
  };
}

/** An immutable saved version. */
export function targetVersionItem(t: StoredTarget, statusAtSave: TargetStatus, savedBy: string, savedAt: string): Item {
  const record: TargetVersionRecord = {
    version: t.version,
    goal: t.goal,
    indicators: t.indicators,
    lint: t.lint,
    budgetFen: t.budgetFen,
    statusAtSave,
    savedBy,
    savedAt,
  };
  return { ...keys.targetVersion(targetKey(t), t.version), entity: 'TargetVersion', v: 1, ...record };
}

/** An immutable review. */
export function targetReviewItem(t: Pick<StoredTarget, 'kind' | 'projectId' | 'deptId' | 'year'>, review: ReviewRecord): Item {
  return { ...keys.targetReview(targetKey(t), review.reviewId), entity: 'TargetReview', v: 1, ...review };
}

export interface TargetQueueQuery {
  year: number;
  status?: TargetStatus;
  deptId?: string;
  kind?: TargetKind;
  limit: number;
  nextToken?: string;
}

/** A line for the department's email, written with the change it reports. */
export interface NoticeWrite {
  group: string;
  deptId: string;
  lineId: string;
  line: EmailLine;
}

export function targetsRepo(db: Db) {
  /** The target put, guarded: created only if absent, replaced only from the status+version read. */
  const putGuarded = (next: StoredTarget, current: StoredTarget | undefined): TransactItem => ({
    Put: {
      TableName: db.table,
      Item: targetItem(next),
      ...(current
        ? {
            ConditionExpression: '#status = :status AND version = :version',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': current.status, ':version': current.version },
          }
        : { ConditionExpression: 'attribute_not_exists(PK)' }),
    },
  });
  const putNew = (item: Item): TransactItem => ({ Put: { TableName: db.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } });
  const audit = (t: StoredTarget, entry: AuditEntry) => auditPut(db, targetKey(t).PK, entry);
  const ok = async (items: TransactItem[]) => (await transact(db, items)).ok;
  const queueQuery = (year: number, status: TargetStatus, deptId: string | undefined) => ({
    IndexName: 'GSI3',
    KeyConditionExpression: 'GSI3PK = :pk AND begins_with(GSI3SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.targetsPartition(year), ':prefix': deptId ? `${status}#${deptId}#` : `${status}#` },
  });

  return {
    async get(ref: TargetRef): Promise<StoredTarget | undefined> {
      const item = await getItem(db, targetKeyOf(ref));
      return item ? stripKeys<StoredTarget>(item) : undefined;
    },

    async getReview(ref: TargetRef, reviewId: string): Promise<ReviewRecord | undefined> {
      const item = await getItem(db, keys.targetReview(targetKeyOf(ref), reviewId));
      return item ? stripKeys<ReviewRecord>(item) : undefined;
    },

    /** Every saved version and every review, oldest first. */
    async history(ref: TargetRef): Promise<{ versions: TargetVersionRecord[]; reviews: ReviewRecord[] }> {
      const key = targetKeyOf(ref);
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': key.PK, ':prefix': keys.targetHistoryPrefix(key) },
      });
      const versions: TargetVersionRecord[] = [];
      const reviews: ReviewRecord[] = [];
      for (const item of items) {
        if (item.entity === 'TargetVersion') versions.push(stripKeys(item));
        else if (item.entity === 'TargetReview') reviews.push(stripKeys(item));
      }
      return { versions, reviews };
    },

    /** A save: the target, its new immutable version, the audit record. False: it moved. */
    save(w: { next: StoredTarget; current: StoredTarget | undefined; statusAtSave: TargetStatus; audit: AuditEntry }): Promise<boolean> {
      return ok([putGuarded(w.next, w.current), putNew(targetVersionItem(w.next, w.statusAtSave, w.audit.actor, w.audit.at)), audit(w.next, w.audit)]);
    },

    /** A status change (submit): the target and the audit record. False: it moved. */
    update(w: { next: StoredTarget; current: StoredTarget; audit: AuditEntry }): Promise<boolean> {
      return ok([putGuarded(w.next, w.current), audit(w.next, w.audit)]);
    },

    /** A review: the target, the immutable review, the audit record and the department's notice line. */
    review(w: { next: StoredTarget; current: StoredTarget; review: ReviewRecord; audit: AuditEntry; notice?: NoticeWrite }): Promise<boolean> {
      const items = [putGuarded(w.next, w.current), putNew(targetReviewItem(w.next, w.review)), audit(w.next, w.audit)];
      if (w.notice) items.push(outboxLinePut(db, w.notice.group, w.notice.deptId, w.notice.lineId, w.notice.line));
      return ok(items);
    },

    /** Marks the pending cut of `reviewId` done, once (a concurrent finisher may win: false). */
    finishCut(w: { target: StoredTarget; done: CutRecord; audit: AuditEntry }): Promise<boolean> {
      return ok([
        {
          Update: {
            TableName: db.table,
            Key: targetKey(w.target),
            UpdateExpression: 'SET cut = :cut',
            ConditionExpression: 'cut.reviewId = :rid AND cut.#state = :pending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':cut': w.done, ':rid': w.done.reviewId, ':pending': 'pending' },
          },
        },
        audit(w.target, w.audit),
      ]);
    },

    /** The targets of a year by status then department: a page of the review queue. */
    async queue(q: TargetQueueQuery): Promise<{ items: StoredTarget[]; nextToken?: string }> {
      const values: Record<string, unknown> = { ':pk': keys.targetsPartition(q.year) };
      let condition = 'GSI3PK = :pk';
      const filters: string[] = [];
      const names: Record<string, string> = {};
      if (q.status) {
        condition += ' AND begins_with(GSI3SK, :prefix)';
        values[':prefix'] = q.deptId ? `${q.status}#${q.deptId}#` : `${q.status}#`;
      } else if (q.deptId) {
        filters.push('deptId = :dept');
        values[':dept'] = q.deptId;
      }
      if (q.kind) {
        filters.push('#kind = :kind');
        names['#kind'] = 'kind';
        values[':kind'] = q.kind;
      }
      const input = {
        IndexName: 'GSI3',
        KeyConditionExpression: condition,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      };
      const page = await queryPage<Item>(db, input, q.limit, q.nextToken);
      return { items: page.items.map((i) => stripKeys<StoredTarget>(i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },

    /** How many targets of the year (of one department) are in each status (COUNT queries). */
    async statusCounts(year: number, deptId: string | undefined): Promise<Record<TargetStatus, number>> {
      const counts = await Promise.all(TARGET_STATUSES.map(async (s) => [s, await countQuery(db, queueQuery(year, s, deptId))] as const));
      return Object.fromEntries(counts) as Record<TargetStatus, number>;
    },

    /**
     * A page of the targets of a year in one status (of one department), by key prefix: only
     * the fields a list of things to do shows, not the indicators and reviews each item carries.
     */
    async states(q: { year: number; status: TargetStatus; deptId?: string; limit: number; nextToken?: string }) {
      const input = {
        ...queueQuery(q.year, q.status, q.deptId),
        ProjectionExpression: '#kind, deptId, projectId, #status, updatedAt',
        ExpressionAttributeNames: { '#kind': 'kind', '#status': 'status' },
      };
      return queryPage<Pick<StoredTarget, 'kind' | 'deptId' | 'projectId' | 'status' | 'updatedAt'>>(db, input, q.limit, q.nextToken);
    },

    /** A page of what approval published of a year (the sparse index). */
    async published(year: number, limit: number, nextToken?: string): Promise<{ items: StoredTarget[]; nextToken?: string }> {
      const page = await queryPage<Item>(
        db,
        { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': keys.publishedTargetsPartition(year) } },
        limit,
        nextToken,
      );
      return { items: page.items.map((i) => stripKeys<StoredTarget>(i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },

    /** How many departments have a published department-overall target of the year. */
    publishedDepartments(year: number): Promise<number> {
      return countQuery(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :d)',
        ExpressionAttributeValues: { ':pk': keys.publishedTargetsPartition(year), ':d': 'D#' },
      });
    },

    /**
     * The ledger entry a cut made (read back after a rerun met it). Belongs to the ledger's
     * repository once there is one (issue 8, arch-jobs); here so the cut needs no table.
     */
    deduction(deductionId: string): Promise<Deduction | undefined> {
      return getDeduction(db, deductionId);
    },

    /** Turns a review's outbox lines into the departments' emails (see outbox.ts). */
    async sealMail(group: string, runTitle: string, now: Date, appUrl: string): Promise<void> {
      await sealGroup(db, group, runTitle, now, appUrl);
    },
  };
}
export type TableTargetsRepo = ReturnType<typeof targetsRepo>;
