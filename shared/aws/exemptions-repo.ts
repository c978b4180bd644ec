/**
 * Exemptions (SPEC §3.6) in the table: an exemption by id (one per project and rule), and the
 * exemptions of a year by department (GSI1). A request is put with its audit record; a
 * decision moves it on from `pending` with its audit record and, for an approval, writes the
 * rule onto the project (`exemptRules`), so a job reads it with the project and guards on it.
 */
import type { AuditEntry } from '../domain/audit';
import type { Exemption, ExemptionStatus } from '../domain/exemptions';
import { auditPut } from './audit';
import { type Db, getItem, queryPage, type QueryInput, stripKeys, transact, type TransactItem } from './db';
import { keys } from './keys';

export function exemptionItem(e: Exemption): Record<string, unknown> {
  return { ...keys.exemption(e.exemptionId), ...keys.exemptionYearIndex(e.year, e.deptId, e.exemptionId), entity: 'Exemption', v: 1, ...e };
}

/** The project update an approval makes: the rule joins the project's exemptRules. */
export function exemptProjectUpdate(table: string, projectId: string, rule: string, now: string): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: keys.project(projectId),
      UpdateExpression: 'SET exemptRules = list_append(if_not_exists(exemptRules, :empty), :rules), updatedAt = :now',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':empty': [], ':rules': [rule], ':now': now },
    },
  };
}

export interface ExemptionDecisionWrite {
  exemption: Exemption;
  status: ExemptionStatus;
  decision: NonNullable<Exemption['decision']>;
  at: string;
  audit: AuditEntry;
}

export function exemptionsRepo(db: Db) {
  return {
    async get(id: string): Promise<Exemption | undefined> {
      const item = await getItem(db, keys.exemption(id));
      return item ? stripKeys<Exemption>(item) : undefined;
    },

    /** The request and its audit record; false if one exists already. */
    async create(e: Exemption, audit: AuditEntry): Promise<boolean> {
      const outcome = await transact(db, [
        { Put: { TableName: db.table, Item: exemptionItem(e), ConditionExpression: 'attribute_not_exists(PK)' } },
        auditPut(db, keys.exemption(e.exemptionId).PK, audit),
      ]);
      return outcome.ok;
    },

    /** pending → approved/refused (an approval exempts the project too); false if not pending. */
    async decide(w: ExemptionDecisionWrite): Promise<boolean> {
      const id = w.exemption.exemptionId;
      const items: TransactItem[] = [
        {
          Update: {
            TableName: db.table,
            Key: keys.exemption(id),
            UpdateExpression: 'SET #status = :status, decision = :decision ADD version :one',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': w.status, ':decision': w.decision, ':pending': 'pending', ':one': 1 },
          },
        },
        auditPut(db, keys.exemption(id).PK, w.audit),
      ];
      if (w.status === 'approved') items.push(exemptProjectUpdate(db.table, w.exemption.projectId, w.exemption.rule, w.at));
      return (await transact(db, items)).ok;
    },

    /** Exemptions of a year (GSI1), narrowed to a department by key prefix, a status by filter. */
    async page(q: { year: number; deptId?: string; status?: ExemptionStatus; limit: number; nextToken?: string }) {
      const values: Record<string, unknown> = { ':pk': keys.exemptionsPartition(q.year) };
      let condition = 'GSI1PK = :pk';
      if (q.deptId) {
        condition += ' AND begins_with(GSI1SK, :prefix)';
        values[':prefix'] = `${q.deptId}#`;
      }
      const input: QueryInput = { IndexName: 'GSI1', KeyConditionExpression: condition, ExpressionAttributeValues: values };
      if (q.status) {
        input.FilterExpression = '#status = :status';
        input.ExpressionAttributeNames = { '#status': 'status' };
        values[':status'] = q.status;
      }
      const page = await queryPage<Record<string, unknown>>(db, input, q.limit, q.nextToken);
      return { items: page.items.map((i) => stripKeys<Exemption>(i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  };
}
export type ExemptionsRepo = ReturnType<typeof exemptionsRepo>;
