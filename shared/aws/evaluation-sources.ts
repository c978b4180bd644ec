/**
 * What evaluation use cases read of entities other areas own, through those areas' existing
 * repositories and keys (projects, targets, monitoring reports, policies, departments) and the
 * outbox: a read-mostly adapter, so shared/app/{self-evaluation,evaluations,results} never see
 * the table. When the issue-8 ports for projects and monitoring land, this folds into them.
 */
import { PutCommand } from '@jixiao/aws-sdk';
import type { EmailLine } from '../domain/email';
import { DEFAULT_POLICY, mergePolicy, type Policy, type PolicyOverride } from '../domain/policy';
import type { Project } from '../domain/project';
import type { TargetIndicator } from '../domain/targets';
import { config } from './clients';
import { type Db, getItem, queryPages, stripKeys } from './db';
import { departmentsRepo } from './departments-repo';
import { keys } from './keys';
import { forEachLeaf } from './leaves';
import { monitoringRepo } from './monitoring-repo';
import { outboxLinePut, sealGroup } from './outbox';
import { projectsRepo } from './projects-repo';

/** A project's target as the evaluations read it, from its item (a bulk read hands in many). */
export function evaluationTargetOf(projectId: string, item: Record<string, unknown>) {
  return { projectId, status: item.status as string, version: item.version as number, indicators: item.indicators as TargetIndicator[] };
}

export function evaluationSources(db: Db) {
  const projects = projectsRepo(db);
  return {
    project: (projectId: string) => projects.get(projectId),
    projects: (ids: string[]) => projects.getMany(ids),
    children: (parent: Project) => projects.children(parent),
    async leaves(year: number): Promise<Project[]> {
      const out: Project[] = [];
      await forEachLeaf(db, year, 8, async (p) => void out.push(p));
      return out.sort((a, b) => (a.projectId < b.projectId ? -1 : 1));
    },
    async continuing(year: number, ids: Set<string>): Promise<Project[]> {
      const out: Project[] = [];
      if (ids.size === 0) return out;
      for await (const page of queryPages(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.projectsPartition(year) },
      })) {
        for (const item of page) if (ids.has(item.continuesProjectId as string)) out.push(stripKeys<Project>(item));
      }
      return out;
    },
    async target(projectId: string) {
      const item = await getItem(db, keys.projectTarget(projectId));
      return item ? evaluationTargetOf(projectId, item) : undefined;
    },
    async latestReport(projectId: string) {
      const reports = await monitoringRepo(db).latestOfProject(projectId);
      const last = reports.sort((a, b) => (a.date < b.date ? 1 : -1))[0];
      return last ? { checkpoint: last.checkpoint, version: last.version, indicators: last.indicators } : undefined;
    },
    async policy(year: number): Promise<Policy> {
      const item = await getItem<{ override: PolicyOverride }>(db, keys.policy(year));
      return item ? mergePolicy(DEFAULT_POLICY, item.override) : DEFAULT_POLICY;
    },
    async departmentName(deptId: string) {
      return (await departmentsRepo(db).get(deptId))?.name;
    },
    async notify(group: string, deptId: string, lineId: string, line: EmailLine) {
      const put = outboxLinePut(db, group, deptId, lineId, line).Put;
      try {
        await db.doc.send(new PutCommand(put as NonNullable<typeof put>));
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },
    async seal(group: string, title: string, now: Date, appUrl?: string) {
      return (await sealGroup(db, group, title, now, appUrl ?? config().APP_URL)).length;
    },
  };
}
