/** The effective policy of a year: defaults, overridden field by field (SPEC §3.12). */
import { changedFields } from '../domain/audit';
import type { Principal } from '../domain/access';
import { ConflictError, ValidationError } from '../domain/errors';
import { DEFAULT_POLICY, mergePolicy, type Policy, type PolicyOverride, policyProblems, policySchema } from '../domain/policy';
import { issuesToProblems } from '../domain/validation';
import type { AppDeps } from './context';
import type { PolicyItem, PoliciesRepo } from './policies/ports';
export type { PolicyItem, PoliciesRepo } from './policies/ports';

const merged = (item: PolicyItem | undefined): Policy => (item ? mergePolicy(DEFAULT_POLICY, item.override) : DEFAULT_POLICY);

/** The effective policy of a year, through the repository. */
export async function yearPolicy(policies: Pick<PoliciesRepo, 'get'>, year: number): Promise<Policy> {
  return merged(await policies.get(year));
}

export async function getPolicy(deps: AppDeps, year: number) {
  const item = await deps.repos.policies.get(year);
  return {
    year,
    policy: merged(item),
    override: item?.override ?? {},
    version: item?.version ?? 0,
    updatedAt: item?.updatedAt ?? null,
  };
}

/**
 * A patch over a year's stored override, checked as PUT /v1/policies checks it: the merged
 * document must be a valid policy, else one 400 listing every problem under `prefix`.
 */
export function checkedPolicy(stored: PolicyOverride | undefined, patch: PolicyOverride, prefix = 'body'): { override: PolicyOverride; effective: Policy } {
  const override = mergePolicy((stored ?? {}) as Policy, patch) as PolicyOverride;
  const effective = mergePolicy(DEFAULT_POLICY, override);
  const parsed = policySchema.safeParse(effective);
  const problems = parsed.success ? policyProblems(parsed.data) : issuesToProblems(parsed.error.issues);
  if (problems.length > 0) throw new ValidationError(problems.map((p) => ({ ...p, path: `${prefix}.${p.path}` })));
  return { override, effective };
}

export async function putPolicy(deps: AppDeps, actor: Principal, year: number, patch: PolicyOverride) {
  const current = await deps.repos.policies.get(year);
  const { override, effective } = checkedPolicy(current?.override, patch);

  const before = merged(current);
  const diff = changedFields(flatten(before), flatten(effective), []);
  if (Object.keys(diff.after).length === 0 && current) return getPolicy(deps, year);

  const now = deps.clock.now().toISOString();
  const item: PolicyItem = { year, override, version: (current?.version ?? 0) + 1, updatedAt: now, updatedBy: actor.sub };
  const written = await deps.repos.policies.put(item, current?.version, {
    auditId: deps.ids.next(),
    entityType: 'Policy',
    entityId: String(year),
    action: 'policy.updated',
    actor: actor.sub,
    at: now,
    ...diff,
  });
  if (!written) throw new ConflictError('CONCURRENT_UPDATE', 'The policy changed while this request ran; try again');
  return getPolicy(deps, year);
}

/** "monitoring.checkpoints" → value, so the audit shows exactly which fields moved. */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = value;
  }
  return out;
}
