/**
 * Demo continuations (SPEC §3.7): a few 2021 projects that continue 2020 leaves lagging behind
 * the November threshold, asking for as much as their 2020 project had. Replaying 2020 then
 * shows the 11-30 flags becoming caps at 12-31 and these budgets cut to last year's actual
 * spending (NEXT_YEAR_CAP), emailed. Each is a level-1 project without children (a leaf) of
 * the same department; deterministic.
 */
import { requestHash } from '../../shared/app/ports';
import { queryAll } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { projectItem } from '../../shared/aws/projects-repo';
import { onYear } from '../../shared/domain/dates';
import { isBelowBp } from '../../shared/domain/money';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { isLeaf, type Project, spentAsOf } from '../../shared/domain/project';
import { DEMO, SEED_ACTOR } from './demo-2020';
import type { SeedGenerator } from './generator';
import { Rng } from './prng';

export const NEXT_YEAR_DEMO = { continuations: 40 } as const;

export const nextYearSeed: SeedGenerator = {
  name: 'next-year',
  async run(ctx) {
    const year = DEMO.year;
    const cap = DEFAULT_POLICY.progressCap;
    const items = await queryAll(ctx.db, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.projectsPartition(year) },
    });
    const lagging = items
      .map((i) => i as unknown as Project)
      .filter((p) => isLeaf(p) && isBelowBp(spentAsOf(p.spentByDay, onYear(year, cap.date)), p.budgetFen, cap.thresholdBp))
      .sort((a, b) => a.projectId.localeCompare(b.projectId));
    const rng = new Rng(`${DEMO.seed}:next-year`);
    const pool = [...lagging];
    const picked: Project[] = [];
    while (picked.length < NEXT_YEAR_DEMO.continuations && pool.length > 0) picked.push(pool.splice(rng.int(0, pool.length - 1), 1)[0] as Project);
    const createdAt = `${year}-11-20T02:00:00.000Z`;
    const next = picked.map((p): Project => {
      const input = {
        projectId: `${p.projectId}-N`,
        year: year + 1,
        deptId: p.deptId,
        level: 1 as const,
        name: `${p.name}（${year + 1}年延续）`,
        category: p.category,
        domain: p.domain,
        fundSource: p.fundSource,
        budgetFen: p.originalBudgetFen,
        deferrable: false,
        isNew: false,
        continuesProjectId: p.projectId,
      };
      return {
        ...input,
        originalBudgetFen: input.budgetFen,
        spentFen: 0,
        spentByDay: {},
        status: 'active',
        flags: [],
        childCount: 0,
        version: 1,
        createdAt,
        updatedAt: createdAt,
        createdBy: SEED_ACTOR,
        // The hash POST /v1/projects keeps: posting the same body again is answered unchanged.
        requestHash: requestHash(input),
      };
    });
    await ctx.write(next.map((p) => projectItem(p)));
    return { laggingAtCapDate: lagging.length, continuations: next.length, askedFen: next.reduce((s, p) => s + p.budgetFen, 0) };
  },
};
