/** The expenditures port: what its use cases ask of storage (implemented in shared/aws). */
import type { Expenditure } from '../../domain/expenditure';

/** The port (shared/aws/expenditures-repo.ts). */
export interface ExpendituresRepo {
  get(projectId: string, expenditureId: string): Promise<Expenditure | undefined>;
  list(projectId: string): Promise<Expenditure[]>;
  record(
    e: Expenditure,
    project: { budgetFen: number },
  ): Promise<{ outcome: 'recorded' } | { outcome: 'exists'; first: Expenditure } | { outcome: 'project-moved' }>;
}
