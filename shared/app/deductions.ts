/**
 * The deductions ledger as the API shows it (SPEC §2, §6): list and read (a department sees
 * only its own), appeal (the department, by the deadline) and decision (the performance
 * office: uphold, or reverse with a new compensating entry that gives the budget back and
 * debits the pool, in one transaction). Decisions are emailed through the outbox.
 */
import { auditPut } from '../aws/audit';
import { getItem, queryPage, type QueryInput, transact, type TransactItem } from '../aws/db';
import { idleRepo, recordRestoreChange } from '../aws/idle-funds-repo';
import { keys } from '../aws/keys';
import { applyDeduction, getDeduction, projectBudgetChange } from '../aws/ledger';
import { type MailItem, outboxLinePut, sealGroup } from '../aws/outbox';
import { projectsRepo, stripKeys } from '../aws/projects-repo';
import { canReadDepartment, type Principal, scopeDepartment } from '../domain/access';
import { assertAppealable, decidedStatus, type DeductionDecision, deadlineOf, reversalId, reversalOf } from '../domain/appeals';
import { shanghaiDate } from '../domain/dates';
import type { EmailLine } from '../domain/email';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { KIND_INFO, recordAmount } from '../domain/idle-records';
import { type Deduction, type DeductionRule, RULE_WORDS, targetId } from '../domain/ledger';
import { formatYuan } from '../domain/money';
import type { AppDeps } from './context';
import { effectivePolicy } from './policies';
import { readableProject } from './projects';

type StoredDeduction = Deduction & { appealDeadline?: string };

export function deductionView(d: StoredDeduction) {
  return d;
}

async function readable(deps: AppDeps, actor: Principal, id: string): Promise<StoredDeduction> {
  const d = (await getDeduction(deps.db, id)) as StoredDeduction | undefined;
  if (!d || !canReadDepartment(actor, d.deptId)) throw new NotFoundError(`No deduction ${id}`);
  return d;
}

export async function getDeductionFor(deps: AppDeps, actor: Principal, id: string) {
  return deductionView(await readable(deps, actor, id));
}

export interface DeductionQuery {
  year?: number;
  deptId?: string;
  projectId?: string;
  rule?: DeductionRule;
  limit: number;
  nextToken?: string;
}

/**
 * By project: GSI2 (DEDT#project); otherwise by (pool) year: GSI1 (DEDS#year), narrowed to a
 * department by key prefix. The rule (and year, with a project) are filters on those.
 */
