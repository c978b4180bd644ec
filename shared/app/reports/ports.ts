/** What the report and what-if use cases ask of storage (SPEC §3.11): publication and scenarios. */
import type { AuditEntry } from '../../domain/audit';
import type { ReportPublication, ScenarioRecord } from '../../domain/report/records';

export type { ReportPublication, ScenarioRecord } from '../../domain/report/records';

export interface ReportsRepo {
  publication(year: number): Promise<ReportPublication | undefined>;
  /** Publishes the year once; 'exists' when it already was. */
  publish(p: ReportPublication, audit: AuditEntry): Promise<'ok' | 'exists'>;
  scenario(scenarioId: string): Promise<ScenarioRecord | undefined>;
  /** Stores the scenario once; 'exists' when the id is taken. */
  putScenario(s: ScenarioRecord, audit: AuditEntry): Promise<'ok' | 'exists'>;
}
