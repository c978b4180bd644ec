/**
 * The ports: what use cases ask of storage, one repository per entity. `shared/aws/` implements
 * them (structurally: adapters import domain types, never this file) and the composition root
 * (`functions/compose.ts`) hands them over. Use cases never see a table, a key or an expression.
 */
import type { IdleFundsPort } from './idle-funds/ports';
import type { ExemptionsPort, LeavesPort, LedgerPort, OutboxPort, ProjectFlagsPort } from './ledger/ports';
import type { MonitoringPort, SnapshotsPort } from './monitoring/ports';
import type { PoolPort } from './pool/ports';

export interface Repositories {
  ledger: LedgerPort;
  outbox: OutboxPort;
  leaves: LeavesPort;
  exemptions: ExemptionsPort;
  pool: PoolPort;
  projectFlags: ProjectFlagsPort;
  monitoring: MonitoringPort;
  snapshots: SnapshotsPort;
  idleFunds: IdleFundsPort;
}