export async function listDeductions(deps: AppDeps, actor: Principal, q: DeductionQuery) {
  const deptId = scopeDepartment(actor, q.deptId);
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  const filters: string[] = [];
  let input: QueryInput;
  if (q.projectId) {
    await readableProject(deps, actor, q.projectId);
    values[':pk'] = keys.deductionTargetPartition('project', q.projectId);
    input = { IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk' };
    if (q.year !== undefined) {
      filters.push('#year = :year');
      names['#year'] = 'year';
      values[':year'] = q.year;
    }
    if (deptId) {
      filters.push('deptId = :dept');
      values[':dept'] = deptId;
    }
  } else {
    if (q.year === undefined) throw new ValidationError([{ path: 'query.year', message: 'give a year, or a projectId' }]);
    values[':pk'] = keys.deductionsPartition(q.year);
    input = { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk' };
    if (deptId) {
      input.KeyConditionExpression += ' AND begins_with(GSI1SK, :prefix)';
      values[':prefix'] = `${deptId}#`;
    }
  }
  if (q.rule) {
    filters.push('#rule = :rule');
    names['#rule'] = 'rule';
    values[':rule'] = q.rule;
  }
  input.ExpressionAttributeValues = values;
  if (filters.length > 0) input.FilterExpression = filters.join(' AND ');
  if (Object.keys(names).length > 0) input.ExpressionAttributeNames = names;
  const page = await queryPage<Record<string, unknown>>(deps.db, input, q.limit, q.nextToken);
  return {
    items: page.items.map((i) => deductionView(stripKeys<StoredDeduction>(i))),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}

export async function appealDeduction(deps: AppDeps, actor: Principal, id: string, input: { reason: string }) {
  const d = await readable(deps, actor, id);
  if (d.status === 'appealed' && d.appeal?.reason === input.reason && d.appeal.by === actor.sub) return deductionView(d);
  const nowDate = deps.clock.now();
  const today = shanghaiDate(nowDate);
  const policy = d.appealDeadline ? undefined : await effectivePolicy(deps.db, d.year);
  const deadline = deadlineOf(d, shanghaiDate(d.createdAt), policy?.notifications.appealDays ?? 0);
  assertAppealable(d, today, deadline);
  const now = nowDate.toISOString();
  const appeal = { reason: input.reason, at: now, by: actor.sub, deadline };
  const outcome = await transact(deps.db, [
    {
      Update: {
        TableName: deps.db.table,
        Key: keys.deduction(id),
        UpdateExpression: 'SET #status = :appealed, appeal = :appeal',
        ConditionExpression: '#status = :applied',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':appealed': 'appealed', ':applied': 'applied', ':appeal': appeal },
      },
    },
    auditPut(deps.db, keys.deduction(id).PK, {
      auditId: deps.ids.next(),
      entityType: 'Deduction',
      entityId: id,
      action: 'deduction.appealed',
      actor: actor.sub,
      at: now,
      before: { status: 'applied' },
      after: { status: 'appealed', reason: input.reason },
    }),
  ]);
  if (!outcome.ok) {
    const again = await readable(deps, actor, id);
    if (again.status === 'appealed' && again.appeal?.reason === input.reason && again.appeal.by === actor.sub) return deductionView(again);
    throw new ConflictError('ILLEGAL_TRANSITION', `The deduction is ${again.status}`, { status: again.status });
  }
  return deductionView({ ...d, status: 'appealed', appeal });
}

export const decisionGroup = (deductionId: string) => `deduction-decision~${deductionId}`;

export interface DecisionResult {
  deduction: StoredDeduction;
  reversal?: StoredDeduction;
  /** Emails sealed by this decision (the caller starts the dispatcher when there are any). */
  mails: MailItem[];
}

const MAX_ATTEMPTS = 5;

export async function decideDeduction(
  deps: AppDeps,
  actor: Principal,
  id: string,
  input: DeductionDecision,
  appUrl = 'http://localhost:3000',
): Promise<DecisionResult> {
  for (let attempt = 1; ; attempt++) {
    const d = await readable(deps, actor, id);
    const replay = await replayDecision(deps, d, input);
    if (replay) return replay;
    const status = decidedStatus(d.status, input.decision);
    const nowDate = deps.clock.now();
    const now = nowDate.toISOString();
    const today = shanghaiDate(nowDate);
    const decision = { decision: input.decision, comment: input.comment, at: now, by: actor.sub };
    const group = decisionGroup(id);
    const markOriginal = {
      Update: {
        TableName: deps.db.table,
        Key: keys.deduction(id),
        UpdateExpression: 'SET #status = :status, decision = :decision',
        ConditionExpression: '#status = :appealed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':decision': decision, ':appealed': 'appealed' },
      },
    };
    const auditOriginal = auditPut(deps.db, keys.deduction(id).PK, {
      auditId: deps.ids.next(),
      entityType: 'Deduction',
      entityId: id,
      action: `deduction.${status}`,
      actor: actor.sub,
      at: now,
      before: { status: 'appealed' },
      after: { status, comment: input.comment },
    });

    if (status === 'upheld') {
      const line: EmailLine = {
        kind: 'notice',
        title: '扣减申诉未获支持',
        subject: `扣减编号 ${id}`,
        subjectId: targetId(d.target),
        details: [`规则：${RULE_WORDS[d.rule].zh}（${d.asOf}）`, `扣减金额：${formatYuan(d.amountFen)}，维持原扣减。`, `处理意见：${input.comment}`],
      };
      const outcome = await transact(deps.db, [markOriginal, auditOriginal, outboxLinePut(deps.db, group, d.deptId, `${id}~upheld`, line)]);
      if (!outcome.ok) {
        // A concurrent decision: the re-read answers it as a replay, or refuses it.
        if (attempt >= MAX_ATTEMPTS) throw new ConflictError('CONCURRENT_UPDATE', 'The deduction is changing; try again');
        continue;
      }
      const mails = await sealGroup(deps.db, group, `${today} 扣减申诉处理结果`, nowDate, appUrl);
      return { deduction: { ...d, status, decision }, mails };
    }

    const restore = await restoration(deps, d, { now, actor: actor.sub });
    const reversal = reversalOf(d, { budgetFen: restore.beforeFen }, { now, today, by: actor.sub, comment: input.comment });
    const line: EmailLine = {
      kind: 'deduction',
      deductionId: reversal.deductionId,
      rule: 'REVERSAL',
      subject: restore.subject,
      subjectId: targetId(d.target),
      ...(restore.subjectLabel ? { subjectLabel: restore.subjectLabel, balanceWord: restore.balanceWord } : {}),
      amountFen: reversal.amountFen,
      budgetBeforeFen: reversal.budgetBeforeFen,
      budgetAfterFen: reversal.budgetAfterFen,
      asOf: today,
      appealDeadline: d.appealDeadline ?? today,
      notes: [`冲回原扣减：${d.deductionId}（${RULE_WORDS[d.rule].zh}，${d.asOf}）`, `处理意见：${input.comment}`],
    };
    const outcome = await applyDeduction(deps.db, {
      deduction: reversal,
      targetChange: restore.change(reversal),
      audit: { auditId: deps.ids.next(), actor: actor.sub, at: now, action: 'deduction.reversal' },
      outbox: { group, line },
      extra: [markOriginal, auditOriginal],
    });
    if (outcome === 'applied') {
      const mails = await sealGroup(deps.db, group, `${today} 扣减申诉处理结果`, nowDate, appUrl);
      return { deduction: { ...d, status, decision }, reversal, mails };
    }
    // 'exists': a concurrent decision made the reversal (answered as a replay on re-read);
    // 'guard-failed': the budget moved, or the original was decided meanwhile: read again.
    if (outcome === 'guard-failed' && restore.kind === 'record') {
      const again = await readable(deps, actor, id);
      if (again.status === 'appealed') {
        throw new ConflictError('REVERSAL_NOT_POSSIBLE', `The ${d.target.kind} is no longer closed by this deduction (it was changed since); nothing was reversed`);
      }
    }
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('CONCURRENT_UPDATE', 'What this deduction took from is changing too fast; try again');
  }
}

interface Restoration {
  kind: 'project' | 'record';
  beforeFen: number;
  subject: string;
  subjectLabel?: string;
  balanceWord?: string;
  change(reversal: Deduction): TransactItem;
}

/**
 * How a reversal gives the money back: a project's budget (guarded by the budget it read), or
 * an idle-fund record's balance (guarded by the record still being closed by this very
 * deduction: recordRestoreChange of the idle-funds repository).
 */
async function restoration(deps: AppDeps, d: StoredDeduction, at: { now: string; actor: string }): Promise<Restoration> {
  if (d.target.kind === 'project') {
    const project = await projectsRepo(deps.db).get(d.target.projectId);
    if (!project) throw new ConflictError('TARGET_GONE', `Project ${d.target.projectId} no longer exists`);
    return {
      kind: 'project',
      beforeFen: project.budgetFen,
      subject: project.name,
      change: (r) => projectBudgetChange(deps.db, { projectId: project.projectId, beforeFen: r.budgetBeforeFen, afterFen: r.budgetAfterFen, now: at.now }),
    };
  }
  const kind = d.target.kind;
  const recordKey = targetId(d.target);
  const record = await idleRepo(deps.db).get(kind, recordKey);
  if (!record) throw new ConflictError('TARGET_GONE', `The ${kind} ${recordKey} no longer exists`);
  return {
    kind: 'record',
    beforeFen: recordAmount(record),
    subject: 'unitName' in record ? record.unitName : 'counterparty' in record ? record.counterparty : recordKey,
    subjectLabel: KIND_INFO[kind].zh,
    balanceWord: kind === 'payable' ? '挂账金额' : '余额',
    change: (r) =>
      recordRestoreChange(deps.db, record, { originalId: d.deductionId, reversalId: r.deductionId, amountFen: r.budgetAfterFen, now: at.now, actor: at.actor }),
  };
}

async function replayDecision(deps: AppDeps, d: StoredDeduction, input: DeductionDecision): Promise<DecisionResult | undefined> {
  if (!d.decision || d.decision.decision !== input.decision || d.decision.comment !== input.comment) return undefined;
  const reversal = d.status === 'reversed' ? ((await getItem(deps.db, keys.deduction(reversalId(d.deductionId)))) as Record<string, unknown> | undefined) : undefined;
  return { deduction: d, ...(reversal ? { reversal: stripKeys<StoredDeduction>(reversal) } : {}), mails: [] };
}
