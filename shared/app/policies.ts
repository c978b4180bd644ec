/** The effective policy of a year: defaults, overridden field by field (SPEC §3.12). */
import { auditPut, changedFields } from '../aws/audit';
import { type Db, getItem, transact } from '../aws/db';
import { keys } from '../aws/keys';
import type { Principal } from '../domain/access';
import { ConflictError, ValidationError } from '../domain/errors';
import { DEFAULT_POLICY, mergePolicy, type Policy, type PolicyOverride, policyProblems, policySchema } from '../domain/policy';
import { issuesToProblems } from '../domain/validation';
import type { AppDeps } from './context';

interface PolicyItem {
  year: number;
  override: PolicyOverride;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

async function readOverride(db: Db, year: number): Promise<PolicyItem | undefined> {
  return getItem<PolicyItem>(db, keys.policy(year));
}

export async function effectivePolicy(db: Db, year: number): Promise<Policy> {
  const item = await readOverride(db, year);
  return item ? mergePolicy(DEFAULT_POLICY, item.override) : DEFAULT_POLICY;
}

export async function getPolicy(deps: AppDeps, year: number) {
  const item = await readOverride(deps.db, year);
  return {
    year,
    policy: item ? mergePolicy(DEFAULT_POLICY, item.override) : DEFAULT_POLICY,
    override: item?.override ?? {},
    version: item?.version ?? 0,
    updatedAt: item?.updatedAt ?? null,
  };
}

export async function putPolicy(deps: AppDeps, actor: Principal, year: number, patch: PolicyOverride) {
  const current = await readOverride(deps.db, year);
  const override = mergePolicy((current?.override ?? {}) as Policy, patch) as PolicyOverride;
  const effective = mergePolicy(DEFAULT_POLICY, override);
  const parsed = policySchema.safeParse(effective);
  const problems = parsed.success ? policyProblems(parsed.data) : issuesToProblems(parsed.error.issues);
  if (problems.length > 0) throw new ValidationError(problems.map((p) => ({ ...p, path: `body.${p.path}` })));

  const before = current ? mergePolicy(DEFAULT_POLICY, current.override) : DEFAULT_POLICY;
  const diff = changedFields(flatten(before), flatten(effective), []);
  if (Object.keys(diff.after).length === 0 && current) return getPolicy(deps, year);

  const now = deps.clock.now().toISOString();
  const item: PolicyItem = { year, override, version: (current?.version ?? 0) + 1, updatedAt: now, updatedBy: actor.sub };
  const outcome = await transact(deps.db, [
    {
      Put: {
        TableName: deps.db.table,
        Item: { ...keys.policy(year), entity: 'Policy', v: 1, ...item },
        ConditionExpression: current ? 'version = :v' : 'attribute_not_exists(PK)',
        ExpressionAttributeValues: current ? { ':v': current.version } : undefined,
      },
    },
    auditPut(deps.db, keys.policy(year).PK, {
      auditId: deps.ids.next(),
      entityType: 'Policy',
      entityId: String(year),
      action: 'policy.updated',
      actor: actor.sub,
      at: now,
      ...diff,
    }),
  ]);
  if (!outcome.ok) throw new ConflictError('CONCURRENT_UPDATE', 'The policy changed while this request ran; try again');
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
