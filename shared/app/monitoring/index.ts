/** The monitoring area (SPEC §3.5): file-report, reads (reports, snapshots), suspension. */
export { fileReport, type ReportTarget, targetForReport } from './file-report';
export { getReport, getSnapshot, listReports, reportView, snapshotProjectView } from './reads';
export { liftSuspension, suspendMove, type SuspensionRecord } from './suspension';
