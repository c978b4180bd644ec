/** Projects: create (idempotent by projectId), read with level-1 roll-ups, list. */
import { assertWriteDepartment, canReadDepartment, type Principal, scopeDepartment } from '../domain/access';
import { ConflictError, type FieldProblem, NotFoundError, ValidationError } from '../domain/errors';
import { type CreateProjectInput, newProject, type Project, type ProjectView, projectView } from '../domain/project';
import { applyNextYearConsequences } from './results/consequences';
import type { AppDeps } from './context';
import { requestHash } from './ports';
export type { ProjectsRepo } from './projects/ports';

export async function createProject(deps: AppDeps, actor: Principal, input: CreateProjectInput) {
  assertWriteDepartment(actor, input.deptId);
  const repo = deps.repos.projects;
  const hash = requestHash(input);

  const existing = await repo.get(input.projectId);
  if (existing) return replay(actor, existing, hash);

  const [dept, parent, continued] = await Promise.all([
    deps.repos.departments.get(input.deptId),
    input.parentId ? repo.get(input.parentId) : undefined,
    input.continuesProjectId ? repo.get(input.continuesProjectId) : undefined,
  ]);
  const problems = referenceProblems(actor, input, { dept, parent, continued });
  if (problems.length > 0) throw new ValidationError(problems);

  const now = deps.clock.now().toISOString();
  const project = newProject(input, { at: now, by: actor.sub, requestHash: hash });

  const outcome = await repo.create(
    project,
    {
      auditId: deps.ids.next(),
      entityType: 'Project',
      entityId: project.projectId,
      action: 'project.created',
      actor: actor.sub,
      at: now,
      before: null,
      after: { ...input },
    },
    parent?.projectId,
  );
  if (outcome === 'exists') {
    const now2 = await repo.get(input.projectId);
    if (now2) return replay(actor, now2, hash);
  }
  if (outcome === 'parent-has-budget') {
    throw new ConflictError(
      'PARENT_HAS_BUDGET',
      'A level-1 project that holds a budget or spending of its own cannot take level-2 children; create level-1 projects that will have children with budgetFen 0',
    );
  }
  if (outcome !== 'created') throw new ConflictError('CONCURRENT_UPDATE', 'The project changed while this request ran; try again');
  // SPEC §3.10/§3.7: a consequence decided before this continuing project existed applies now.
  const applied = (await applyNextYearConsequences(deps, project, { actor })).applied > 0;
  return { status: 201, project: projectView((applied && (await repo.get(project.projectId))) || project) };
}

/** What the body names that does not exist or does not fit: the department, the parent, the project continued. */
function referenceProblems(
  actor: Principal,
  input: CreateProjectInput,
  found: { dept: unknown; parent: Project | undefined; continued: Project | undefined },
): FieldProblem[] {
  const { dept, parent, continued } = found;
  const problems: FieldProblem[] = [];
  if (!dept) problems.push({ path: 'body.deptId', message: `no department ${input.deptId}` });
  if (input.parentId) {
    if (!parent) problems.push({ path: 'body.parentId', message: `no project ${input.parentId}` });
    else {
      if (parent.level !== 1) problems.push({ path: 'body.parentId', message: 'the parent must be a level-1 project' });
      if (parent.deptId !== input.deptId) problems.push({ path: 'body.parentId', message: 'the parent belongs to another department' });
      if (parent.year !== input.year) problems.push({ path: 'body.parentId', message: `the parent is of year ${parent.year}` });
    }
  }
  if (input.continuesProjectId) {
    if (!continued || !canReadDepartment(actor, continued.deptId)) {
      problems.push({ path: 'body.continuesProjectId', message: `no project ${input.continuesProjectId}` });
    } else if (continued.year >= input.year) {
      problems.push({ path: 'body.continuesProjectId', message: 'must be a project of an earlier year' });
    }
  }
  return problems;
}

function replay(actor: Principal, existing: Project, hash: string) {
  if (!canReadDepartment(actor, existing.deptId) || existing.requestHash !== hash) {
    throw new ConflictError('ID_CONFLICT', `A project ${existing.projectId} already exists with a different body`);
  }
  return { status: 200, project: projectView(existing) };
}

/** A project the caller may see, or 404: another department's project does not exist for it. */
export async function readableProject(deps: AppDeps, actor: Principal, projectId: string): Promise<Project> {
  const p = await deps.repos.projects.get(projectId);
  if (!p || !canReadDepartment(actor, p.deptId)) throw new NotFoundError(`No project ${projectId}`);
  return p;
}

export async function getProject(deps: AppDeps, actor: Principal, projectId: string): Promise<ProjectView> {
  const p = await readableProject(deps, actor, projectId);
  const children = p.childCount > 0 ? await deps.repos.projects.children(p) : [];
  return projectView(p, children);
}

export async function listProjects(deps: AppDeps, actor: Principal, q: { year: number; deptId?: string; level?: 1 | 2; limit: number; nextToken?: string }) {
  const deptId = scopeDepartment(actor, q.deptId);
  const repo = deps.repos.projects;
  const page = await repo.page(q.year, deptId, q.limit, q.nextToken);
  const byParent = new Map<string, Project[]>();
  for (const p of page.items) {
    if (p.parentId) byParent.set(p.parentId, [...(byParent.get(p.parentId) ?? []), p]);
  }
  const views: ProjectView[] = [];
  for (const p of page.items) {
    if (q.level && p.level !== q.level) continue;
    let children: Project[] = [];
    if (p.childCount > 0) {
      children = byParent.get(p.projectId) ?? [];
      // Children that fell on the next page are fetched so the roll-up is whole.
      if (children.length < p.childCount) children = await repo.children(p);
    }
    views.push(projectView(p, children));
  }
  return { items: views, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
