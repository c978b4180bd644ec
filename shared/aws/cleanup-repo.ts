/**
 * The clean-up of a year (SPEC §3.3). Three small repositories over what it reads and writes:
 * - the candidates of a scan (`CLEANUP#year#scanId / kind#seq`), written in batches, then the
 *   year's LATEST pointer (so a scan cut short is never listed; every scan is kept);
 * - the goals of a year's project targets, read from the targets' per-year index (GSI3
 *   `TARGETS#year`, projected to project id and goal): the scan's text is name + goal;
 * - the year's CLEANUP_CUT entries of the ledger and their reversals (GSI1 `DEDS#year`,
 *   filtered by rule), from which the totals are computed.
 * All are queries on a partition, never a Scan.
 */
import type { CleanupScanHeader, StoredCandidate } from '../domain/front';
import type { Deduction } from '../domain/ledger';
import { batchWriteAll, type Db, getItem, queryAll, stripKeys } from './db';
import { keys } from './keys';

export function cleanupCandidatesRepo(db: Db) {
  return {
    async saveScan(header: CleanupScanHeader, candidates: StoredCandidate[]): Promise<void> {
      await batchWriteAll(
        db,
        candidates.map((c) => ({ ...keys.cleanupCandidate(header.year, header.scanId, c.kind, c.seq), entity: 'CleanupCandidate', v: 1, ...c })),
      );
      await batchWriteAll(db, [{ ...keys.cleanupScan(header.year), entity: 'CleanupScan', v: 1, ...header }]);
    },
    async latest(year: number): Promise<CleanupScanHeader | undefined> {
      const item = await getItem(db, keys.cleanupScan(year));
      return item ? stripKeys<CleanupScanHeader>(item) : undefined;
    },
    async list(year: number, scanId: string, kind?: string): Promise<StoredCandidate[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: kind ? 'PK = :pk AND begins_with(SK, :prefix)' : 'PK = :pk',
        ExpressionAttributeValues: {
          ':pk': keys.cleanupCandidatesPartition(year, scanId),
          ...(kind ? { ':prefix': keys.cleanupKindPrefix(kind) } : {}),
        },
      });
      return items.map((i) => stripKeys<StoredCandidate>(i));
    },
  };
}

export function targetGoalsRepo(db: Db) {
  return {
    /** projectId → goal of every project target of the year (any status). */
    async goalsOfYear(year: number): Promise<Map<string, string>> {
      const items = await queryAll(db, {
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.targetsPartition(year), ':project': 'project' },
        FilterExpression: 'kind = :project',
        ProjectionExpression: 'projectId, goal',
      });
      return new Map(items.map((i) => [i.projectId as string, (i.goal as string | undefined) ?? '']));
    },
  };
}

export function cleanupLedgerRepo(db: Db) {
  return {
    /** The year's CLEANUP_CUT entries and the reversals of any of them. */
    async cutsOfYear(year: number): Promise<{ cuts: Deduction[]; reversals: Deduction[] }> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        FilterExpression: '#rule = :cut OR (#rule = :rev AND begins_with(reversesDeductionId, :cutPrefix))',
        ExpressionAttributeNames: { '#rule': 'rule' },
        ExpressionAttributeValues: { ':pk': keys.deductionsPartition(year), ':cut': 'CLEANUP_CUT', ':rev': 'REVERSAL', ':cutPrefix': 'CLEANUP_CUT~' },
      });
      const all = items.map((i) => stripKeys<Deduction>(i));
      return { cuts: all.filter((d) => d.rule === 'CLEANUP_CUT'), reversals: all.filter((d) => d.rule === 'REVERSAL') };
    },
  };
}
