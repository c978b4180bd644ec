/**
 * Rectification (整改, SPEC §3.10): the department reports progress on a suggestion addressed
 * to it (open → in-progress → done); the performance office accepts done or reopens it.
 * Every step is kept in the suggestion's history and audited.
 */
import { assertWriteDepartment, canReadDepartment, type Principal, scopeDepartment } from '../../domain/access';
import { shanghaiDate } from '../../domain/dates';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { isOverdue, rectificationTransition, type StoredSuggestion } from '../../domain/evaluations';
import type { AppDeps } from '../context';

async function readable(deps: AppDeps, actor: Principal, suggestionId: string): Promise<StoredSuggestion> {
  const s = await deps.repos.suggestions.get(suggestionId);
  if (!s || !canReadDepartment(actor, s.deptId)) throw new NotFoundError(`No suggestion ${suggestionId}`);
  return s;
}

async function move(deps: AppDeps, actor: Principal, s: StoredSuggestion, action: 'in-progress' | 'done' | 'accept' | 'reopen', note: string) {
  const status = rectificationTransition(s.status, action);
  const at = deps.clock.now().toISOString();
  const next: StoredSuggestion = { ...s, status, rev: s.rev + 1, history: [...s.history, { status, note, at, by: actor.sub }] };
  const out = await deps.repos.suggestions.update(next, s.rev, {
    auditId: deps.ids.next(),
    entityType: 'Suggestion',
    entityId: s.suggestionId,
    action: `suggestion.${action}`,
    actor: actor.sub,
    at,
    before: { status: s.status },
    after: { status, note },
  });
  if (out === 'conflict') throw new ConflictError('CONCURRENT_UPDATE', 'The suggestion changed while this request ran; try again');
  return view(next, shanghaiDate(at));
}

export const view = (s: StoredSuggestion, today: string) => {
  const { rev: _rev, ...rest } = s;
  return { ...rest, overdue: isOverdue(s, today) };
};

export async function reportRectification(deps: AppDeps, actor: Principal, suggestionId: string, body: { status: 'in-progress' | 'done'; note: string }) {
  const s = await readable(deps, actor, suggestionId);
  assertWriteDepartment(actor, s.deptId);
  return move(deps, actor, s, body.status, body.note);
}

export async function reviewRectification(deps: AppDeps, actor: Principal, suggestionId: string, body: { decision: 'accept' | 'reopen'; comment: string }) {
  const s = await readable(deps, actor, suggestionId);
  return move(deps, actor, s, body.decision, body.comment);
}

export async function listSuggestions(deps: AppDeps, actor: Principal, q: { year: number; deptId?: string }) {
  const deptId = scopeDepartment(actor, q.deptId);
  const today = shanghaiDate(deps.clock.now());
  const items = (await deps.repos.suggestions.list(q.year, deptId)).map((s) => view(s, today));
  return { items, total: items.length, overdue: items.filter((s) => s.overdue).length };
}
