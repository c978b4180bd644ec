/**
 * Suspension (SPEC §3.5): the snapshot at the last checkpoint suspends a red project whose
 * outlook is `impossible` (when the policy says so); the performance office lifts it. Both are
 * the same guarded status move (by status and version) in the snapshots repository.
 */
import type { Principal } from '../../domain/access';
import type { AuditEntry } from '../../domain/audit';
import { ConflictError } from '../../domain/errors';
import { type Project, projectView } from '../../domain/project';
import { SUSPENDED_FLAG } from '../../domain/rules/monitoring';
import type { StatusMove, SuspensionRecord } from '../../domain/snapshots';
import type { AppDeps } from '../context';
import { readableProject } from '../projects';

export type { SuspensionRecord };

const MAX_ATTEMPTS = 5;

type SuspendableProject = Project & { suspension?: SuspensionRecord };

/** The performance office lifts a suspension: status active, flag removed, audited. */
export async function liftSuspension(deps: AppDeps, actor: Principal, projectId: string, comment: string) {
  for (let attempt = 1; ; attempt++) {
    const p = (await readableProject(deps, actor, projectId)) as SuspendableProject;
    if (p.status !== 'suspended') {
      throw new ConflictError('NOT_SUSPENDED', `The project is ${p.status}, not suspended`, { status: p.status });
    }
    const now = deps.clock.now().toISOString();
    const flags = (p.flags ?? []).filter((f) => f !== SUSPENDED_FLAG);
    const suspension: SuspensionRecord = {
      ...(p.suspension ?? { since: '' }),
      liftedAt: now,
      liftedBy: actor.sub,
      comment,
    };
    const moved = await deps.repos.snapshots.moveStatus({
      project: p,
      from: 'suspended',
      to: 'active',
      flags,
      suspension,
      now,
      audit: {
        auditId: deps.ids.next(),
        entityType: 'Project',
        entityId: projectId,
        action: 'project.suspension-lifted',
        actor: actor.sub,
        at: now,
        before: { status: 'suspended', flags: p.flags },
        after: { status: 'active', flags, comment },
      },
    });
    if (moved) {
      return { status: 200, project: await viewOf(deps, { ...p, status: 'active', flags, version: p.version + 1, updatedAt: now, suspension }) };
    }
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('CONCURRENT_UPDATE', 'The project is changing too fast; try again');
  }
}

async function viewOf(deps: AppDeps, p: SuspendableProject) {
  const children = p.childCount > 0 ? await deps.repos.leaves.children(p) : [];
  return { ...projectView(p, children), ...(p.suspension ? { suspension: p.suspension } : {}) };
}

/** For the snapshot job: the move that suspends a project, guarded by its status and version. */
export function suspendMove(
  p: Project,
  suspension: SuspensionRecord,
  now: string,
  audit: Omit<AuditEntry, 'before' | 'after'> & { after: Record<string, unknown> },
): StatusMove {
  const flags = [...(p.flags ?? []).filter((f) => f !== SUSPENDED_FLAG), SUSPENDED_FLAG];
  return {
    project: p,
    from: 'active',
    to: 'suspended',
    flags,
    suspension,
    now,
    audit: { ...audit, before: { status: p.status, flags: p.flags }, after: { status: 'suspended', flags, ...audit.after } },
  };
}
