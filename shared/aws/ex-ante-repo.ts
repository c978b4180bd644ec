/**
 * Ex-ante assessments (SPEC §3.1): the current one at `PROJ#id / EXANTE` (what target approval
 * reads through the ExAnteAssessments seam of shared/app/targets.ts) and every version, immutable,
 * at `PROJ#id / EXANTE#V#000001`, with its audit record, all in one transaction guarded by the
 * version it replaces.
 */
import type { AuditEntry } from '../domain/audit';
import type { ExAnteAssessmentRecord } from '../domain/front';
import { auditPut } from './audit';
import { batchGetAll, type Db, getItem, queryAll, stripKeys, transact } from './db';
import { keys } from './keys';

const ENTITY = 'ExAnteAssessment';

function currentItem(a: ExAnteAssessmentRecord) {
  return { ...keys.exAnteAssessment(a.projectId), entity: ENTITY, v: 1, ...a };
}

export function exAnteRepo(db: Db) {
  return {
    async get(projectId: string): Promise<ExAnteAssessmentRecord | undefined> {
      const item = await getItem(db, keys.exAnteAssessment(projectId));
      return item ? stripKeys<ExAnteAssessmentRecord>(item) : undefined;
    },
    /** The seam target approval reads (SPEC §3.1): the current assessment, if any. */
    async find(projectId: string): Promise<ExAnteAssessmentRecord | undefined> {
      const item = await getItem(db, keys.exAnteAssessment(projectId));
      return item ? stripKeys<ExAnteAssessmentRecord>(item) : undefined;
    },
    async getMany(projectIds: string[]): Promise<Map<string, ExAnteAssessmentRecord>> {
      const items = await batchGetAll(
        db,
        [...new Set(projectIds)].map((id) => keys.exAnteAssessment(id)),
      );
      return new Map(items.map((i) => stripKeys<ExAnteAssessmentRecord>(i)).map((a) => [a.projectId, a]));
    },
    async versions(projectId: string): Promise<ExAnteAssessmentRecord[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.project(projectId).PK, ':prefix': keys.exAnteVersionsPrefix() },
      });
      return items.map((i) => stripKeys<ExAnteAssessmentRecord>(i));
    },
    /** 'conflict' when another version was written since `previousVersion` was read. */
    async save(a: ExAnteAssessmentRecord, previousVersion: number, audit: AuditEntry): Promise<'saved' | 'conflict'> {
      const out = await transact(db, [
        {
          Put: {
            TableName: db.table,
            Item: currentItem(a),
            ConditionExpression: previousVersion === 0 ? 'attribute_not_exists(PK)' : 'version = :prev',
            ...(previousVersion === 0 ? {} : { ExpressionAttributeValues: { ':prev': previousVersion } }),
          },
        },
        {
          Put: {
            TableName: db.table,
            Item: { ...keys.exAnteVersion(a.projectId, a.version), entity: 'ExAnteAssessmentVersion', v: 1, ...a },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        auditPut(db, keys.project(a.projectId).PK, audit),
      ]);
      return out.ok ? 'saved' : 'conflict';
    },
    /** The item a bulk load writes for the current assessment (demo seed). */
    item: currentItem,
  };
}
export type ExAnteRepo = ReturnType<typeof exAnteRepo>;
