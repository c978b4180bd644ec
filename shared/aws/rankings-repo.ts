/**
 * Department rankings (SPEC §3.2): one item per department and year beside the department
 * (`DEPT#id / RANK#year`), in the year's GSI1 partition so a round reads every department's
 * order in one query; each change is guarded by the version it replaces and audited.
 */
import type { AuditEntry } from '../domain/audit';
import type { DepartmentRanking } from '../domain/front';
import { auditPut } from './audit';
import { type Db, getItem, queryAll, stripKeys, transact } from './db';
import { keys } from './keys';

export function rankingsRepo(db: Db) {
  return {
    async get(deptId: string, year: number): Promise<DepartmentRanking | undefined> {
      const item = await getItem(db, keys.departmentRanking(deptId, year));
      return item ? stripKeys<DepartmentRanking>(item) : undefined;
    },
    async ofYear(year: number): Promise<DepartmentRanking[]> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.departmentRankingsPartition(year) },
      });
      return items.map((i) => stripKeys<DepartmentRanking>(i));
    },
    async save(r: DepartmentRanking, previousVersion: number, audit: AuditEntry): Promise<'saved' | 'conflict'> {
      const out = await transact(db, [
        {
          Put: {
            TableName: db.table,
            Item: { ...keys.departmentRanking(r.deptId, r.year), ...keys.departmentRankingIndex(r.year, r.deptId), entity: 'DepartmentRanking', v: 1, ...r },
            ConditionExpression: previousVersion === 0 ? 'attribute_not_exists(PK)' : 'version = :prev',
            ...(previousVersion === 0 ? {} : { ExpressionAttributeValues: { ':prev': previousVersion } }),
          },
        },
        auditPut(db, keys.departmentRanking(r.deptId, r.year).PK, audit),
      ]);
      return out.ok ? 'saved' : 'conflict';
    },
  };
}
export type RankingsRepo = ReturnType<typeof rankingsRepo>;
