/**
 * Performance targets (绩效目标) of projects and of departments as a whole (SPEC §3.4), one
 * file per verb: save, submit, review, the cut, reads, publication. See docs/targets.md.
 */
export type { CutRecord, ReviewRecord, StoredTarget, TargetRef } from '../../domain/targets';
export { finishPendingCut } from './cut';
export type { ExAnteAssessment, ExAnteAssessments, TargetsRepo } from './ports';
export type { TargetDeps } from './deps';
export { publishedTargets } from './publication';
export { getTarget, listTargets, targetHistory, targetStates } from './reads';
export { reviewTarget } from './review';
export { saveTarget } from './save';
export { submitTarget } from './submit';
export { targetView } from './views';
