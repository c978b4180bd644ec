/**
 * The evaluation part of the daily `reminders` job (SPEC §4, §5: "also self-evaluations due
 * after year end"). On the policy's selfEvaluation.dueDate [04-30] of year Y, every department
 * with leaf projects of Y − 1 that have an approved target but no submitted self-evaluation
 * gets one email listing them, together with its overdue rectifications (suggestions of the
 * last three years still open or in progress after their due date): the department's digest.
 * Lines have deterministic ids per as-of date, so a rerun sends nothing twice.
 */
import type { EmailLine } from '../../domain/email';
import { isOverdue } from '../../domain/evaluations';
import type { Policy } from '../../domain/policy';
import { isLeaf } from '../../domain/project';
import type { JobContext, JobSummary } from '../jobs/types';

export function evaluationReminderDates(policy: Pick<Policy, 'selfEvaluation'>, year: number): string[] {
  return [`${year}-${policy.selfEvaluation.dueDate}`];
}

export const isEvaluationReminderDate = (policy: Pick<Policy, 'selfEvaluation'>, asOf: string) =>
  evaluationReminderDates(policy, Number(asOf.slice(0, 4))).includes(asOf);

const SUBMITTED = new Set(['submitted', 'finance-confirmed', 'confirmed']);
const MAX_LISTED = 30;

async function unsubmitted(ctx: JobContext, year: number): Promise<Map<string, string[]>> {
  const { repos } = ctx.deps;
  const [leaves, evaluations] = await Promise.all([repos.evaluationSources.leaves(year), repos.selfEvaluations.list(year)]);
  const status = new Map(evaluations.map((e) => [e.projectId, e.status]));
  const targets = new Map<string, boolean>();
  const approved = async (id: string) => {
    if (!targets.has(id)) targets.set(id, (await repos.evaluationSources.target(id))?.status === 'approved');
    return targets.get(id) as boolean;
  };
  const out = new Map<string, string[]>();
  for (const p of leaves) {
    if (!isLeaf(p) || p.status === 'cancelled' || SUBMITTED.has(status.get(p.projectId) ?? '')) continue;
    if (!(await approved(p.projectId)) && !(p.parentId && (await approved(p.parentId)))) continue;
    out.set(p.deptId, [...(out.get(p.deptId) ?? []), `${p.name}（${p.projectId}）${status.has(p.projectId) ? `：${status.get(p.projectId)}` : '：未填报'}`]);
  }
  return out;
}

export async function runEvaluationReminders(ctx: JobContext): Promise<JobSummary> {
  const year = ctx.year - 1;
  const sources = ctx.deps.repos.evaluationSources;
  const missing = await unsubmitted(ctx, year);
  const overdue = new Map<string, string[]>();
  for (const y of [ctx.year - 2, ctx.year - 1, ctx.year]) {
    for (const s of await ctx.deps.repos.suggestions.list(y)) {
      if (isOverdue(s, ctx.asOf))
        overdue.set(s.deptId, [
          ...(overdue.get(s.deptId) ?? []),
          `${s.suggestionId}（${s.evaluationId}）：${s.text}，应于 ${s.dueDate} 前完成，当前 ${s.status}`,
        ]);
    }
  }
  const line = (title: string, subject: string, list: string[]): EmailLine => ({
    kind: 'notice',
    title,
    subject,
    details: [...list.slice(0, MAX_LISTED), ...(list.length > MAX_LISTED ? [`……共 ${list.length} 项`] : [])],
  });
  for (const [deptId, list] of missing) {
    await sources.notify(
      ctx.outboxGroup,
      deptId,
      `SELFEVAL_DUE~${ctx.asOf}`,
      line('绩效自评提交提醒', `${year} 年度绩效自评截止 ${ctx.asOf}，以下 ${list.length} 个项目尚未提交`, list),
    );
  }
  for (const [deptId, list] of overdue) {
    await sources.notify(ctx.outboxGroup, deptId, `RECTIFY_OVERDUE~${ctx.asOf}`, line('整改逾期提醒', `以下 ${list.length} 条评价整改建议已逾期`, list));
  }
  return {
    selfEvaluationYear: year,
    dueDate: ctx.asOf,
    unsubmitted: [...missing.values()].reduce((s, l) => s + l.length, 0),
    overdueRectifications: [...overdue.values()].reduce((s, l) => s + l.length, 0),
    departments: new Set([...missing.keys(), ...overdue.keys()]).size,
    reminded: new Set([...missing.keys(), ...overdue.keys()]).size,
  };
}
