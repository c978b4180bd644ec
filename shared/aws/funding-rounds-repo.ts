/**
 * Funding rounds (SPEC §3.2): every round of a year's domain is kept (`ROUNDS#year#domain /
 * R#ulid`), written once with its audit record; the latest is the last in key order.
 */
import type { AuditEntry } from '../domain/audit';
import type { FundingRound } from '../domain/front';
import { auditPut } from './audit';
import { type Db, queryPage, stripKeys, transact } from './db';
import { keys } from './keys';

export function fundingRoundsRepo(db: Db) {
  return {
    async put(r: FundingRound, audit: AuditEntry): Promise<void> {
      const key = keys.fundingRound(r.year, r.domain, r.roundId);
      const out = await transact(db, [
        { Put: { TableName: db.table, Item: { ...key, entity: 'FundingRound', v: 1, ...r }, ConditionExpression: 'attribute_not_exists(PK)' } },
        auditPut(db, key.PK, audit),
      ]);
      if (!out.ok) throw new Error(`funding round ${r.roundId} already exists`);
    },
    async latest(year: number, domain: string): Promise<FundingRound | undefined> {
      const page = await queryPage(
        db,
        {
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.fundingRoundsPartition(year, domain), ':prefix': keys.fundingRoundPrefix() },
          ScanIndexForward: false,
        },
        1,
      );
      const item = page.items[0];
      return item ? stripKeys<FundingRound>(item) : undefined;
    },
  };
}
export type FundingRoundsRepo = ReturnType<typeof fundingRoundsRepo>;
