/**
 * Applying a deduction: ONE TransactWriteItems with
 *   1. the immutable ledger entry (deterministic id, attribute_not_exists),
 *   2. the change to what it takes from (a project's budget, guarded by the budget it was
 *      computed from and never below what has been spent — or a balance, built by the caller),
 *   3. the pool credit of the as-of year,
 *   4. the audit record,
 *   5. the outbox line that the department's email will list.
 * A rerun finds the entry and changes nothing; a failed guard means the project moved, and the
 * caller recomputes from a fresh read.
 */
import type { AuditEntry } from '../domain/audit';
import type { OutboxLine } from '../domain/email';
import { recordId as targetRecordId } from '../domain/idle-records';
import { type Deduction, type StoredDeduction, targetFields, targetId } from '../domain/ledger';
import type { AuditStamp, BalanceChange, DeductionDecisionWrite, DeductionQuery, LedgerApply } from '../domain/ledger-writes';
import { auditPut } from './audit';
import { type Db, getItem, queryPage, type QueryInput, stripKeys, transact, type TransactItem } from './db';
import { recordReclaimChange, recordRestoreChange, sweepTotalsAdd } from './idle-funds-repo';
import { keys, LEAF_SHARDS, shardOf } from './keys';
import { outboxLinePut } from './outbox';
import { poolCredit, poolCreditOn } from './pool';

export type ApplyOutcome = 'applied' | 'exists' | 'guard-failed';

export interface ApplyDeductionInput {
  deduction: Deduction;
  /** The update of what it takes from, guarded (see projectBudgetChange). */
  targetChange: TransactItem;
  audit: Omit<AuditEntry, 'entityType' | 'entityId' | 'action' | 'before' | 'after'> & { action?: string };
  /** The outbox group (a job's `job~asOf`, or one review) and the line for the email. */
  outbox?: { group: string; line: OutboxLine };
  /** Extra items that must happen with it (e.g. a flag on another item). */
  extra?: TransactItem[];
}

export function deductionItem(d: Deduction): Record<string, unknown> {
  return {
    ...keys.deduction(d.deductionId),
    ...keys.deductionYearIndex(d.year, d.deptId, d.asOf, d.deductionId),
    ...keys.deductionTargetIndex(d.target.kind, targetId(d.target), d.asOf, d.deductionId),
    entity: 'Deduction',
    v: 1,
    ...d,
    ...targetFields(d.target),
  };
}

