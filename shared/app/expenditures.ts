/**
 * Expenditures: idempotent by (project, expenditureId). The expenditure item and the project's
 * spending move in one transaction; the project update is guarded by the budget and spending
 * it was checked against, so a concurrent payment or deduction can never push spending above
 * the budget. The immutable expenditure item (who, when, what) is its own audit record.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getItem, transact } from '../aws/db';
import { keys } from '../aws/keys';
import { stripKeys } from '../aws/projects-repo';
import { assertWriteDepartment, type Principal } from '../domain/access';
import { ConflictError } from '../domain/errors';
import { progressBp } from '../domain/money';
import { checkExpenditure, type ExpenditureInput } from '../domain/project';
import type { AppDeps } from './context';
import { requestHash } from './ports';
import { readableProject } from './projects';

export interface Expenditure extends ExpenditureInput {
  projectId: string;
  createdAt: string;
  createdBy: string;
  requestHash: string;
}

const MAX_ATTEMPTS = 5;

export async function recordExpenditure(deps: AppDeps, actor: Principal, projectId: string, input: ExpenditureInput) {
  const hash = requestHash(input);
  for (let attempt = 1; ; attempt++) {
    const project = await readableProject(deps, actor, projectId);
    assertWriteDepartment(actor, project.deptId);
    const key = keys.expenditure(projectId, input.expenditureId);
    try {
      checkExpenditure(project, input);
    } catch (error) {
      // A replay of an expenditure already booked answers as the first time, even when the
      // project has since moved on (spent up, suspended) in a way that would refuse it now.
      const first = await getItem(deps.db, key);
      if (first) return replayed(deps, actor, projectId, stripKeys<Expenditure>(first), hash);
      throw error;
    }

    const signed = input.kind === 'payment' ? input.amountFen : -input.amountFen;
    const now = deps.clock.now().toISOString();
    const expenditure: Expenditure = { ...input, projectId, createdAt: now, createdBy: actor.sub, requestHash: hash };
    const outcome = await transact(deps.db, [
      {
        Put: {
          TableName: deps.db.table,
          Item: { ...key, entity: 'Expenditure', v: 1, ...expenditure },
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Update: {
          TableName: deps.db.table,
          Key: keys.project(projectId),
          UpdateExpression: 'SET spentFen = spentFen + :signed, spentByDay.#day = if_not_exists(spentByDay.#day, :zero) + :signed, updatedAt = :now',
          // Guarded by the budget it was checked against and by room for the amount, not by the
          // exact spending read: concurrent payments that all fit go through without retries.
          ConditionExpression:
            input.kind === 'payment'
              ? '#status = :active AND budgetFen = :budget AND spentFen <= :limit'
              : '#status = :active AND budgetFen = :budget AND spentFen >= :limit',
          ExpressionAttributeNames: { '#status': 'status', '#day': input.date },
          ExpressionAttributeValues: {
            ':signed': signed,
            ':zero': 0,
            ':now': now,
            ':active': 'active',
            ':budget': project.budgetFen,
            ':limit': input.kind === 'payment' ? project.budgetFen - input.amountFen : input.amountFen,
          },
        },
      },
    ]);
    if (outcome.ok) {
      // What this payment added to what was read; concurrent payments may have added more.
      const spentFen = project.spentFen + signed;
      return {
        status: 201,
        body: {
          ...view(expenditure),
          project: { projectId, budgetFen: project.budgetFen, spentFen, progressBp: progressBp(spentFen, project.budgetFen) },
        },
      };
    }
    const old = outcome.oldItems[0];
    if (outcome.reasons[0] === 'ConditionalCheckFailed' && old) {
      return replayed(deps, actor, projectId, stripKeys<Expenditure>(old), hash);
    }
    // The project moved under us (another payment, a deduction, a suspension): check again.
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('CONCURRENT_UPDATE', 'The project is changing too fast; try again');
  }
}

async function replayed(deps: AppDeps, actor: Principal, projectId: string, first: Expenditure, hash: string) {
  if (first.requestHash !== hash) {
    throw new ConflictError('ID_CONFLICT', `Expenditure ${first.expenditureId} was recorded with a different body`);
  }
  const current = await readableProject(deps, actor, projectId);
  return {
    status: 200,
    body: {
      ...view(first),
      project: { projectId, budgetFen: current.budgetFen, spentFen: current.spentFen, progressBp: progressBp(current.spentFen, current.budgetFen) },
    },
  };
}

export async function listExpenditures(deps: AppDeps, actor: Principal, projectId: string) {
  await readableProject(deps, actor, projectId);
  const items: Expenditure[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await deps.db.doc.send(
      new QueryCommand({
        TableName: deps.db.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.project(projectId).PK, ':prefix': keys.expenditurePrefix() },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(res.Items ?? []).map((i) => stripKeys<Expenditure>(i)));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  items.sort((a, b) => (a.date === b.date ? a.createdAt.localeCompare(b.createdAt) : a.date.localeCompare(b.date)));
  return { items: items.map(view) };
}

function view(e: Expenditure) {
  const { requestHash: _hash, ...rest } = e;
  return rest;
}
