/**
 * POST /v1/evaluations/{evaluationId}/finalize (SPEC §3.10): the performance office records the
 * findings and the suggestions, each addressed to a department with a due date [policy
 * keyEvaluation.rectificationDays after today]; the score is the mean of the experts' weighted
 * scores. One transaction writes the evaluation and its suggestions; each department is emailed
 * its suggestions.
 */
import type { Principal } from '../../domain/access';
import { addDays, shanghaiDate } from '../../domain/dates';
import { ConflictError, type FieldProblem, NotFoundError, ValidationError } from '../../domain/errors';
import type { FinalizeBody, StoredKeyEvaluation, StoredSuggestion } from '../../domain/evaluations';
import { keyEvaluationScore } from '../../domain/rules/key-evaluation';
import type { AppDeps } from '../context';
import { evaluationView } from './common';

async function suggestionProblems(deps: AppDeps, body: FinalizeBody): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const ids = new Set<string>();
  for (const [i, s] of body.suggestions.entries()) {
    if (ids.has(s.suggestionId)) problems.push({ path: `body.suggestions[${i}].suggestionId`, message: 'given twice' });
    ids.add(s.suggestionId);
    if (!(await deps.repos.evaluationSources.departmentName(s.deptId)))
      problems.push({ path: `body.suggestions[${i}].deptId`, message: `no department ${s.deptId}` });
    if (await deps.repos.suggestions.get(s.suggestionId))
      problems.push({ path: `body.suggestions[${i}].suggestionId`, message: `a suggestion ${s.suggestionId} already exists` });
  }
  return problems;
}

export async function finalizeEvaluation(deps: AppDeps, actor: Principal, evaluationId: string, body: FinalizeBody, appUrl?: string) {
  const repo = deps.repos.keyEvaluations;
  const e = await repo.get(evaluationId);
  if (!e) throw new NotFoundError(`No evaluation ${evaluationId}`);
  if (e.status === 'finalized')
    throw new ConflictError('EVALUATION_FINALIZED', '评价已完成 (the evaluation is already finalized)', { scoreCp: e.scoreCp ?? null, grade: e.grade ?? null });
  const problems = await suggestionProblems(deps, body);
  if (problems.length > 0) throw new ValidationError(problems);
  const policy = await deps.repos.evaluationSources.policy(e.year);
  const scores = await repo.scores(evaluationId);
  const score = keyEvaluationScore(scores, policy.keyEvaluation, policy.selfEvaluation.grades);
  if (score.outcome === 'unscored') throw new ConflictError('NOT_SCORED', '尚无专家打分，不能完成评价 (no expert has scored it yet)');
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = shanghaiDate(now);
  const suggestions: StoredSuggestion[] = body.suggestions.map((s) => ({
    suggestionId: s.suggestionId,
    evaluationId,
    year: e.year,
    deptId: s.deptId,
    text: s.text,
    dueDate: s.dueDate ?? addDays(today, policy.keyEvaluation.rectificationDays),
    status: 'open',
    rev: 1,
    history: [{ status: 'open', note: s.text, at, by: actor.sub }],
    createdAt: at,
  }));
  const next: StoredKeyEvaluation = {
    ...e,
    status: 'finalized',
    rev: e.rev + 1,
    findings: body.findings,
    suggestionIds: suggestions.map((s) => s.suggestionId),
    scoreCp: score.scoreCp,
    grade: score.grade,
    finalizedAt: at,
  };
  const out = await repo.finalize(next, e.rev, suggestions, {
    auditId: deps.ids.next(),
    entityType: 'KeyEvaluation',
    entityId: evaluationId,
    action: 'evaluation.finalized',
    actor: actor.sub,
    at,
    before: { status: e.status },
    after: { status: 'finalized', scoreCp: score.scoreCp, grade: score.grade, experts: score.experts, suggestions: suggestions.length },
  });
  if (out === 'conflict') throw new ConflictError('CONCURRENT_UPDATE', 'The evaluation changed while this request ran; try again');
  await tellDepartments(deps, next, suggestions, now, appUrl);
  return { ...evaluationView(next, actor), perExpert: score.perExpert, suggestions };
}

async function tellDepartments(deps: AppDeps, e: StoredKeyEvaluation, suggestions: StoredSuggestion[], now: Date, appUrl?: string) {
  if (suggestions.length === 0) return;
  const group = `evaluation-finalized~${e.evaluationId}`;
  const sources = deps.repos.evaluationSources;
  for (const s of suggestions) {
    await sources.notify(group, s.deptId, `SUGGESTION~${s.suggestionId}`, {
      kind: 'notice',
      title: '重点评价整改建议',
      subject: e.title,
      subjectId: e.evaluationId,
      details: [
        `评价结果：${((e.scoreCp ?? 0) / 100).toFixed(2)} 分，${e.grade}`,
        `整改建议（${s.suggestionId}）：${s.text}`,
        `请于 ${s.dueDate} 前完成整改并在系统中报告。`,
      ],
    });
  }
  await sources.seal(group, `${shanghaiDate(now)} 重点评价结果`, now, appUrl);
}
