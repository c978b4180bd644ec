/**
 * The `reminders` job (SPEC §4, §5): scheduled daily; it applies on each monitoring checkpoint
 * minus notifications.reminderDays [06-23, 09-23]. Every department that has leaf projects
 * (not cancelled) without a report for the upcoming checkpoint gets one email listing them.
 *
 * Once per checkpoint and department: the department's line has a deterministic id
 * (`reminder~MM-DD`) written with attribute_not_exists, so a rerun (or a concurrent run) finds
 * it and the runner's seal finds nothing new to send.
 */
import { isLeaf } from '../../domain/project';
import { reminderLine } from '../../domain/email-lines';
import { reminderCheckpoint, reminderDates } from '../../domain/rules/monitoring';
import type { JobContext, JobDefinition, JobSummary } from './types';
import { evaluationReminderDates, isEvaluationReminderDate, runEvaluationReminders } from '../evaluations/reminders';

export async function runReminders(ctx: JobContext): Promise<JobSummary> {
  if (isEvaluationReminderDate(ctx.policy, ctx.asOf)) return runEvaluationReminders(ctx);
  const { deps, year } = ctx;
  const cp = reminderCheckpoint(ctx.policy, ctx.asOf);
  if (!cp) throw new Error(`${ctx.asOf} is not a reminder date of ${year}`);
  const checkpointDate = `${year}-${cp.date}`;
  const repo = deps.repos.monitoring;
  if (await repo.isClosed(year, cp.date)) {
    return { checkpoint: checkpointDate, closed: true, projects: 0, missing: 0, departments: 0, reminded: 0 };
  }
  // The index is eventually consistent: a report filed in the last second may be missed, and its
  // department reminded once too many — harmless, unlike a Scan.
  const reported = await repo.reportedProjects(year, cp.date);
  const missing = new Map<string, { projectId: string; name: string }[]>();
  let projects = 0;
  await deps.repos.leaves.forEach(year, ctx.concurrency, async (p) => {
    if (!isLeaf(p) || p.status === 'cancelled') return;
    projects++;
    if (reported.has(p.projectId)) return;
    missing.set(p.deptId, [...(missing.get(p.deptId) ?? []), { projectId: p.projectId, name: p.name }]);
  });

  let reminded = 0;
  let already = 0;
  for (const [deptId, list] of [...missing].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => (a.projectId < b.projectId ? -1 : 1));
    if (await deps.repos.outbox.putLine(ctx.outboxGroup, deptId, `reminder~${cp.date}`, reminderLine(checkpointDate, list))) reminded++;
    else already++;
  }
  return {
    checkpoint: checkpointDate,
    projects,
    missing: [...missing.values()].reduce((s, l) => s + l.length, 0),
    departments: missing.size,
    reminded,
    alreadyReminded: already,
  };
}

export const remindersJob: JobDefinition = {
  name: 'reminders',
  title: '绩效运行监控表填报提醒',
  dates: (policy, year) => [...reminderDates(policy, year), ...evaluationReminderDates(policy, year)].sort(),
  run: (ctx) => runReminders(ctx),
};
