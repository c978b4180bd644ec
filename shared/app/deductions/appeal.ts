/** A department appeals a deduction of its own, by the deadline (SPEC §2). */
import type { Principal } from '../../domain/access';
import { assertAppealable, deadlineOf } from '../../domain/appeals';
import { shanghaiDate } from '../../domain/dates';
import { ConflictError } from '../../domain/errors';
import type { AppDeps } from '../context';
import { yearPolicy } from '../policies';
import { deductionView, readableDeduction } from './reads';

export async function appealDeduction(deps: AppDeps, actor: Principal, id: string, input: { reason: string }) {
  const d = await readableDeduction(deps, actor, id);
  if (d.status === 'appealed' && d.appeal?.reason === input.reason && d.appeal.by === actor.sub) return deductionView(d);
  const nowDate = deps.clock.now();
  const today = shanghaiDate(nowDate);
  const policy = d.appealDeadline ? undefined : await yearPolicy(deps.repos.policies, d.year);
  const deadline = deadlineOf(d, shanghaiDate(d.createdAt), policy?.notifications.appealDays ?? 0);
  assertAppealable(d, today, deadline);
  const now = nowDate.toISOString();
  const appeal = { reason: input.reason, at: now, by: actor.sub, deadline };
  const appealed = await deps.repos.ledger.appeal(id, appeal, { auditId: deps.ids.next(), actor: actor.sub, at: now });
  if (!appealed) {
    const again = await readableDeduction(deps, actor, id);
    if (again.status === 'appealed' && again.appeal?.reason === input.reason && again.appeal.by === actor.sub) return deductionView(again);
    throw new ConflictError('ILLEGAL_TRANSITION', `The deduction is ${again.status}`, { status: again.status });
  }
  return deductionView({ ...d, status: 'appealed', appeal });
}
