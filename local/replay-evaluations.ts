/**
 * The evaluation season after a replayed year (SPEC §3.9, §3.10), for `npm run replay`: the
 * self-evaluation due-date reminders (with overdue rectifications), the year's self-evaluation
 * grades and key-evaluation figures as the routes report them, and the results proposals for
 * continuing next-year projects confirmed — each a RESULTS_CUT through the ledger.
 */
import { formatYuan } from '../shared/domain/money';
import type { Policy } from '../shared/domain/policy';

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export async function replayEvaluationSeason(year: number, policy: Policy, call: Call): Promise<string[]> {
  const lines = [`\nEvaluation season of ${year}:`];
  const dueDate = `${year + 1}-${policy.selfEvaluation.dueDate}`;
  const reminders = await call('POST', '/v1/jobs/reminders/runs', { asOf: dueDate });
  const r = reminders.body?.summary ?? reminders.body?.error ?? {};
  lines.push(
    `  ${dueDate}  reminders  unsubmitted=${r.unsubmitted ?? '?'} overdueRectifications=${r.overdueRectifications ?? '?'} departments=${r.departments ?? '?'}`,
  );
  const selfs = (await call('GET', `/v1/self-evaluations?year=${year}`)).body;
  const pub = (await call('GET', `/v1/public/${year}/self-evaluations`)).body;
  lines.push(
    `  self-evaluations  ${selfs?.total ?? 0}: ${Object.entries(selfs?.grades ?? {})
      .map(([g, n]) => `${g} ${n}`)
      .join(', ')}; published departments ${pub?.coverage?.departments ?? 0}`,
  );
  const s = (await call('GET', `/v1/evaluations/summary/${year}`)).body;
  lines.push(
    `  key evaluations  ${s?.count ?? 0}, ${formatYuan(s?.fundsFen ?? 0)}, growth ${s?.growthBp ?? '—'} bp, panel ${s?.panelMembers ?? 0}, suggestions ${s?.suggestions ?? 0} (rectified ${s?.rectified ?? 0})`,
  );
  const proposals = (await call('GET', `/v1/results/${year}/proposals`)).body?.items ?? [];
  let deductions = 0;
  let amountFen = 0;
  const due = proposals.filter((p: any) => p.action === 'cut' && p.continuing.length > 0 && p.status === 'proposed');
  for (const p of due) {
    const d = await call('POST', `/v1/results/${year}/proposals/${encodeURIComponent(p.proposalId)}/decision`, { decision: 'confirm', comment: 'replay' });
    deductions += d.body?.deductions ?? 0;
    amountFen += d.body?.amountFen ?? 0;
  }
  lines.push(`  results  ${due.length} proposals confirmed for ${year + 1}: deductions=${deductions} amountFen=${formatYuan(amountFen)}`);
  return lines;
}
