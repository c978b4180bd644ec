/**
 * Exemptions (SPEC §3.6): request (the project's department, or the performance office),
 * decision (performance office), list. An approval writes the rule onto the project
 * (`exemptRules`) in the same transaction, so the job reads it with the project and guards
 * its deduction on it.
 */
import { assertWriteDepartment, canReadDepartment, type Principal, scopeDepartment } from '../domain/access';
import { shanghaiDate } from '../domain/dates';
import { ConflictError, NotFoundError } from '../domain/errors';
import {
  assertRequestWindow,
  type Exemption,
  type ExemptionDecision,
  type ExemptionRequest,
  type ExemptionStatus,
  exemptionId,
  nextExemptionStatus,
  ruleCheckpoint,
} from '../domain/exemptions';
import { isLeaf } from '../domain/project';
import type { AppDeps } from './context';
import { yearPolicy } from './policies';
import { requestHash } from './ports';
import { readableProject } from './projects';

const getExemption = (deps: AppDeps, id: string) => deps.repos.exemptions.get(id);

export function exemptionView(e: Exemption) {
  const { requestHash: _h, ...rest } = e;
  return rest;
}

export async function requestExemption(deps: AppDeps, actor: Principal, projectId: string, input: ExemptionRequest) {
  const project = await readableProject(deps, actor, projectId);
  assertWriteDepartment(actor, project.deptId);
  const id = exemptionId(projectId, input.rule);
  const hash = requestHash(input);
  const replay = (e: Exemption) => {
    if (e.requestHash !== hash) {
      throw new ConflictError('EXEMPTION_EXISTS', `Project ${projectId} already has an exemption request for ${input.rule} (${e.status})`, {
        exemptionId: e.exemptionId,
        status: e.status,
      });
    }
    return { status: 200, body: exemptionView(e) };
  };
  const existing = await getExemption(deps, id);
  if (existing) return replay(existing);

  if (!isLeaf(project)) {
    throw new ConflictError('NOT_A_LEAF', 'Rules apply to leaf projects: ask for the exemption on each level-2 project');
  }
  if (project.status === 'cancelled') throw new ConflictError('PROJECT_CANCELLED', 'The project is cancelled');
  const policy = await yearPolicy(deps.repos.policies, project.year);
  const checkpoint = ruleCheckpoint(input.rule, project.year, policy);
  const now = deps.clock.now();
  assertRequestWindow(shanghaiDate(now), checkpoint);

  const e: Exemption = {
    exemptionId: id,
    projectId,
    year: project.year,
    deptId: project.deptId,
    rule: input.rule,
    reason: input.reason,
    ...(input.note ? { note: input.note } : {}),
    status: 'pending',
    checkpoint,
    requestedAt: now.toISOString(),
    requestedBy: actor.sub,
    requestHash: hash,
    version: 1,
  };
  const created = await deps.repos.exemptions.create(e, {
    auditId: deps.ids.next(),
    entityType: 'Exemption',
    entityId: id,
    action: 'exemption.requested',
    actor: actor.sub,
    at: e.requestedAt,
    before: null,
    after: { projectId, rule: e.rule, reason: e.reason, note: e.note ?? null, status: 'pending' },
  });
  if (!created) {
    const now2 = await getExemption(deps, id);
    if (now2) return replay(now2);
    throw new ConflictError('CONCURRENT_UPDATE', 'The exemption changed while this request ran; try again');
  }
  return { status: 201, body: exemptionView(e) };
}

export async function decideExemption(deps: AppDeps, actor: Principal, id: string, input: ExemptionDecision) {
  const e = await getExemption(deps, id);
  if (!e) throw new NotFoundError(`No exemption ${id}`);
  if (e.status !== 'pending' && e.decision?.decision === input.decision && e.decision.comment === input.comment) {
    return exemptionView(e); // a retried decision answers as the first time
  }
  const status: ExemptionStatus = nextExemptionStatus(e.status, input.decision);
  const now = deps.clock.now().toISOString();
  const decision = { ...input, at: now, by: actor.sub };
  const decided = await deps.repos.exemptions.decide({
    exemption: e,
    status,
    decision,
    at: now,
    audit: {
      auditId: deps.ids.next(),
      entityType: 'Exemption',
      entityId: id,
      action: `exemption.${status}`,
      actor: actor.sub,
      at: now,
      before: { status: e.status },
      after: { status, comment: input.comment },
    },
  });
  if (!decided) {
    const again = await getExemption(deps, id);
    if (again && again.status !== 'pending' && again.decision?.decision === input.decision && again.decision.comment === input.comment) {
      return exemptionView(again);
    }
    throw new ConflictError('ILLEGAL_TRANSITION', `The exemption is already ${again?.status ?? 'gone'}`, { status: again?.status });
  }
  return exemptionView({ ...e, status, decision, version: e.version + 1 });
}

export async function getExemptionFor(deps: AppDeps, actor: Principal, id: string) {
  const e = await getExemption(deps, id);
  if (!e || !canReadDepartment(actor, e.deptId)) throw new NotFoundError(`No exemption ${id}`);
  return exemptionView(e);
}

export async function listExemptions(
  deps: AppDeps,
  actor: Principal,
  q: { year: number; deptId?: string; status?: ExemptionStatus; limit: number; nextToken?: string },
) {
  const deptId = scopeDepartment(actor, q.deptId);
  const { deptId: _asked, ...rest } = q;
  const page = await deps.repos.exemptions.page({ ...rest, ...(deptId ? { deptId } : {}) });
  return { items: page.items.map(exemptionView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
