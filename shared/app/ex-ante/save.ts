/**
 * PUT /v1/projects/{projectId}/ex-ante (SPEC §3.1): the performance office records an
 * assessment; a reassessment is a new version, and every version is kept and audited. The same
 * body again changes nothing and answers the current version.
 */
import type { Principal } from '../../domain/access';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { ExAnteAssessmentRecord } from '../../domain/front';
import { isLeaf } from '../../domain/project';
import { assessExAnte, CRITERIA, type ExAnteBody, exAnteRequired } from '../../domain/rules/ex-ante';
import type { AppDeps } from '../context';
import { assessmentView } from './reads';

export async function saveAssessment(deps: AppDeps, actor: Principal, projectId: string, body: ExAnteBody) {
  const { assessments, projects, policies } = deps.repos.exAnte;
  const project = await projects.get(projectId);
  if (!project) throw new NotFoundError(`No project ${projectId}`);
  if (project.status === 'cancelled') throw new ConflictError('PROJECT_CANCELLED', 'The project is cancelled');
  const policy = (await policies.effective(project.year)).exAnte;
  const current = await assessments.get(projectId);
  if (current && sameBody(current, body)) return { status: 200, body: assessmentView(current) };

  const result = assessExAnte(body, policy);
  const at = deps.clock.now().toISOString();
  // A level-1 with children holds no money of its own: it is judged by its leaves' total.
  const budgetFen = isLeaf(project) ? project.budgetFen : (await projects.children(project)).reduce((s, c) => s + c.budgetFen, 0);
  const next: ExAnteAssessmentRecord = {
    assessmentId: deps.ids.next(),
    projectId,
    deptId: project.deptId,
    year: project.year,
    version: (current?.version ?? 0) + 1,
    remit: body.remit,
    scores: body.scores,
    weightedBp: result.weightedBp,
    outcome: result.outcome,
    comments: body.comments,
    required: exAnteRequired({ isNew: project.isNew, budgetFen }, policy),
    budgetFen,
    by: actor.sub,
    at,
  };
  const saved = await assessments.save(next, current?.version ?? 0, {
    auditId: deps.ids.next(),
    entityType: 'ExAnteAssessment',
    entityId: projectId,
    action: current ? 'exante.reassessed' : 'exante.assessed',
    actor: actor.sub,
    at,
    before: current ? { version: current.version, weightedBp: current.weightedBp, outcome: current.outcome } : null,
    after: { version: next.version, remit: next.remit, scores: next.scores, weightedBp: next.weightedBp, outcome: next.outcome, comments: next.comments },
  });
  if (saved === 'conflict') throw new ConflictError('CONCURRENT_UPDATE', 'Another assessment of this project was recorded meanwhile; read it and try again');
  return { status: current ? 200 : 201, body: assessmentView(next) };
}

function sameBody(a: ExAnteAssessmentRecord, b: ExAnteBody): boolean {
  return a.remit === b.remit && a.comments === b.comments && CRITERIA.every((c) => a.scores[c] === b.scores[c]);
}
