/**
 * The data set of the fan-out tests: three departments of 60 leaves each, 50 of them lagging
 * (180 projects over the 16 shards of the leaf index), in a table of its own or the file's.
 */
import { ensureTable } from '../../local/services';
import type { Db } from '../../shared/aws/db';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import type { Deduction } from '../../shared/domain/ledger';
import type { Project } from '../../shared/domain/project';
import { envDb, project, putProjects } from './ledger-fixtures';

export const FANOUT_AT = '2020-10-01T01:20:00Z';
export const FANOUT_DEPTS = ['FO-A', 'FO-B', 'FO-C'];

export function fanoutDataset(year: number): Project[] {
  return FANOUT_DEPTS.flatMap((deptId) =>
    Array.from({ length: 60 }, (_, i) => {
      const budgetFen = 1_000_000 + i * 7_654_321;
      const spentBp = i < 50 ? (i * 797) % 7999 : 8000 + i;
      const spent = Math.floor((budgetFen * spentBp) / 10000);
      return project({ projectId: `FO-${deptId}-${i}`, deptId, year, budgetFen, spentByDay: spent ? { [`${year}-06-30`]: spent } : {} });
    }),
  );
}

/** The file's table (`name` undefined) or a new one, with the departments and the data set of `year`. */
export async function fanoutTable(name: string | undefined, year: number): Promise<Db> {
  const db = envDb(name);
  if (name) await ensureTable(process.env.AWS_ENDPOINT_URL_DYNAMODB as string, name, { stream: false });
  for (const deptId of FANOUT_DEPTS) {
    await departmentsRepo(db).putPlain({
      deptId,
      name: `部门${deptId}`,
      contactEmails: [`${deptId.toLowerCase()}@fanout.test`],
      version: 1,
      createdAt: FANOUT_AT,
      updatedAt: FANOUT_AT,
    });
  }
  await putProjects(db, fanoutDataset(year));
  return db;
}

/** A deduction without what differs between two runs of the same work. */
export const comparableDeduction = ({ createdAt, runId, ...rest }: Deduction) => rest;
