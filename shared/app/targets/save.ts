/** Saving a target (a new version, linted against the budget and the year's policy). */
import type { Principal } from '../../domain/access';
import { ConflictError, ValidationError } from '../../domain/errors';
import { taxonomyOf } from '../../domain/indicators';
import { resolveIndicators, type StoredTarget, type TargetBody, type TargetIndicator, type TargetRef, transition } from '../../domain/targets';
import { yearPolicy } from '../policies';
import { requestHash } from '../ports';
import { auditSubject, concurrent, contextFor, lintFor, type TargetContext } from './context';
import type { TargetDeps } from './deps';
import { targetView } from './views';

function assertVersion(current: StoredTarget | undefined, sent: number | undefined): void {
  if (sent === undefined || sent === (current?.version ?? 0)) return;
  throw new ConflictError('STALE_VERSION', `The target is at version ${current?.version ?? 0}, not ${sent}; read it again`, {
    version: current?.version ?? 0,
    status: current?.status ?? null,
  });
}

async function resolve(deps: TargetDeps, ctx: TargetContext, body: TargetBody): Promise<TargetIndicator[]> {
  const codes = body.indicators.flatMap((i) => (i.code ? [i.code] : []));
  const library = codes.length > 0 ? await deps.repos.indicators.getMany(codes) : new Map();
  const { indicators, problems } = resolveIndicators(ctx.year, body.indicators, library);
  if (problems.length > 0) throw new ValidationError(problems);
  return indicators;
}

export async function saveTarget(deps: TargetDeps, actor: Principal, ref: TargetRef, body: TargetBody) {
  const ctx = await contextFor(deps, actor, ref, 'write');
  const current = await deps.repos.targets.get(ctx.ref);
  assertVersion(current, body.version);
  const status = transition(current?.status, 'save');
  const indicators = await resolve(deps, ctx, body);
  const policy = await yearPolicy(deps.repos.policies, ctx.year);
  const lint = lintFor(ctx, body.goal, indicators, policy);
  if (current && current.goal === body.goal && requestHash(current.indicators) === requestHash(indicators)) {
    // Nothing new to keep: answer with the current version, linted against today's budget.
    return { status: 200, target: targetView({ ...current, lint, budgetFen: ctx.budgetFen }) };
  }

  const now = deps.clock.now().toISOString();
  const next: StoredTarget = {
    ...(current ?? {
      kind: ctx.ref.kind,
      year: ctx.year,
      deptId: ctx.deptId,
      ...(ctx.project ? { projectId: ctx.project.projectId, level: ctx.project.level } : {}),
      returnCount: 0,
      createdAt: now,
      createdBy: actor.sub,
    }),
    goal: body.goal,
    indicators,
    lint,
    taxonomy: taxonomyOf(ctx.year),
    budgetFen: ctx.budgetFen,
    status,
    version: (current?.version ?? 0) + 1,
    updatedAt: now,
    updatedBy: actor.sub,
  } as StoredTarget;

  const written = await deps.repos.targets.save({
    next,
    current,
    statusAtSave: status,
    audit: {
      auditId: deps.ids.next(),
      ...auditSubject(ctx),
      action: current ? 'target.revised' : 'target.created',
      actor: actor.sub,
      at: now,
      before: current ? { version: current.version, goal: current.goal, indicators: current.indicators } : null,
      after: { version: next.version, status, goal: next.goal, indicators: next.indicators, lintErrors: lint.filter((l) => l.severity === 'error').length },
    },
  });
  if (!written) concurrent();
  return { status: current ? 200 : 201, target: targetView(next) };
}
