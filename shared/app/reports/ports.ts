/** What the report and what-if use cases ask of storage (SPEC §3.11): publication and scenarios. */
import type { AuditEntry } from '../../domain/audit';

export interface ReportPublication {
  year: number;
  publishedAt: string;
  publishedBy: string;
}

export interface ScenarioRecord {
  scenarioId: string;
  year: number;
  /** The override as asked, and a hash of it (same id, another body → 409). */
  policy: unknown;
  requestHash: string;
  createdAt: string;
  createdBy: string;
  result: unknown;
}

export interface ReportsRepo {
  publication(year: number): Promise<ReportPublication | undefined>;
  /** Publishes the year once; 'exists' when it already was. */
  publish(p: ReportPublication, audit: AuditEntry): Promise<'ok' | 'exists'>;
  scenario(scenarioId: string): Promise<ScenarioRecord | undefined>;
  /** Stores the scenario once; 'exists' when the id is taken. */
  putScenario(s: ScenarioRecord, audit: AuditEntry): Promise<'ok' | 'exists'>;
}
