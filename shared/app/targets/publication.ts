/**
 * GET /v1/public/{year}/targets: the approved department-overall and level-1 targets of the
 * year (a sparse index only approval writes), each shown as goal and public indicator fields;
 * coverage = departments with an approved department-overall target / all departments.
 */
import { isPublished } from '../../domain/targets';
import type { AppDeps } from '../context';
import { publicView } from './views';

export async function publishedTargets(deps: AppDeps, year: number, limit: number, nextToken?: string) {
  const [page, departments, published] = await Promise.all([
    deps.repos.targets.published(year, limit, nextToken),
    deps.repos.departments.count(),
    deps.repos.targets.publishedDepartments(year),
  ]);
  // Belt and braces: only what approval published, never a level-2.
  const items = page.items.filter(isPublished).map(publicView);
  return { year, items, coverage: { departments, published }, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
