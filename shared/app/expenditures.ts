/**
 * Expenditures: idempotent by (project, expenditureId). The expenditure item and the project's
 * spending move in one transaction; the project update is guarded by the budget and spending
 * it was checked against, so a concurrent payment or deduction can never push spending above
 * the budget. The immutable expenditure item (who, when, what) is its own audit record.
 */
import { assertWriteDepartment, type Principal } from '../domain/access';
import { ConflictError } from '../domain/errors';
import type { Expenditure } from '../domain/expenditure';
import { progressBp } from '../domain/money';
import { checkExpenditure, type ExpenditureInput } from '../domain/project';
import type { AppDeps } from './context';
import { requestHash } from './ports';
import { readableProject } from './projects';
export type { ExpendituresRepo } from './expenditures/ports';

export type { Expenditure } from '../domain/expenditure';

const MAX_ATTEMPTS = 5;

export async function recordExpenditure(deps: AppDeps, actor: Principal, projectId: string, input: ExpenditureInput) {
  const hash = requestHash(input);
  for (let attempt = 1; ; attempt++) {
    const project = await readableProject(deps, actor, projectId);
    assertWriteDepartment(actor, project.deptId);
    try {
      checkExpenditure(project, input);
    } catch (error) {
      // A replay of an expenditure already booked answers as the first time, even when the
      // project has since moved on (spent up, suspended) in a way that would refuse it now.
      const first = await deps.repos.expenditures.get(projectId, input.expenditureId);
      if (first) return replayed(deps, actor, projectId, first, hash);
      throw error;
    }

    const signed = input.kind === 'payment' ? input.amountFen : -input.amountFen;
    const now = deps.clock.now().toISOString();
    const expenditure: Expenditure = { ...input, projectId, createdAt: now, createdBy: actor.sub, requestHash: hash };
    const outcome = await deps.repos.expenditures.record(expenditure, project);
    if (outcome.outcome === 'recorded') {
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
    if (outcome.outcome === 'exists') return replayed(deps, actor, projectId, outcome.first, hash);
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
  const items = await deps.repos.expenditures.list(projectId);
  items.sort((a, b) => (a.date === b.date ? a.createdAt.localeCompare(b.createdAt) : a.date.localeCompare(b.date)));
  return { items: items.map(view) };
}

function view(e: Expenditure) {
  const { requestHash: _hash, ...rest } = e;
  return rest;
}
