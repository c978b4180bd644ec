/**
 * Idle-fund records: PUT (idempotent upsert by id), GET, list. A department writes and reads
 * only its own; finance reads all; performance reads and writes all.
 *
 * PUT semantics: the same body as the last accepted one → 200, unchanged (no new version, no
 * audit); a new id → 201; a changed body → 200 with the next version, audited with the fields
 * before and after. A record already reclaimed is closed: a different body → 409
 * RECORD_RECLAIMED (the money is in the pool; new money needs a new record id).
 */
import { changedFields } from '../../aws/audit';
import { assertWriteDepartment, canReadDepartment, type Principal, scopeDepartment } from '../../domain/access';
import { ConflictError, type FieldProblem, NotFoundError, ValidationError } from '../../domain/errors';
import {
  definedFields,
  type IdleKind,
  type IdleRecord,
  type InputOf,
  KIND_INFO,
  type RecordOf,
  type RecordStatus,
  recordView,
} from '../../domain/idle-records';
import type { AppDeps } from '../context';
import { requestHash } from '../ports';

const MAX_ATTEMPTS = 5;

export function reclaimedConflict(r: IdleRecord): ConflictError {
  return new ConflictError(
    'RECORD_RECLAIMED',
    `${KIND_INFO[r.kind].zh} ${idOf(r)} was reclaimed as of ${r.reclaimed?.asOf} (deduction ${r.reclaimed?.deductionId}) and is closed; new money needs a new record id`,
    { deductionId: r.reclaimed?.deductionId },
  );
}

const idOf = (r: IdleRecord) => (r as unknown as Record<string, string>)[KIND_INFO[r.kind].idField] as string;

/** Problems with what a body refers to: the department exists; a carryover's project is the department's. */
export async function referenceProblems<K extends IdleKind>(deps: AppDeps, kind: K, input: InputOf[K], prefix = 'body'): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const projectId = kind === 'carryover' ? (input as InputOf['carryover']).projectId : undefined;
  const [dept, projectDept] = await Promise.all([
    deps.repos.idleFunds.departmentExists(input.deptId),
    projectId ? deps.repos.idleFunds.projectDepartment(projectId) : undefined,
  ]);
  if (!dept) problems.push({ path: `${prefix}.deptId`, message: `no department ${input.deptId}` });
  if (projectId) {
    if (!projectDept) problems.push({ path: `${prefix}.projectId`, message: `no project ${projectId}` });
    else if (projectDept !== input.deptId) problems.push({ path: `${prefix}.projectId`, message: `project ${projectId} belongs to another department` });
  }
  return problems;
}

/** The record a body makes of the current one (or a new one). */
export function nextRecord<K extends IdleKind>(
  kind: K,
  id: string,
  input: InputOf[K],
  current: RecordOf[K] | undefined,
  actor: string,
  now: string,
  hash: string,
): RecordOf[K] {
  return {
    kind,
    [KIND_INFO[kind].idField]: id,
    ...definedFields(input),
    status: 'open',
    version: (current?.version ?? 0) + 1,
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
    createdBy: current?.createdBy ?? actor,
    updatedBy: actor,
    requestHash: hash,
  } as unknown as RecordOf[K];
}

/** The fields an audit record compares (not bookkeeping). */
function auditable(r: IdleRecord | undefined): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const { version: _v, createdAt: _c, updatedAt: _u, createdBy: _cb, updatedBy: _ub, requestHash: _h, kind: _k, ...rest } = r;
  return rest;
}

/**
 * Writes `next` over `current` (or as new) with its audit record, in one transaction.
 * Returns false when the record moved since it was read (the caller reads again).
 */
export async function writeRecord(deps: AppDeps, next: IdleRecord, current: IdleRecord | undefined, actor: string, action: string): Promise<boolean> {
  const id = idOf(next);
  return deps.repos.idleFunds.write(next, current?.version, {
    auditId: deps.ids.next(),
    entityType: KIND_INFO[next.kind].entity,
    entityId: id,
    action,
    actor,
    at: next.updatedAt,
    ...changedFields(auditable(current), auditable(next) as Record<string, unknown>, []),
  });
}

export async function putRecord<K extends IdleKind>(deps: AppDeps, actor: Principal, kind: K, id: string, input: InputOf[K]) {
  assertWriteDepartment(actor, input.deptId);
  const hash = requestHash(input);
  const repo = deps.repos.idleFunds;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await repo.get(kind, id);
    if (current) {
      // Another department's record is not shown; its id is simply taken.
      if (!canReadDepartment(actor, current.deptId)) {
        throw new ConflictError('ID_CONFLICT', `The id ${id} is already used by another department's record`);
      }
      if (current.requestHash === hash) return { status: 200, record: recordView(current) };
      if (current.status === 'reclaimed') throw reclaimedConflict(current);
    }
    const problems = await referenceProblems(deps, kind, input);
    if (problems.length > 0) throw new ValidationError(problems);
    const now = deps.clock.now().toISOString();
    const next = nextRecord(kind, id, input, current, actor.sub, now, hash);
    const action = `${kind}.${current ? 'updated' : 'created'}`;
    if (await writeRecord(deps, next, current, actor.sub, action)) {
      return { status: current ? 200 : 201, record: recordView(next) };
    }
  }
  throw new ConflictError('CONCURRENT_UPDATE', 'The record is changing too fast; try again');
}

export async function getRecord(deps: AppDeps, actor: Principal, kind: IdleKind, id: string) {
  const r = await deps.repos.idleFunds.get(kind, id);
  if (!r || !canReadDepartment(actor, r.deptId)) throw new NotFoundError(`No ${KIND_INFO[kind].zh} record ${id}`);
  return recordView(r);
}

export async function listRecords(
  deps: AppDeps,
  actor: Principal,
  kind: IdleKind,
  q: { deptId?: string; status?: RecordStatus; limit: number; nextToken?: string },
) {
  const deptId = scopeDepartment(actor, q.deptId);
  const page = await deps.repos.idleFunds.page(kind, { ...q, deptId });
  return { items: page.items.map(recordView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
