/** What the report area stores (SPEC §3.11): the publication mark and a what-if scenario. */
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
