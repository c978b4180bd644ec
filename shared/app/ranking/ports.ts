/** What the ranking use cases ask of storage (SPEC §3.2). */
import type { AuditEntry } from '../../domain/audit';
import type { DepartmentRanking, FundingRound } from '../../domain/front';
import type { Project } from '../../domain/project';
import type { ExAnteAssessmentsPort } from '../ex-ante/ports';

export interface RankingRepos {
  rankings: {
    get(deptId: string, year: number): Promise<DepartmentRanking | undefined>;
    ofYear(year: number): Promise<DepartmentRanking[]>;
    save(r: DepartmentRanking, previousVersion: number, audit: AuditEntry): Promise<'saved' | 'conflict'>;
  };
  rounds: {
    put(r: FundingRound, audit: AuditEntry): Promise<void>;
    latest(year: number, domain: string): Promise<FundingRound | undefined>;
  };
  assessments: Pick<ExAnteAssessmentsPort, 'getMany'>;
  projects: { ofYear(year: number): Promise<Project[]>; ofDepartment(year: number, deptId: string): Promise<Project[]> };
}
