import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Department } from '../domain/department';
import { type Db, getItem, queryAll } from './db';
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
