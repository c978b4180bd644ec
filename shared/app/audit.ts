/** Reading the audit log: the history of one entity, newest first. */
import { queryPage } from '../aws/db';
import { keys } from '../aws/keys';
import { stripKeys } from '../aws/projects-repo';
import type { AppDeps } from './context';

export const AUDITED_ENTITIES = {
  department: (id: string) => keys.department(id).PK,
  project: (id: string) => keys.project(id).PK,
  policy: (id: string) => keys.policy(Number(id)).PK,
  deduction: (id: string) => keys.deduction(id).PK,
  carryover: (id: string) => keys.idleRecord('carryover', id).PK,
  payable: (id: string) => keys.idleRecord('payable', id).PK,
  account: (id: string) => keys.idleRecord('account', id).PK,
  exemption: (id: string) => keys.exemption(id).PK,
} as const;

export type AuditedEntity = keyof typeof AUDITED_ENTITIES;

export async function auditTrail(deps: AppDeps, entity: AuditedEntity, id: string, limit: number, nextToken?: string) {
  const page = await queryPage(
    deps.db,
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': AUDITED_ENTITIES[entity](id), ':prefix': keys.auditPrefix() },
      ScanIndexForward: false,
    },
    limit,
    nextToken,
  );
  return { items: page.items.map((i) => stripKeys(i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
