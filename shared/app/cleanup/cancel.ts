/**
 * POST /v1/projects/{projectId}/cancel (SPEC §3.3): the performance office cancels a project,
 * optionally naming the project it is merged into. Each leaf (the project itself, or every leaf
 * of a level-1) is first marked `cancelled` — from then on no expenditure passes and every job
 * skips it — with the cancellation pending; then its remaining budget (budget − spent) is cut
 * with a CLEANUP_CUT through the shared ledger path (cutProject: entry, guarded budget change,
 * pool credit, audit, outbox line; appealable like every deduction); then the cancellation is
 * marked done and the department's email sealed. A cancel cut short is finished by the next
 * request on the project; a cancel of a cancelled project is 409 ALREADY_CANCELLED.
 */
import { shanghaiDate } from '../../domain/dates';
import type { Principal } from '../../domain/access';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { ProjectCancellation } from '../../domain/front';
import { formatYuan } from '../../domain/money';
import { isLeaf, projectView } from '../../domain/project';
import type { AppDeps } from '../context';
import { cutProject, type CutRun, type LedgerDeduction, type StoredProject } from '../ledger/cut-project';
import type { CancellableProject } from './ports';

export interface CancelBody {
  reason: string;
  mergedInto?: string;
}

export async function cancelProject(deps: AppDeps, actor: Principal, projectId: string, body: CancelBody, appUrl = 'http://localhost:3000') {
  const { projects, policies, outbox } = deps.repos.cleanup;
  const project = (await projects.get(projectId)) as CancellableProject | undefined;
  if (!project) throw new NotFoundError(`No project ${projectId}`);
  if (project.status === 'cancelled' && project.cancellation?.state !== 'pending') {
    throw new ConflictError('ALREADY_CANCELLED', `Project ${projectId} was cancelled on ${project.cancellation?.asOf ?? 'an earlier date'}`, {
      status: project.status,
    });
  }
  const children = isLeaf(project) ? [] : await projects.children(project);
  await checkMergedInto(deps, project, children, body.mergedInto);

  const now = deps.clock.now();
  const cancellation: ProjectCancellation = project.cancellation ?? {
    state: 'pending',
    reason: body.reason,
    ...(body.mergedInto ? { mergedInto: body.mergedInto } : {}),
    asOf: shanghaiDate(now),
    by: actor.sub,
    at: now.toISOString(),
  };
  if (project.status !== 'cancelled') await mark(deps, actor, project, cancellation);

  const leaves = isLeaf(project) ? [project] : (children as CancellableProject[]);
  // As the target-review cut does: the cancelled budget is the project's year's, and so is the pool credited.
  const policy = await policies.effective(project.year);
  const run: CutRun = { deps, asOf: cancellation.asOf, year: project.year, policy, actor, outboxGroup: `cancel~${projectId}` };
  const deductions: LedgerDeduction[] = [];
  let amountFen = 0;
  for (const listed of leaves) {
    const leaf = ((await projects.get(listed.projectId)) ?? listed) as CancellableProject;
    const own = leaf.projectId === projectId;
    // A leaf cancelled on its own before its level-1 keeps its own cut.
    if (!own && leaf.status === 'cancelled' && leaf.cancellation?.via !== projectId) continue;
    if (!own && leaf.status !== 'cancelled') await mark(deps, actor, leaf, { ...cancellation, via: projectId });
    const fresh = leaf as StoredProject;
    const out = await cutProject(run, 'CLEANUP_CUT', fresh, (p) => remainingCut(p, cancellation));
    if (out.outcome === 'gave-up') throw new ConflictError('CONCURRENT_UPDATE', `Project ${leaf.projectId} is changing too fast; try again`);
    if (out.outcome === 'applied') {
      deductions.push(out.deduction);
      amountFen += out.deduction.amountFen;
    }
    if (!own)
      await projects.finishCancellation(leaf.projectId, {
        amountFen: out.outcome === 'applied' ? out.deduction.amountFen : 0,
        deductionIds: out.outcome === 'applied' ? [out.deduction.deductionId] : [],
      });
  }
  await projects.finishCancellation(projectId, { amountFen, deductionIds: deductions.map((d) => d.deductionId) });
  const mails = await outbox.seal(run.outboxGroup, `${cancellation.asOf} 政策清理取消项目`, now, appUrl);
  const after = (await projects.get(projectId)) as CancellableProject;
  const afterChildren = isLeaf(after) ? [] : await projects.children(after);
  return { project: { ...projectView(after, afterChildren), cancellation: after.cancellation }, deductions, amountFen, emails: mails.length };
}

function remainingCut(p: StoredProject, c: ProjectCancellation) {
  const remaining = p.budgetFen - p.spentFen;
  if (remaining <= 0) return { none: 'nothing-left' };
  return {
    amountFen: remaining,
    budgetAfterFen: p.spentFen,
    figures: { budgetFen: p.budgetFen, spentFen: p.spentFen, remainingFen: remaining, ...(c.mergedInto ? { mergedInto: c.mergedInto } : {}) },
    line: {
      spentFen: p.spentFen,
      notes: [`取消原因：${c.reason}`, ...(c.mergedInto ? [`并入项目：${c.mergedInto}`] : []), `收回剩余预算（预算 − 已支出）：${formatYuan(remaining)}`],
    },
  };
}

async function mark(deps: AppDeps, actor: Principal, p: CancellableProject, c: ProjectCancellation) {
  const out = await deps.repos.cleanup.projects.markCancelled(p, c, {
    auditId: deps.ids.next(),
    entityType: 'Project',
    entityId: p.projectId,
    action: 'project.cancelled',
    actor: actor.sub,
    at: c.at,
    before: { status: p.status },
    after: { status: 'cancelled', reason: c.reason, ...(c.mergedInto ? { mergedInto: c.mergedInto } : {}), ...(c.via ? { via: c.via } : {}) },
  });
  if (out === 'conflict') throw new ConflictError('CONCURRENT_UPDATE', `Project ${p.projectId} changed while it was being cancelled; try again`);
}

async function checkMergedInto(deps: AppDeps, project: CancellableProject, children: { projectId: string }[], mergedInto: string | undefined) {
  if (!mergedInto) return;
  const problem = (message: string) => new ValidationError([{ path: 'body.mergedInto', message }]);
  if (mergedInto === project.projectId || children.some((c) => c.projectId === mergedInto))
    throw problem('a project cannot be merged into itself or one of its own leaves');
  const target = await deps.repos.cleanup.projects.get(mergedInto);
  if (!target) throw problem(`there is no project ${mergedInto}`);
  if (target.status === 'cancelled') throw problem(`${mergedInto} is cancelled itself`);
}
