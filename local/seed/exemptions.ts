/**
 * Demo exemptions from the September 80% rule (SPEC §3.6), read from the seeded projects: among
 * the demo leaves that lag behind the threshold as of the checkpoint, a few asked for an
 * exemption in September — most approved (procurement in progress, paid by contract
 * milestones), some refused, some left pending. Replaying 2020 then shows the approved ones
 * skipped by `progress-reclaim` (summary `skippedExempted`) and the others reclaimed.
 *
 * Written as the API would leave them: the exemption items, and on each approved project the
 * rule in `exemptRules` (what the job reads). Deterministic: the same projects every time.
 */
import { policiesRepo } from '../../shared/aws/policies-repo';
import { requestHash } from '../../shared/app/ports';
import { exemptionItem } from '../../shared/aws/exemptions-repo';
import { queryAll } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { addDays, onYear } from '../../shared/domain/dates';
import { type Exemption, type ExemptionReason, exemptionId, REASON_WORDS } from '../../shared/domain/exemptions';
import { isBelowBp } from '../../shared/domain/money';
import { isLeaf, type Project, spentAsOf } from '../../shared/domain/project';
import { DEMO, SEED_ACTOR } from './demo-2020';
import type { SeedGenerator } from './generator';
import { Rng } from './prng';

/** How many lagging projects asked, and what became of their requests. */
export const EXEMPTION_DEMO = { approved: 8, refused: 2, pending: 2 } as const;

const NOTES: Record<ExemptionReason, string[]> = {
  procurement: ['公开招标已开标，合同待签订', '政府采购项目处于公示期', '设备采购二次招标中'],
  milestones: ['按工程进度节点付款，第三期款项11月支付', '合同约定验收合格后一次性付款'],
  other: ['上级资金10月下达，需配套使用'],
};

export const exemptionsSeed: SeedGenerator = {
  name: 'exemptions',
  async run(ctx) {
    const year = DEMO.year;
    const policy = await policiesRepo(ctx.db).effective(year);
    const rule = policy.progressReclaim;
    const checkpoint = onYear(year, rule.date);
    const items = await queryAll(ctx.db, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.projectsPartition(year) },
    });
    const lagging = items
      .filter((i) => {
        const p = i as unknown as Project;
        return isLeaf(p) && !rule.exemptFundSources.includes(p.fundSource) && isBelowBp(spentAsOf(p.spentByDay, checkpoint), p.budgetFen, rule.thresholdBp);
      })
      .sort((a, b) => String(a.projectId).localeCompare(String(b.projectId)));
    const rng = new Rng(`${DEMO.seed}:exemptions`);
    const picked: Record<string, unknown>[] = [];
    const pool = [...lagging];
    const total = EXEMPTION_DEMO.approved + EXEMPTION_DEMO.refused + EXEMPTION_DEMO.pending;
    while (picked.length < total && pool.length > 0) picked.push(pool.splice(rng.int(0, pool.length - 1), 1)[0] as Record<string, unknown>);

    const out: Record<string, unknown>[] = [];
    let approvedFen = 0;
    picked.forEach((item, i) => {
      const p = item as unknown as Project;
      const status = i < EXEMPTION_DEMO.approved ? 'approved' : i < EXEMPTION_DEMO.approved + EXEMPTION_DEMO.refused ? 'refused' : 'pending';
      const reason: ExemptionReason = status === 'refused' ? 'other' : rng.chance(0.6) ? 'procurement' : 'milestones';
      const note = rng.pick(NOTES[reason]);
      const requestedAt = `${addDays(checkpoint, -rng.int(6, 25))}T02:${String(rng.int(10, 59))}:00.000Z`;
      const e: Exemption = {
        exemptionId: exemptionId(p.projectId, 'PROGRESS_RECLAIM'),
        projectId: p.projectId,
        year,
        deptId: p.deptId,
        rule: 'PROGRESS_RECLAIM',
        reason,
        note,
        status,
        checkpoint,
        requestedAt,
        requestedBy: `officer-${p.deptId}`,
        requestHash: requestHash({ rule: 'PROGRESS_RECLAIM', reason, note }),
        version: status === 'pending' ? 1 : 2,
        ...(status === 'pending'
          ? {}
          : {
              decision: {
                decision: status === 'approved' ? ('approve' as const) : ('refuse' as const),
                comment: status === 'approved' ? `${REASON_WORDS[reason]}属实，同意本年度不予收回` : '理由不充分，按规定收回',
                at: `${addDays(checkpoint, -2)}T07:00:00.000Z`,
                by: SEED_ACTOR,
              },
            }),
      };
      out.push(exemptionItem(e));
      if (status === 'approved') {
        out.push({ ...item, exemptRules: ['PROGRESS_RECLAIM'] });
        approvedFen += p.budgetFen;
      }
    });
    await ctx.write(out);
    return {
      laggingAtCheckpoint: lagging.length,
      approved: Math.min(EXEMPTION_DEMO.approved, picked.length),
      refused: Math.max(0, Math.min(EXEMPTION_DEMO.refused, picked.length - EXEMPTION_DEMO.approved)),
      pending: Math.max(0, picked.length - EXEMPTION_DEMO.approved - EXEMPTION_DEMO.refused),
      approvedBudgetFen: approvedFen,
      projects: picked.map((p) => p.projectId),
    };
  },
};
