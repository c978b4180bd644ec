/**
 * Ex-ante assessments (事前绩效评估, SPEC §3.1), read side: target approval asks whether a new
 * major project has one. The ex-ante issue writes `keys.exAnteAssessment(projectId)`.
 */
import type { Db } from './db';
import { getItem, stripKeys } from './db';
import { keys } from './keys';

export interface StoredExAnteAssessment {
  assessmentId: string;
  projectId: string;
  [field: string]: unknown;
}

export function exAnteRepo(db: Db) {
  return {
    async find(projectId: string): Promise<StoredExAnteAssessment | undefined> {
      const item = await getItem<Record<string, unknown>>(db, keys.exAnteAssessment(projectId));
      if (!item) return undefined;
      return { ...stripKeys<StoredExAnteAssessment>(item), projectId };
    },
  };
}
