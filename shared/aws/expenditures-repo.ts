/**
 * Expenditures beside their project (`PROJ#id / EXP#expenditureId`), immutable. Recording one
 * is one transaction: the expenditure (attribute_not_exists, ALL_OLD back on a replay) and the
 * project's spending, guarded by the budget it was checked against and by room for the amount
 * (not by the exact spending read, so concurrent payments that all fit go through).
 */
import type { Expenditure } from '../domain/expenditure';
import { type Db, getItem, queryAll, stripKeys, transact } from './db';
import { keys } from './keys';

export type RecordOutcome = { outcome: 'recorded' } | { outcome: 'exists'; first: Expenditure } | { outcome: 'project-moved' };

export function expendituresRepo(db: Db) {
  return {
    async get(projectId: string, expenditureId: string): Promise<Expenditure | undefined> {
      const item = await getItem(db, keys.expenditure(projectId, expenditureId));
      return item ? stripKeys<Expenditure>(item) : undefined;
    },
    /** Every expenditure of a project, in key order. */
    async list(projectId: string): Promise<Expenditure[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.project(projectId).PK, ':prefix': keys.expenditurePrefix() },
      });
      return items.map((i) => stripKeys<Expenditure>(i));
    },
    /** Books `e` against the project as read (`budgetFen`); see the module comment for the guard. */
    async record(e: Expenditure, project: { budgetFen: number }): Promise<RecordOutcome> {
      const signed = e.kind === 'payment' ? e.amountFen : -e.amountFen;
      const outcome = await transact(db, [
        {
          Put: {
            TableName: db.table,
            Item: { ...keys.expenditure(e.projectId, e.expenditureId), entity: 'Expenditure', v: 1, ...e },
            ConditionExpression: 'attribute_not_exists(PK)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Update: {
            TableName: db.table,
            Key: keys.project(e.projectId),
            UpdateExpression: 'SET spentFen = spentFen + :signed, spentByDay.#day = if_not_exists(spentByDay.#day, :zero) + :signed, updatedAt = :now',
            ConditionExpression:
              e.kind === 'payment'
                ? '#status = :active AND budgetFen = :budget AND spentFen <= :limit'
                : '#status = :active AND budgetFen = :budget AND spentFen >= :limit',
            ExpressionAttributeNames: { '#status': 'status', '#day': e.date },
            ExpressionAttributeValues: {
              ':signed': signed,
              ':zero': 0,
              ':now': e.createdAt,
              ':active': 'active',
              ':budget': project.budgetFen,
              ':limit': e.kind === 'payment' ? project.budgetFen - e.amountFen : e.amountFen,
            },
          },
        },
      ]);
      if (outcome.ok) return { outcome: 'recorded' };
      const old = outcome.oldItems[0];
      if (outcome.reasons[0] === 'ConditionalCheckFailed' && old) return { outcome: 'exists', first: stripKeys<Expenditure>(old) };
      return { outcome: 'project-moved' };
    },
  };
}
