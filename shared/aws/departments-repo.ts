import { PutCommand } from '@jixiao/aws-sdk';
import type { AuditEntry } from '../domain/audit';
import type { Department } from '../domain/department';
import { auditPut } from './audit';
import { countQuery, type Db, getItem, queryAll, transact } from './db';
import { keys } from './keys';

const strip = ({ PK, SK, GSI1PK, GSI1SK, entity, v, ...rest }: Record<string, unknown>) => rest as unknown as Department;

export function departmentsRepo(db: Db) {
  return {
    async get(deptId: string): Promise<Department | undefined> {
      const item = await getItem(db, keys.department(deptId));
      return item ? strip(item) : undefined;
    },
    async list(): Promise<Department[]> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.departmentsPartition() },
      });
      return items.map(strip);
    },
    /** How many departments there are (a COUNT query). */
    count(): Promise<number> {
      return countQuery(db, { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': keys.departmentsPartition() } });
    },
    /** Writes a department guarded by the version read (none: it must not exist), with its audit record. */
    async put(d: Department, currentVersion: number | undefined, audit: AuditEntry): Promise<boolean> {
      const outcome = await transact(db, [
        {
          Put: {
            TableName: db.table,
            Item: this.item(d),
            ConditionExpression: currentVersion !== undefined ? 'version = :v' : 'attribute_not_exists(PK)',
            ExpressionAttributeValues: currentVersion !== undefined ? { ':v': currentVersion } : undefined,
          },
        },
        auditPut(db, keys.department(d.deptId).PK, audit),
      ]);
      return outcome.ok;
    },
    /** The item to write for a department, for a transaction with its audit record. */
    item(d: Department) {
      return { ...keys.department(d.deptId), ...keys.departmentIndex(d.deptId), entity: 'Department', v: 1, ...d };
    },
    async putPlain(d: Department): Promise<void> {
      await db.doc.send(new PutCommand({ TableName: db.table, Item: this.item(d) }));
    },
  };
}
export type DepartmentsRepo = ReturnType<typeof departmentsRepo>;
