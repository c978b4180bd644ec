/**
 * The performance office decides an appeal (SPEC §2): uphold the deduction, or reverse it with
 * a new, compensating entry that gives the budget (or an idle-fund record's balance) back and
 * debits the pool — in the ledger's one transaction, with the decision on the original. The
 * department is told through the outbox; a retried decision answers as the first time.
 */
import type { Principal } from '../../domain/access';
import { decidedStatus, type DeductionDecision, reversalId, reversalOf } from '../../domain/appeals';
import { shanghaiDate } from '../../domain/dates';
import type { MailItem } from '../../domain/email';
import { reversalLine, upheldLine } from '../../domain/email-lines';
import { ConflictError } from '../../domain/errors';
import { KIND_INFO, recordAmount } from '../../domain/idle-records';
import { type StoredDeduction, targetId } from '../../domain/ledger';
import type { BalanceChange, DeductionDecisionWrite } from '../../domain/ledger-writes';
import type { AppDeps } from '../context';
import type { AuditStamp } from '../ledger/ports';
import { readableDeduction } from './reads';

export const decisionGroup = (deductionId: string) => `deduction-decision~${deductionId}`;

export interface DecisionResult {
  deduction: StoredDeduction;
  reversal?: StoredDeduction;
  /** Emails sealed by this decision (the caller starts the dispatcher when there are any). */
  mails: MailItem[];
}

const MAX_ATTEMPTS = 5;

/** One decision as both paths write it. */
interface Deciding {
  deps: AppDeps;
  d: StoredDeduction;
  write: DeductionDecisionWrite & { audit: AuditStamp };
  now: Date;
  appUrl: string;
}

export async function decideDeduction(
  deps: AppDeps,
  actor: Principal,
  id: string,
  input: DeductionDecision,
  appUrl = 'http://localhost:3000',
): Promise<DecisionResult> {
  for (let attempt = 1; ; attempt++) {
    const d = await readableDeduction(deps, actor, id);
    const replay = await replayDecision(deps, d, input);
    if (replay) return replay;
    const status = decidedStatus(d.status, input.decision);
    const now = deps.clock.now();
    const decision = { decision: input.decision, comment: input.comment, at: now.toISOString(), by: actor.sub };
    const write = { deductionId: id, status, decision, audit: { auditId: deps.ids.next(), actor: actor.sub, at: decision.at } };
    const deciding: Deciding = { deps, d, write, now, appUrl };
    const result = status === 'upheld' ? await uphold(deciding) : await reverse(deciding, actor);
    if (result) return result;
    // A concurrent decision (the re-read answers it as a replay, or refuses it), or what the
    // deduction took from moved: read again.
    if (attempt >= MAX_ATTEMPTS) {
      throw new ConflictError(
        'CONCURRENT_UPDATE',
        status === 'upheld' ? 'The deduction is changing; try again' : 'What this deduction took from is changing too fast; try again',
      );
    }
  }
}

const sealDecision = (c: Deciding) => c.deps.repos.outbox.seal(decisionGroup(c.d.deductionId), `${shanghaiDate(c.now)} 扣减申诉处理结果`, c.now, c.appUrl);

async function uphold(c: Deciding): Promise<DecisionResult | undefined> {
  const { d } = c;
  const line = upheldLine(d, c.write.decision.comment);
  const ok = await c.deps.repos.ledger.uphold(c.write, { group: decisionGroup(d.deductionId), deptId: d.deptId, lineId: `${d.deductionId}~upheld`, line });
  if (!ok) return undefined;
  return { deduction: { ...d, status: c.write.status, decision: c.write.decision }, mails: await sealDecision(c) };
}

async function reverse(c: Deciding, actor: Principal): Promise<DecisionResult | undefined> {
  const { deps, d } = c;
  const at = c.write.decision.at;
  const today = shanghaiDate(c.now);
  const restore = await restoration(deps, d);
  const reversal = reversalOf(d, { budgetFen: restore.beforeFen }, { now: at, today, by: actor.sub, comment: c.write.decision.comment });
  const outcome = await deps.repos.ledger.apply({
    deduction: reversal,
    change: restore.change(reversal, actor.sub),
    audit: { auditId: deps.ids.next(), actor: actor.sub, at, action: 'deduction.reversal' },
    outbox: { group: decisionGroup(d.deductionId), line: reversalLine(d, reversal, restore, today, c.write.decision.comment) },
    decides: c.write,
  });
  if (outcome === 'applied') {
    return { deduction: { ...d, status: c.write.status, decision: c.write.decision }, reversal, mails: await sealDecision(c) };
  }
  // 'exists': a concurrent decision made the reversal (answered as a replay on re-read);
  // 'guard-failed': the budget moved, or the original was decided meanwhile: read again.
  if (outcome === 'guard-failed' && restore.kind === 'record') {
    const again = await readableDeduction(deps, actor, d.deductionId);
    if (again.status === 'appealed') {
      throw new ConflictError(
        'REVERSAL_NOT_POSSIBLE',
        `The ${d.target.kind} is no longer closed by this deduction (it was changed since); nothing was reversed`,
      );
    }
  }
  return undefined;
}

interface Restoration {
  kind: 'project' | 'record';
  beforeFen: number;
  subject: string;
  subjectLabel?: string;
  balanceWord?: string;
  change(reversal: StoredDeduction, actor: string): BalanceChange;
}

/**
 * How a reversal gives the money back: a project's budget (guarded by the budget it read), or
 * an idle-fund record's balance (guarded by the record still being closed by this very
 * deduction).
 */
async function restoration(deps: AppDeps, d: StoredDeduction): Promise<Restoration> {
  if (d.target.kind === 'project') {
    const project = await deps.repos.leaves.project(d.target.projectId);
    if (!project) throw new ConflictError('TARGET_GONE', `Project ${d.target.projectId} no longer exists`);
    return {
      kind: 'project',
      beforeFen: project.budgetFen,
      subject: project.name,
      change: (r) => ({ kind: 'project-budget', projectId: project.projectId, beforeFen: r.budgetBeforeFen, afterFen: r.budgetAfterFen }),
    };
  }
  const kind = d.target.kind;
  const recordKey = targetId(d.target);
  const record = await deps.repos.idleFunds.get(kind, recordKey);
  if (!record) throw new ConflictError('TARGET_GONE', `The ${kind} ${recordKey} no longer exists`);
  return {
    kind: 'record',
    beforeFen: recordAmount(record),
    subject: 'unitName' in record ? record.unitName : 'counterparty' in record ? record.counterparty : recordKey,
    subjectLabel: KIND_INFO[kind].zh,
    balanceWord: kind === 'payable' ? '挂账金额' : '余额',
    change: (r, actor) => ({ kind: 'record-restore', record, originalId: d.deductionId, reversalId: r.deductionId, amountFen: r.budgetAfterFen, actor }),
  };
}

async function replayDecision(deps: AppDeps, d: StoredDeduction, input: DeductionDecision): Promise<DecisionResult | undefined> {
  if (!d.decision || d.decision.decision !== input.decision || d.decision.comment !== input.comment) return undefined;
  const reversal = d.status === 'reversed' ? await deps.repos.ledger.get(reversalId(d.deductionId)) : undefined;
  return { deduction: d, ...(reversal ? { reversal } : {}), mails: [] };
}
