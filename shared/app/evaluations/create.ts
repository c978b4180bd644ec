/** POST /v1/evaluations (SPEC §3.10): the performance office opens a key evaluation. */
import type { Principal } from '../../domain/access';
import { ConflictError, type FieldProblem, ValidationError } from '../../domain/errors';
import type { CreateEvaluationBody, StoredKeyEvaluation } from '../../domain/evaluations';
import { requestHash } from '../ports';
import type { AppDeps } from '../context';
import { evaluationView } from './common';

export async function createEvaluation(deps: AppDeps, actor: Principal, body: CreateEvaluationBody) {
  const hash = requestHash(body);
  const repo = deps.repos.keyEvaluations;
  const existing = await repo.get(body.evaluationId);
  if (existing) return replay(existing, hash, actor);
  const sources = deps.repos.evaluationSources;
  const projects = await sources.projects(body.projectIds);
  const problems: FieldProblem[] = [];
  body.projectIds.forEach((id, i) => {
    const p = projects.get(id);
    if (!p) problems.push({ path: `body.projectIds[${i}]`, message: `no project ${id}` });
    else if (p.year !== body.year) problems.push({ path: `body.projectIds[${i}]`, message: `project ${id} is of year ${p.year}, not ${body.year}` });
  });
  if (body.deptId && !(await sources.departmentName(body.deptId))) problems.push({ path: 'body.deptId', message: `no department ${body.deptId}` });
  if (problems.length > 0) throw new ValidationError(problems);
  const at = deps.clock.now().toISOString();
  const deptIds = [...new Set([...(body.deptId ? [body.deptId] : []), ...[...projects.values()].map((p) => p.deptId)])].sort();
  const e: StoredKeyEvaluation = {
    evaluationId: body.evaluationId,
    year: body.year,
    kind: body.kind,
    title: body.title,
    projectIds: body.projectIds,
    deptIds,
    ...(body.deptId ? { deptId: body.deptId } : {}),
    ...(body.policyName ? { policyName: body.policyName } : {}),
    fundsFen: body.fundsFen,
    panel: body.panel,
    experts: body.experts,
    status: 'open',
    rev: 1,
    requestHash: hash,
    createdAt: at,
    createdBy: actor.sub,
  };
  const outcome = await repo.create(e, {
    auditId: deps.ids.next(),
    entityType: 'KeyEvaluation',
    entityId: e.evaluationId,
    action: 'evaluation.created',
    actor: actor.sub,
    at,
    before: null,
    after: { ...body },
  });
  if (outcome === 'exists') {
    const now = await repo.get(body.evaluationId);
    if (now) return replay(now, hash, actor);
  }
  return { status: 201, evaluation: evaluationView(e, actor) };
}

function replay(existing: StoredKeyEvaluation, hash: string, actor: Principal) {
  if (existing.requestHash !== hash) throw new ConflictError('ID_CONFLICT', `An evaluation ${existing.evaluationId} already exists with a different body`);
  return { status: 200, evaluation: evaluationView(existing, actor) };
}
