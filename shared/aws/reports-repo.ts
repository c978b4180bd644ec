/**
 * The annual report's publication mark (`REPORT#year` / `PUBLISHED`) and the what-if scenario
 * records (`SCENARIO#id`): each written once, conditionally, with its audit record.
 */
import type { AuditEntry } from '../domain/audit';
import type { ReportPublication as Publication, ScenarioRecord as Scenario } from '../domain/report/records';
import { auditPut } from './audit';
import { type Db, getItem, stripKeys, transact } from './db';
import { keys } from './keys';

export function reportsRepo(db: Db) {
  const putOnce = async (key: { PK: string; SK: string }, item: Record<string, unknown>, audit: AuditEntry): Promise<'ok' | 'exists'> => {
    const outcome = await transact(db, [
      { Put: { TableName: db.table, Item: { ...key, v: 1, ...item }, ConditionExpression: 'attribute_not_exists(PK)' } },
      auditPut(db, key.PK, audit),
    ]);
    return outcome.ok ? 'ok' : 'exists';
  };
  return {
    async publication(year: number): Promise<Publication | undefined> {
      const item = await getItem(db, keys.reportPublication(year));
      return item ? stripKeys<Publication>(item) : undefined;
    },
    publish: (p: Publication, audit: AuditEntry) => putOnce(keys.reportPublication(p.year), { entity: 'ReportPublication', ...p }, audit),
    async scenario(scenarioId: string): Promise<Scenario | undefined> {
      const item = await getItem(db, keys.scenario(scenarioId));
      return item ? stripKeys<Scenario>(item) : undefined;
    },
    putScenario: (s: Scenario, audit: AuditEntry) => putOnce(keys.scenario(s.scenarioId), { entity: 'Scenario', ...s }, audit),
  };
}
