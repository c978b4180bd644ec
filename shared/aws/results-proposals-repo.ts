/** Decisions on results proposals (SPEC §3.10) in `RESULTS#year`, keys from keys.ts. */
import type { AuditEntry } from '../domain/audit';
import type { StoredProposal } from '../domain/evaluations';
import { auditPut } from './audit';
import { type Db, getItem, queryAll, stripKeys, transact } from './db';
import { keys } from './keys';

export function resultsProposalsRepo(db: Db) {
  return {
    async get(year: number, proposalId: string): Promise<StoredProposal | undefined> {
      const item = await getItem(db, keys.resultsProposal(year, proposalId));
      return item ? stripKeys<StoredProposal>(item) : undefined;
    },
    async list(year: number): Promise<StoredProposal[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.resultsProposalsPartition(year), ':prefix': 'PROP#' },
      });
      return items.map((i) => stripKeys<StoredProposal>(i));
    },
    async decide(p: StoredProposal, audit: AuditEntry) {
      const key = keys.resultsProposal(p.year, p.proposalId);
      const out = await transact(db, [
        { Put: { TableName: db.table, Item: { ...key, entity: 'ResultsProposal', v: 1, ...p }, ConditionExpression: 'attribute_not_exists(PK)' } },
        auditPut(db, key.PK, audit),
      ]);
      return out.ok ? ('ok' as const) : ('exists' as const);
    },
  };
}
