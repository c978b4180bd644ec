/** An expenditure as stored: what was paid or refunded, by whom, when (its own audit record). */
import type { ExpenditureInput } from './project';

export interface Expenditure extends ExpenditureInput {
  projectId: string;
  createdAt: string;
  createdBy: string;
  requestHash: string;
}
