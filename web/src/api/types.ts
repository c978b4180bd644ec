/**
 * The API's shapes, from the OpenAPI document: web/src/api/schema.d.ts is generated from
 * docs/openapi.json by `npm run openapi` (a unit test fails when it is stale), so a change of a
 * response schema on the server shows up here as a type error, not as a blank page.
 */
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
type S = components['schemas'];

export type Role = 'department' | 'finance' | 'performance' | 'expert';

export type ProjectView = S['ProjectView'];
export type Deduction = S['Deduction'];
export type DeductionRule = Deduction['rule'];
export type DeductionStatus = Deduction['status'];
/** A ledger line as the deductions routes answer it (with its appeal, once filed). */
export type LedgerEntry = Deduction;
export type Inbox = S['Inbox'];
export type InboxItem = Inbox['items'][number];
export type InboxKind = S['InboxKind'];
export type TargetStatus = S['TargetStatus'];
export type TargetList = S['TargetList'];
export type TargetRow = TargetList['items'][number];
export type Indicator = S['TargetIndicator'];
export type TargetDetail = S['TargetView'];
export type Pool = S['Pool'];
export type JobRun = S['JobRun'];
export type PublicTargets = S['PublicTargets'];
export type Department = S['Department'];
export type Exemption = S['Exemption'];
export type Carryover = S['Carryover'];
export type Payable = S['Payable'];
export type AccountBalance = S['AccountBalance'];
export type IdleRecord = Carryover | Payable | AccountBalance;
export type IdleKind = 'carryover' | 'payable' | 'account';
export type LibraryIndicator = S['LibraryIndicator'];
export type LintProblem = TargetDetail['lint'][number];
export type FundingRound = S['FundingRound'];
export type SelfEvaluation = S['SelfEvaluation'];
export type Suggestion = S['Suggestion'];
export type KeyEvaluation = S['Evaluation'];
export type SelfEvaluationPrefill = S['SelfEvaluationPrefill'];
export type DerivationLine = S['DerivationLine'];
export type EvaluationDetail = S['EvaluationDetail'];
export type EvaluationSummary = S['EvaluationSummary'];
export type ExpertScore = S['ExpertScore'];
export type CleanupCandidates = S['CleanupCandidates'];
export type CleanupCandidate = S['CleanupCandidate'];
export type CleanupTotals = S['CleanupTotals'];
export type Proposals = S['Proposals'];
export type Proposal = S['Proposal'];
