/** Every repository over one table: what the composition root hands to use cases. */
import type { Db } from './db';
import { exemptionsRepo } from './exemptions-repo';
import { idleRepo } from './idle-funds-repo';
import { leavesRepo } from './leaves';
import { ledgerRepo } from './ledger';
import { monitoringRepo } from './monitoring-repo';
import { outboxRepo } from './outbox';
import { poolRepo } from './pool';
import { projectFlagsRepo } from './project-flags-repo';
import { snapshotRepo } from './snapshot-repo';

export function tableRepositories(db: Db) {
  return {
    ledger: ledgerRepo(db),
    outbox: outboxRepo(db),
    leaves: leavesRepo(db),
    exemptions: exemptionsRepo(db),
    pool: poolRepo(db),
    projectFlags: projectFlagsRepo(db),
    monitoring: monitoringRepo(db),
    snapshots: snapshotRepo(db),
    idleFunds: idleRepo(db),
  };
}
