/** Projects and their expenditures in the table (keys from keys.ts). */
import { BatchGetCommand } from '@jixiao/aws-sdk';
import type { AuditEntry } from '../domain/audit';
import type { ProjectCancellation } from '../domain/front';
import { isLeaf, type Project } from '../domain/project';
import { auditPut } from './audit';
import { type Db, getItem, queryAll, queryPage, type QueryInput, stripKeys, transact, type TransactItem } from './db';
import { keys } from './keys';

export { stripKeys };

export function projectItem(p: Project): Record<string, unknown> {
  return {
    ...keys.project(p.projectId),
    ...keys.projectIndex(p),
    ...(isLeaf(p) ? keys.leafIndex(p.year, p.projectId) : {}),
    entity: 'Project',
    v: 1,
    ...p,
  };
}

/** How a create went: 'exists' (the id is taken), 'parent-has-budget', or 'conflict'. */
export type CreateProjectOutcome = 'created' | 'exists' | 'parent-has-budget' | 'conflict';

export function projectsRepo(db: Db) {
  return {
    /**
     * A new project with its audit record; with a parent, the parent stops being a leaf in the
     * same transaction (it leaves the jobs' index and counts its children) — only while it holds
     * no budget or spending of its own.
     */
    async create(p: Project, audit: AuditEntry, parentId?: string): Promise<CreateProjectOutcome> {
      const items: TransactItem[] = [
        { Put: { TableName: db.table, Item: projectItem(p), ConditionExpression: 'attribute_not_exists(PK)' } },
        auditPut(db, keys.project(p.projectId).PK, audit),
      ];
      if (parentId) {
        items.push({
          Update: {
            TableName: db.table,
            Key: keys.project(parentId),
            UpdateExpression: 'ADD childCount :one REMOVE GSI2PK, GSI2SK',
            ConditionExpression: 'attribute_exists(PK) AND budgetFen = :zero AND spentFen = :zero',
            ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
          },
        });
      }
      const outcome = await transact(db, items);
      if (outcome.ok) return 'created';
      if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'exists';
      if (parentId && outcome.reasons[2] === 'ConditionalCheckFailed') return 'parent-has-budget';
      return 'conflict';
    },
    /** Every project of a year (level-1s each followed by their children). */
    async allOfYear(year: number): Promise<Project[]> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.projectsPartition(year) },
      });
      return items.map((i) => stripKeys<Project>(i));
    },
    /** Every project of a year of one department (level-1s each followed by their children). */
    async ofDepartment(year: number, deptId: string): Promise<Project[]> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.projectsPartition(year), ':prefix': keys.projectsOfDeptPrefix(deptId) },
      });
      return items.map((i) => stripKeys<Project>(i));
    },
    async get(projectId: string): Promise<Project | undefined> {
      const item = await getItem(db, keys.project(projectId));
      return item ? stripKeys<Project>(item) : undefined;
    },
    async getMany(ids: string[]): Promise<Map<string, Project>> {
      const out = new Map<string, Project>();
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
          [db.table]: { Keys: unique.slice(i, i + 100).map((id) => keys.project(id)) },
        };
        while (request && Object.keys(request).length > 0) {
          const res = await db.doc.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of res.Responses?.[db.table] ?? []) {
            const p = stripKeys<Project>(item);
            out.set(p.projectId, p);
          }
          request = res.UnprocessedKeys as typeof request;
        }
      }
      return out;
    },
    async children(parent: Pick<Project, 'year' | 'deptId' | 'projectId'>): Promise<Project[]> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.projectsPartition(parent.year),
          ':prefix': keys.childrenPrefix(parent.deptId, parent.projectId),
        },
      });
      return items.map((i) => stripKeys<Project>(i));
    },
    /** Projects of a year (optionally of one department), level-1s each followed by their children. */
    async page(year: number, deptId: string | undefined, limit: number, nextToken?: string) {
      const input: QueryInput = deptId
        ? {
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.projectsPartition(year), ':prefix': keys.projectsOfDeptPrefix(deptId) },
          }
        : {
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': keys.projectsPartition(year) },
          };
      const page = await queryPage(db, input, limit, nextToken);
      return { items: page.items.map((i) => stripKeys<Project>(i)), nextToken: page.nextToken };
    },
    /** Every project of a year (the year's GSI1 partition, all pages): what a clean-up scan or a funding round reads. */
    async ofYear(year: number): Promise<(Project & { cancellation?: ProjectCancellation })[]> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.projectsPartition(year) },
      });
      return items.map((i) => stripKeys<Project & { cancellation?: ProjectCancellation }>(i));
    },
    /**
     * Cancels a project (SPEC §3.3): status `cancelled` and the cancellation (state pending until
     * its cuts are made), guarded by the version read and by not being cancelled already, with
     * its audit record. From then on no expenditure passes (they require status active).
     */
    async markCancelled(
      p: Pick<Project, 'projectId' | 'version' | 'status'>,
      cancellation: ProjectCancellation,
      audit: AuditEntry,
    ): Promise<'cancelled' | 'conflict'> {
      const out = await transact(db, [
        {
          Update: {
            TableName: db.table,
            Key: keys.project(p.projectId),
            UpdateExpression: 'SET #status = :cancelled, cancellation = :c, updatedAt = :now ADD version :one',
            ConditionExpression: 'attribute_exists(PK) AND version = :v AND #status <> :cancelled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':cancelled': 'cancelled', ':c': cancellation, ':now': cancellation.at, ':one': 1, ':v': p.version },
          },
        },
        auditPut(db, keys.project(p.projectId).PK, audit),
      ]);
      return out.ok ? 'cancelled' : 'conflict';
    },
    /** Marks a pending cancellation done with what it cut (once: guarded by the pending state). */
    async finishCancellation(projectId: string, done: { amountFen: number; deductionIds: string[] }): Promise<void> {
      const out = await transact(db, [
        {
          Update: {
            TableName: db.table,
            Key: keys.project(projectId),
            UpdateExpression: 'SET cancellation.#state = :done, cancellation.amountFen = :amount, cancellation.deductionIds = :ids',
            ConditionExpression: 'cancellation.#state = :pending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':done': 'done', ':pending': 'pending', ':amount': done.amountFen, ':ids': done.deductionIds },
          },
        },
      ]);
      // Not pending any more: a concurrent resume finished it first, with the same figures.
      void out;
    },
  };
}
export type ProjectsRepo = ReturnType<typeof projectsRepo>;
