/**
 * The deductions area (SPEC §2, §6): reads (list and read; a department sees only its own),
 * appeal (the department, by the deadline) and decide (the performance office: uphold, or
 * reverse with a compensating entry through the ledger). Decisions are emailed via the outbox.
 */
export { appealDeduction } from './appeal';
export { type DecisionResult, decideDeduction, decisionGroup } from './decide';
export { type DeductionQuery, deductionView, getDeductionFor, listDeductions } from './reads';
