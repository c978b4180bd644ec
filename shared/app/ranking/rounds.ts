/**
 * POST /v1/rankings/{year}/{domain}/rounds and GET /v1/rankings/{year}/{domain} (SPEC §3.2): a
 * funding round walks the cross-department ranking of the domain's new infrastructure, IT and
 * equipment projects under a cap (rules/ranking.ts) and is recorded with who, when, the cap, the
 * order, funded and unfunded. Rounds are kept; the latest stands.
 */
import type { Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { FundingRound } from '../../domain/front';
import { fundRound, RANKED_CATEGORIES, type RankEntry } from '../../domain/rules/ranking';
import type { AppDeps } from '../context';
import { rankable } from './department';

export async function runFundingRound(deps: AppDeps, actor: Principal, year: number, domain: string, capFen: number) {
  const { rankings, rounds, assessments, projects } = deps.repos.ranking;
  const candidates = (await projects.ofYear(year)).filter((p) => p.domain === domain && rankable(p) && RANKED_CATEGORIES.includes(p.category));
  const deptRank = new Map<string, number>();
  for (const r of await rankings.ofYear(year)) {
    r.projectIds.forEach((id, i) => {
      deptRank.set(id, i + 1);
    });
  }
  const found = await assessments.getMany(candidates.map((p) => p.projectId));
  const entries: RankEntry[] = candidates.map((p) => {
    const a = found.get(p.projectId);
    const rank = deptRank.get(p.projectId);
    return {
      projectId: p.projectId,
      deptId: p.deptId,
      budgetFen: p.budgetFen,
      ...(a ? { weightedBp: a.weightedBp, outcome: a.outcome } : {}),
      ...(rank !== undefined ? { deptRank: rank } : {}),
    };
  });
  const result = fundRound(entries, capFen);
  const at = deps.clock.now().toISOString();
  const round: FundingRound = {
    roundId: deps.ids.next(),
    year,
    domain,
    capFen,
    order: result.order.map((e, i) => ({ ...e, position: i + 1 })),
    funded: result.funded,
    unfunded: result.unfunded,
    fundedFen: result.fundedFen,
    leftFen: result.leftFen,
    by: actor.sub,
    at,
  };
  await rounds.put(round, {
    auditId: deps.ids.next(),
    entityType: 'FundingRound',
    entityId: `${year}~${domain}~${round.roundId}`,
    action: 'ranking.round',
    actor: actor.sub,
    at,
    after: { capFen, funded: round.funded.length, unfunded: round.unfunded.length, fundedFen: round.fundedFen },
  });
  return round;
}

export async function latestRound(deps: AppDeps, year: number, domain: string) {
  const round = await deps.repos.ranking.rounds.latest(year, domain);
  if (!round) throw new NotFoundError(`No funding round for ${domain} in ${year}`, 'ROUND_NOT_FOUND');
  return round;
}