/** The items of one deduction but its pool credit, the entry first and the change second. */
function deductionItems(db: Db, input: ApplyDeductionInput): TransactItem[] {
  const d = input.deduction;
  return [
    {
      Put: {
        TableName: db.table,
        Item: deductionItem(d),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    input.targetChange,
    auditPut(db, keys.deduction(d.deductionId).PK, {
      ...input.audit,
      entityType: 'Deduction',
      entityId: d.deductionId,
      action: input.audit.action ?? `deduction.${d.rule === 'REVERSAL' ? 'reversal' : 'applied'}`,
      before: { budgetFen: d.budgetBeforeFen },
      after: { budgetFen: d.budgetAfterFen, amountFen: d.amountFen, rule: d.rule },
    }),
    ...(input.outbox ? [outboxLinePut(db, input.outbox.group, d.deptId, d.deductionId, input.outbox.line)] : []),
    ...(input.extra ?? []),
  ];
}

export async function applyDeduction(db: Db, input: ApplyDeductionInput): Promise<ApplyOutcome> {
  const d = input.deduction;
  const [entry, ...rest] = deductionItems(db, input);
  const outcome = await transact(db, [entry as TransactItem, poolCredit(db, d.year, d.deductionId, d.rule, d.amountFen), ...rest]);
  if (outcome.ok) return 'applied';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'exists';
  return 'guard-failed';
}

/** DynamoDB's limit on the items of one TransactWriteItems. */
export const TRANSACTION_MAX_ITEMS = 100;

/**
 * Several deductions in ONE TransactWriteItems: each one's entry, guarded change, audit record
 * and outbox line, and one pool credit of the batch's sum (on the counter of the batch's lane;
 * a transaction may touch an item once). So every item of every deduction commits together with
 * its pool credit, or nothing does. When the transaction is cancelled, the cancellation reasons
 * say which deduction failed (its entry exists: 'exists'; its change's guard: 'guard-failed');
 * the others are sent again without them, so a rerun costs a round or two, not one per
 * deduction. Credits only (amounts > 0), one pool year; split into transactions of at most
 * TRANSACTION_MAX_ITEMS items.
 */
export async function applyDeductions(db: Db, inputs: ApplyDeductionInput[], lane = 0): Promise<ApplyOutcome[]> {
  const outcomes: (ApplyOutcome | undefined)[] = inputs.map(() => undefined);
  const chunks: { i: number; items: TransactItem[] }[][] = [[]];
  let size = 1;
  inputs.forEach((input, i) => {
    const items = deductionItems(db, input);
    if (size + items.length > TRANSACTION_MAX_ITEMS) {
      chunks.push([]);
      size = 1;
    }
    (chunks.at(-1) as { i: number; items: TransactItem[] }[]).push({ i, items });
    size += items.length;
  });
  for (const chunk of chunks) await applyChunk(db, inputs, chunk, outcomes, lane);
  return outcomes as ApplyOutcome[];
}

async function applyChunk(
  db: Db,
  inputs: ApplyDeductionInput[],
  chunk: { i: number; items: TransactItem[] }[],
  outcomes: (ApplyOutcome | undefined)[],
  lane: number,
) {
  let pending = chunk;
  while (pending.length > 0) {
    const first = (inputs[pending[0]!.i] as ApplyDeductionInput).deduction;
    const members = pending.map((m) => (inputs[m.i] as ApplyDeductionInput).deduction);
    if (members.some((d) => d.amountFen <= 0 || d.year !== first.year)) throw new Error('A batch of deductions credits one pool year, amounts above 0');
    const items = [poolCreditOfBatch(db, first.year, laneShard(first, lane), members), ...pending.flatMap((m) => m.items)];
    if (items.length > TRANSACTION_MAX_ITEMS) throw new Error(`A batch of deductions is ${items.length} items, more than ${TRANSACTION_MAX_ITEMS}`);
    const outcome = await transact(db, items);
    if (outcome.ok) {
      for (const m of pending) outcomes[m.i] = 'applied';
      break;
    }
    let at = 1;
    const again: typeof pending = [];
    for (const m of pending) {
      const reasons = outcome.reasons.slice(at, at + m.items.length);
      at += m.items.length;
      if (reasons[0] === 'ConditionalCheckFailed') outcomes[m.i] = 'exists';
      else if (reasons.some((r) => r === 'ConditionalCheckFailed')) outcomes[m.i] = 'guard-failed';
      else again.push(m);
    }
    // A cancellation that names no deduction would loop: the transact helper throws on any
    // other reason, so this is only a guard against a reply without reasons.
    if (again.length === pending.length) throw new Error('A batch of deductions was cancelled without a reason for any of them');
    pending = again;
  }
}

/**
 * The pool counter of a batch: its lane's, counted from a shard picked by the run (or the first
 * entry), so the lanes of one run use different counters and two runs seldom meet.
 */
function laneShard(first: Deduction, lane: number): number {
  return (shardOf(first.runId ?? first.deductionId) + lane) % LEAF_SHARDS;
}

/** The pool credit of a batch: the sum, in total and by rule, on one shard. */
function poolCreditOfBatch(db: Db, year: number, shard: number, members: Deduction[]): TransactItem {
  const byRule = new Map<string, number>();
  for (const d of members) byRule.set(d.rule, (byRule.get(d.rule) ?? 0) + d.amountFen);
  const total = members.reduce((n, d) => n + d.amountFen, 0);
  const credit = poolCreditOn(db, year, shard, first(members).rule, total);
  if (byRule.size === 1) return credit;
  const names: Record<string, string> = { '#year': 'year' };
  const values: Record<string, unknown> = { ':amt': total, ':entity': 'PoolShard', ':year': year };
  const adds = ['inFen :amt'];
  [...byRule].forEach(([rule, amount], k) => {
    names[`#r${k}`] = `in_${rule}`;
    values[`:r${k}`] = amount;
    adds.push(`#r${k} :r${k}`);
  });
  const update = credit.Update as NonNullable<TransactItem['Update']>;
  return {
    Update: {
      ...update,
      UpdateExpression: `ADD ${adds.join(', ')} SET entity = :entity, #year = :year`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

const first = <T>(xs: T[]): T => xs[0] as T;

/**
 * A project's budget moving from `beforeFen` to `afterFen`, guarded: the budget is still what
 * the amount was computed from, and the new budget is not below what has been spent (spending
 * only rises through a guarded write, so this holds at commit time).
 */
export function projectBudgetChange(
  db: Db,
  p: { projectId: string; beforeFen: number; afterFen: number; now: string; addFlag?: string; notExemptFrom?: string },
): TransactItem {
  const values: Record<string, unknown> = { ':before': p.beforeFen, ':after': p.afterFen, ':now': p.now, ':one': 1 };
  let condition = 'attribute_exists(PK) AND budgetFen = :before AND spentFen <= :after';
  if (p.notExemptFrom) {
    // An exemption approved after the project was read must still win.
    condition += ' AND (attribute_not_exists(exemptRules) OR NOT contains(exemptRules, :exemptRule))';
    values[':exemptRule'] = p.notExemptFrom;
  }
  let update = 'SET budgetFen = :after, updatedAt = :now ADD version :one';
  if (p.addFlag) {
    update = 'SET budgetFen = :after, updatedAt = :now, flags = list_append(if_not_exists(flags, :empty), :flag) ADD version :one';
    values[':flag'] = [p.addFlag];
    values[':empty'] = [];
  }
  return {
    Update: {
      TableName: db.table,
      Key: keys.project(p.projectId),
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    },
  };
}

export async function getDeduction(db: Db, deductionId: string): Promise<StoredDeduction | undefined> {
  const item = await getItem(db, keys.deduction(deductionId));
  return item ? stripKeys<StoredDeduction>(item) : undefined;
}

/** The guarded write a described change becomes, in the entry's transaction (and what goes with it). */
function changeItems(db: Db, change: BalanceChange, now: string): [TransactItem, ...TransactItem[]] {
  switch (change.kind) {
    case 'project-budget': {
      const { kind: _k, ...p } = change;
      return [projectBudgetChange(db, { ...p, now })];
    }
    case 'record-reclaim':
      return [
        recordReclaimChange(db, change.record, change.reclamation, change.actor),
        auditPut(db, keys.idleRecord(change.record.kind, targetRecordId(change.record)).PK, change.recordAudit),
      ];
    case 'record-restore': {
      const { record, originalId, reversalId, amountFen, actor } = change;
      return [recordRestoreChange(db, record, { originalId, reversalId, amountFen, now, actor })];
    }
  }
}

/** The entry's status moving on from `from`, with its audit record. */
function statusItems(db: Db, id: string, from: string, set: Record<string, unknown>, audit: AuditEntry): TransactItem[] {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':from': from };
  const sets = Object.entries(set).map(([field, value]) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    return `#${field} = :${field}`;
  });
  return [
    {
      Update: {
        TableName: db.table,
        Key: keys.deduction(id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    auditPut(db, keys.deduction(id).PK, audit),
  ];
}

function decisionItems(db: Db, w: DeductionDecisionWrite & { audit: AuditStamp }): TransactItem[] {
  return statusItems(
    db,
    w.deductionId,
    'appealed',
    { status: w.status, decision: w.decision },
    {
      ...w.audit,
      entityType: 'Deduction',
      entityId: w.deductionId,
      action: `deduction.${w.status}`,
      before: { status: 'appealed' },
      after: { status: w.status, comment: w.decision.comment },
    },
  );
}

/** A described deduction (LedgerApply) as the items' input: the change, and what goes with it. */
function applyInput(db: Db, input: LedgerApply): ApplyDeductionInput {
  const d = input.deduction;
  const [targetChange, ...withChange] = changeItems(db, input.change, input.audit.at);
  const extra = [
    ...(input.sweepTotals
      ? [sweepTotalsAdd(db, { year: d.year, asOf: d.asOf, entryId: d.deductionId, deptId: d.deptId, rule: d.rule, amountFen: d.amountFen })]
      : []),
    ...withChange,
    ...(input.decides ? decisionItems(db, input.decides) : []),
  ];
  return {
    deduction: d,
    targetChange,
    audit: input.audit,
    ...(input.outbox ? { outbox: input.outbox } : {}),
    ...(extra.length > 0 ? { extra } : {}),
  };
}

/** The deductions ledger: entries, their reversals, appeals and decisions. */
export function ledgerRepo(db: Db) {
  return {
    get: (deductionId: string) => getDeduction(db, deductionId),

    /** ONE transaction: entry, guarded change, pool credit, audit, outbox line (and decision). */
    apply(input: LedgerApply): Promise<ApplyOutcome> {
      return applyDeduction(db, applyInput(db, input));
    },

    /**
     * Several deductions, each with every item `apply` writes, in ONE transaction with one pool
     * credit of their sum (see applyDeductions). Those that also write a decision or a sweep's
     * totals, or debit the pool, go one transaction each.
     */
    async applyMany(inputs: LedgerApply[], lane = 0): Promise<ApplyOutcome[]> {
      const alone = (i: LedgerApply) => Boolean(i.decides || i.sweepTotals) || i.deduction.amountFen <= 0;
      const together = inputs.filter((i) => !alone(i));
      const batched =
        together.length > 0
          ? await applyDeductions(
              db,
              together.map((i) => applyInput(db, i)),
              lane,
            )
          : [];
      const byEntry = new Map(together.map((i, k) => [i.deduction.deductionId, batched[k] as ApplyOutcome]));
      return Promise.all(inputs.map((i) => (alone(i) ? applyDeduction(db, applyInput(db, i)) : (byEntry.get(i.deduction.deductionId) as ApplyOutcome))));
    },

    /** The entry moves applied → appealed; false if it was not `applied` any more. */
    async appeal(id: string, appeal: NonNullable<Deduction['appeal']>, audit: AuditStamp): Promise<boolean> {
      const outcome = await transact(
        db,
        statusItems(
          db,
          id,
          'applied',
          { status: 'appealed', appeal },
          {
            ...audit,
            entityType: 'Deduction',
            entityId: id,
            action: 'deduction.appealed',
            before: { status: 'applied' },
            after: { status: 'appealed', reason: appeal.reason },
          },
        ),
      );
      return outcome.ok;
    },

    /** The appeal is not upheld: the decision and the line that tells the department; false if decided meanwhile. */
    async uphold(
      w: DeductionDecisionWrite & { audit: AuditStamp },
      mail: { group: string; deptId: string; lineId: string; line: OutboxLine },
    ): Promise<boolean> {
      const outcome = await transact(db, [...decisionItems(db, w), outboxLinePut(db, mail.group, mail.deptId, mail.lineId, mail.line)]);
      return outcome.ok;
    },

    /**
     * By project: GSI2 (DEDT#project); otherwise by (pool) year: GSI1 (DEDS#year), narrowed to
     * a department by key prefix. The rule, the status (and year, with a project) are filters on those.
     */
    async page(q: DeductionQuery): Promise<{ items: StoredDeduction[]; nextToken?: string }> {
      const page = await queryPage<Record<string, unknown>>(db, deductionQuery(q), q.limit, q.nextToken);
      return { items: page.items.map((i) => stripKeys<StoredDeduction>(i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  };
}
export type LedgerRepo = ReturnType<typeof ledgerRepo>;

function deductionQuery(q: DeductionQuery): QueryInput {
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  const filters: string[] = [];
  let input: QueryInput;
  if (q.projectId) {
    values[':pk'] = keys.deductionTargetPartition('project', q.projectId);
    input = { IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk' };
    if (q.year !== undefined) {
      filters.push('#year = :year');
      names['#year'] = 'year';
      values[':year'] = q.year;
    }
    if (q.deptId) {
      filters.push('deptId = :dept');
      values[':dept'] = q.deptId;
    }
  } else {
    values[':pk'] = keys.deductionsPartition(q.year as number);
    input = { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk' };
    if (q.deptId) {
      input.KeyConditionExpression += ' AND begins_with(GSI1SK, :prefix)';
      values[':prefix'] = `${q.deptId}#`;
    }
  }
  if (q.rule) {
    filters.push('#rule = :rule');
    names['#rule'] = 'rule';
    values[':rule'] = q.rule;
  }
  if (q.status) {
    filters.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = q.status;
  }
  input.ExpressionAttributeValues = values;
  if (filters.length > 0) input.FilterExpression = filters.join(' AND ');
  if (Object.keys(names).length > 0) input.ExpressionAttributeNames = names;
  return input;
}
