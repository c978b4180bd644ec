/**
 * Applying a next-year consequence to one leaf through the shared ledger path (cutProject):
 * a confirmed results proposal (RESULTS_CUT) or a §3.7 cap (NEXT_YEAR_CAP). Used when the
 * decision is taken (decide.ts) and when a continuing project appears or grows after it
 * (consequences.ts). Deduction ids are deterministic (rule + leaf + the decision's as-of date
 * [+ what raised the budget]), so every rerun meets its own entry and changes nothing.
 */
import { SYSTEM, type Principal } from '../../domain/access';
import type { StoredProposal } from '../../domain/evaluations';
import { formatBp, formatYuan } from '../../domain/money';
import type { Policy } from '../../domain/policy';
import { isLeaf, type Project } from '../../domain/project';
import { capCut } from '../../domain/rules/progress-cap';
import { resultsCut } from '../../domain/rules/results';
import type { AppDeps } from '../context';
import { cutProject, type ProjectCutOutcome, type StoredProject } from '../ledger/cut-project';

export interface ApplyOpts {
  actor?: Principal;
  outboxGroup: string;
  /** Only this much of the budget is cut by a share (a raise after the decision). */
  raisedFen?: number;
  discriminator?: string;
}

export function applyResultsCut(
  deps: AppDeps,
  policy: Policy,
  proposal: StoredProposal,
  graded: Project,
  leaf: Project,
  opts: ApplyOpts,
): Promise<ProjectCutOutcome> {
  const run = { deps, asOf: proposal.decidedOn, year: proposal.year + 1, policy, actor: opts.actor ?? SYSTEM, outboxGroup: opts.outboxGroup };
  return cutProject(
    run,
    'RESULTS_CUT',
    leaf as StoredProject,
    (p) => {
      if (p.status === 'cancelled' || !isLeaf(p)) return { none: 'gone' };
      const base = opts.raisedFen === undefined ? p.budgetFen : Math.min(opts.raisedFen, p.budgetFen);
      const share = resultsCut({ budgetFen: base, spentFen: 0 }, proposal.cutBp).amountFen;
      const amountFen = Math.max(0, Math.min(share, p.budgetFen - Math.max(0, p.spentFen)));
      if (amountFen <= 0) return { none: 'nothing-to-cut' };
      return {
        amountFen,
        budgetAfterFen: p.budgetFen - amountFen,
        figures: {
          budgetFen: p.budgetFen,
          spentFen: p.spentFen,
          cutBp: proposal.cutBp,
          grade: proposal.grade,
          gradeSource: proposal.gradeSource,
          gradeSourceId: proposal.gradeSourceId,
          gradedProjectId: graded.projectId,
          gradedYear: graded.year,
          ...(opts.raisedFen !== undefined ? { raisedFen: opts.raisedFen } : {}),
        },
        line: {
          notes: [
            `延续上年项目：${graded.name}（${graded.projectId}），${graded.year} 年度评价等级“${proposal.grade}”（${proposal.gradeSource === 'key-evaluation' ? `重点评价 ${proposal.gradeSourceId}` : '绩效自评'}）`,
            `按评价结果压减 ${formatBp(proposal.cutBp)}${opts.raisedFen !== undefined ? `（本次追加 ${formatYuan(opts.raisedFen)} 部分）` : ''}，不低于已支出 ${formatYuan(p.spentFen)}`,
          ],
        },
      };
    },
    opts.discriminator ? { discriminator: opts.discriminator } : {},
  );
}

export function applyCap(
  deps: AppDeps,
  policy: Policy,
  capped: Project & { nextYearCapFen: number; nextYearCapAsOf?: string },
  leaf: Project,
  allowanceFen: number,
  opts: ApplyOpts,
): Promise<ProjectCutOutcome> {
  const asOf = capped.nextYearCapAsOf ?? `${capped.year}-12-31`;
  const run = { deps, asOf, year: capped.year, policy, actor: opts.actor ?? SYSTEM, outboxGroup: opts.outboxGroup };
  return cutProject(
    run,
    'NEXT_YEAR_CAP',
    leaf as StoredProject,
    (p) => {
      if (p.status === 'cancelled' || !isLeaf(p)) return { none: 'gone' };
      const r = capCut({ budgetFen: p.budgetFen, spentFen: p.spentFen, allowanceFen });
      if (r.amountFen <= 0) return { none: 'within-cap' };
      return {
        amountFen: r.amountFen,
        budgetAfterFen: r.budgetAfterFen,
        figures: {
          budgetFen: p.budgetFen,
          spentFen: p.spentFen,
          capFen: capped.nextYearCapFen,
          allowanceFen,
          cappedProjectId: capped.projectId,
          cappedYear: capped.year,
          appliedAfterDecision: true,
        },
        line: {
          notes: [
            `延续上年项目：${capped.name}（${capped.projectId}），上年支出进度未达要求，下一年度按实际执行数安排`,
            `上年实际支出（预算上限）：${formatYuan(capped.nextYearCapFen)}${allowanceFen !== capped.nextYearCapFen ? `；本项目可用上限 ${formatYuan(allowanceFen)}` : ''}`,
          ],
        },
      };
    },
    opts.discriminator ? { discriminator: opts.discriminator } : {},
  );
}
