/**
 * GET /v1/inbox: what waits for the caller in a year, computed from what is stored, through the
 * areas' own read use cases (no query of its own: when an area moves to its repository, the
 * inbox follows). Each source is read in pages up to READ_CAP rows; past that `truncated`
 * says the list is not whole. It is the console's home page, so it reads only what its lines
 * show: targets by status key (a department's by its key prefix, their states without the
 * indicators, no counts), the ledger's entries in the one status a line needs (a filter), all
 * sources at once.
 *
 * - department: its targets to fill (no target yet, or a draft) or revise (returned), and its
 *   deductions still inside their appeal window (due: the appeal deadline);
 * - finance: targets submitted and awaiting review;
 * - performance: the same, plus pending exemptions (due: the rule's checkpoint), appealed
 *   deductions to decide and failed job runs;
 * - expert: nothing yet (the evaluations area has not landed).
 */
import { hasRole, type Principal } from '../../domain/access';
import { deadlineOf } from '../../domain/appeals';
import { shanghaiDate } from '../../domain/dates';
import type { Deduction } from '../../domain/ledger';
import { TARGET_STATUSES, type TargetStatus } from '../../domain/targets';
import { listDeductions } from '../deductions';
import { listExemptions } from '../exemptions';
import { JOB_NAMES, listRuns } from '../jobs/runs';
import { yearPolicy } from '../policies';
import { listProjects } from '../projects';
import { type TargetDeps, targetStates } from '../targets';
import { countByKind, deductionLine, type InboxItem, line, sortInbox, type TargetRow, targetLine } from './items';

/** Rows read per source at most: an inbox is a list of things to do, not a report. */
export const READ_CAP = 2000;
const PAGE = 500;

type Page<T> = { items: T[]; nextToken?: string };

interface Collected<T> {
  items: T[];
  truncated: boolean;
}

async function collect<T>(read: (limit: number, nextToken?: string) => Promise<Page<T>>): Promise<Collected<T>> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await read(PAGE, token);
    items.push(...page.items);
    token = page.nextToken;
  } while (token && items.length < READ_CAP);
  return { items, truncated: token !== undefined };
}

interface Acc {
  items: InboxItem[];
  truncated: boolean;
}

const add = <T>(acc: Acc, got: Collected<T>, map: (row: T) => InboxItem | undefined) => {
  for (const row of got.items) {
    const item = map(row);
    if (item) acc.items.push(item);
  }
  acc.truncated ||= got.truncated;
};

const targetsIn = (deps: TargetDeps, actor: Principal, year: number, status: TargetStatus) =>
  collect((limit, nextToken) => targetStates(deps, actor, { year, status, limit, nextToken }) as Promise<Page<TargetRow>>);

/** A department's targets in every status: one key-prefix query per status, at once. */
async function allTargets(deps: TargetDeps, actor: Principal, year: number): Promise<Collected<TargetRow>> {
  const each = await Promise.all(TARGET_STATUSES.map((status) => targetsIn(deps, actor, year, status)));
  return { items: each.flatMap((c) => c.items), truncated: each.some((c) => c.truncated) };
}

async function departmentLines(deps: TargetDeps, actor: Principal, deptId: string, year: number, today: string, acc: Acc) {
  const [targets, projects, deductions, policy] = await Promise.all([
    allTargets(deps, actor, year),
    collect((limit, nextToken) => listProjects(deps, actor, { year, limit, nextToken })),
    collect((limit, nextToken) => listDeductions(deps, actor, { year, status: 'applied', limit, nextToken })),
    yearPolicy(deps.repos.policies, year),
  ]);
  const withTarget = new Set(targets.items.filter((t) => t.kind === 'project').map((t) => t.projectId));
  // A project the clean-up cancelled needs no target any more, even if a draft was copied to it.
  const cancelled = new Set(projects.items.filter((p) => p.status === 'cancelled').map((p) => p.projectId));
  add(acc, targets, (t) =>
    t.projectId && cancelled.has(t.projectId)
      ? undefined
      : t.status === 'returned'
        ? targetLine('target-revise', t)
        : t.status === 'draft'
          ? targetLine('target-fill', t)
          : undefined,
  );
  add(acc, projects, (p) =>
    withTarget.has(p.projectId) || cancelled.has(p.projectId)
      ? undefined
      : targetLine('target-fill', { kind: 'project', deptId: p.deptId, projectId: p.projectId, status: 'none' }),
  );
  if (!targets.items.some((t) => t.kind === 'department')) {
    acc.items.push(line('target-fill', { deptId, targetKind: 'department', targetStatus: 'none' }));
  }
  add(acc, deductions, (d: Deduction) => {
    if (d.status !== 'applied' || d.rule === 'REVERSAL' || d.amountFen <= 0) return undefined;
    const deadline = deadlineOf(d, shanghaiDate(d.createdAt), policy.notifications.appealDays);
    return deadline >= today ? deductionLine('deduction-appeal', d, deadline) : undefined;
  });
}

async function performanceLines(deps: TargetDeps, actor: Principal, year: number, acc: Acc) {
  const [exemptions, deductions, runs] = await Promise.all([
    collect((limit, nextToken) => listExemptions(deps, actor, { year, status: 'pending', limit, nextToken })),
    collect((limit, nextToken) => listDeductions(deps, actor, { year, status: 'appealed', limit, nextToken })),
    Promise.all(JOB_NAMES.map((job) => listRuns(deps, job, 50))),
  ]);
  add(acc, exemptions, (e) =>
    line('exemption-decide', {
      deptId: e.deptId,
      projectId: e.projectId,
      exemptionId: e.exemptionId,
      rule: e.rule,
      dueDate: e.checkpoint,
      since: e.requestedAt,
    }),
  );
  add(acc, deductions, (d: Deduction) => (d.status === 'appealed' ? deductionLine('appeal-decide', d) : undefined));
  for (const page of runs) {
    for (const r of page.items) {
      if (r.status === 'failed') acc.items.push(line('job-failed', { runId: r.runId, job: r.job, asOf: r.asOf, since: r.finishedAt ?? r.startedAt }));
    }
  }
}

export async function readInbox(deps: TargetDeps, actor: Principal, q: { year?: number }) {
  const today = shanghaiDate(deps.clock.now());
  const year = q.year ?? Number(today.slice(0, 4));
  // Each role's sources at once; their lines joined in this order whatever answered first.
  const parts: Acc[] = [0, 1, 2].map(() => ({ items: [], truncated: false }));
  const [mine, review, decide] = parts as [Acc, Acc, Acc];
  await Promise.all([
    hasRole(actor, 'department') && actor.deptId ? departmentLines(deps, actor, actor.deptId, year, today, mine) : undefined,
    hasRole(actor, 'finance', 'performance')
      ? targetsIn(deps, actor, year, 'submitted').then((got) => add(review, got, (t) => targetLine('target-review', t)))
      : undefined,
    hasRole(actor, 'performance') ? performanceLines(deps, actor, year, decide) : undefined,
  ]);
  const acc: Acc = { items: parts.flatMap((p) => p.items), truncated: parts.some((p) => p.truncated) };
  const items = sortInbox(acc.items);
  return { year, today, items, counts: countByKind(items), total: items.length, ...(acc.truncated ? { truncated: true } : {}) };
}
