import type { Policy } from '../../shared/domain/policy';
/**
 * Demo idle-fund records (SPEC §3.8) for the demo departments, read from the table: for each
 * department a few carryovers (结转资金), payables (往来款) and unit account balances
 * (单位实有账户资金), dated so that replaying 2020 reclaims some in every quarter:
 *
 *   carryovers   origin 2018 → the 03-31 sweep; origin 2019 → the 12-31 sweep; origin 2020 stays
 *   payables     since ≤ 2017-03-30 → 03-31; up to 2017-06-29 → 06-30; up to 2017-09-29 →
 *                09-30; up to 2017-12-30 → 12-31; later ones stay (unpaid for MORE than 3 years)
 *   balances     last movement ≤ 2019-03-31 → 03-31; in 2019 Q2 / Q3 / Q4 → 06-30 / 09-30 /
 *                12-31; in 2020 they stay (no movement for 12 months)
 *
 * The deferrable-project lag comes from the demo projects themselves (about 10% are
 * deferrable, and their modelled spending already trails the quarterly benchmark). The
 * expected reclaims per quarter are computed here with the same domain rules the sweep uses
 * and returned in the seed summary.
 *
 * Pool allocations need money in the pool, which only the sweeps put there, so they are made
 * by `replayAllocations` once `npm run replay` has run the first sweep, through the API, with ids, projects
 * and amounts fixed by the seeded data: replaying again makes the same requests, which the API
 * answers as replays.
 */
import { policiesRepo } from '../../shared/aws/policies-repo';
import { requestHash } from '../../shared/app/ports';
import { type Db, queryAll, stripKeys } from '../../shared/aws/db';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { recordItem } from '../../shared/aws/idle-funds-repo';
import { keys } from '../../shared/aws/keys';
import { addDays, daysBetween } from '../../shared/domain/dates';
import type { AccountBalance, Carryover, IdleRecord, Payable } from '../../shared/domain/idle-records';
import { formatYuan } from '../../shared/domain/money';
import type { Project } from '../../shared/domain/project';
import { carryoverReclaim, idleBalanceReclaim, type Reclaim, stalePayableReclaim, sweepDates } from '../../shared/domain/rules/idle-funds';
import { DEMO, SEED_ACTOR } from './demo-2020';
import type { SeedGenerator } from './generator';
import { Rng } from './prng';

const CREATED_AT = `${DEMO.year}-01-06T02:00:00.000Z`;

const COMPANY_PLACES = ['厦门', '思明', '湖里', '集美', '海沧', '同安', '翔安', '福建', '鹭岛', '嘉庚'];
const COMPANY_TRADES = [
  '建设工程',
  '信息技术',
  '物业管理',
  '园林绿化',
  '设备安装',
  '医疗器械',
  '环境科技',
  '交通设施',
  '文化传播',
  '教育服务',
  '市政工程',
  '咨询服务',
];
const UNIT_SUFFIXES = ['机关服务中心', '信息中心', '后勤服务中心', '培训中心', '事务中心', '技术保障中心', '档案中心'];

/** Date windows, by the sweep of 2020 that reclaims what falls in them (null: none in 2020). */
const PAYABLE_SINCE: [string, string, string | null][] = [
  ['2014-01-01', '2017-03-30', '03-31'],
  ['2017-03-31', '2017-06-29', '06-30'],
  ['2017-06-30', '2017-09-29', '09-30'],
  ['2017-09-30', '2017-12-30', '12-31'],
  ['2017-12-31', '2020-06-30', null],
];
const LAST_MOVEMENT: [string, string, string | null][] = [
  ['2016-01-01', '2019-03-31', '03-31'],
  ['2019-04-01', '2019-06-30', '06-30'],
  ['2019-07-01', '2019-09-30', '09-30'],
  ['2019-10-01', '2019-12-31', '12-31'],
  ['2020-01-01', '2020-03-31', null],
];

const between = (rng: Rng, from: string, to: string) => addDays(from, rng.int(0, daysBetween(from, to)));

/** An amount in fen, log-uniform between two amounts in yuan, with cents. */
function amount(rng: Rng, minYuan: number, maxYuan: number): number {
  const yuan = Math.exp(Math.log(minYuan) + rng.next() * Math.log(maxYuan / minYuan));
  return Math.round(yuan) * 100 + rng.int(0, 99);
}

function meta(input: Record<string, unknown>) {
  return {
    status: 'open' as const,
    version: 1,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    createdBy: SEED_ACTOR,
    updatedBy: SEED_ACTOR,
    // The hash the API keeps: PUTting the same body again is answered unchanged.
    requestHash: requestHash(input),
  };
}

/** Every record of the demo, deterministic: each department draws from a stream of its own. */
export function buildIdleRecords(departments: { deptId: string; name: string }[], level1ByDept: Map<string, string[]>): IdleRecord[] {
  const out: IdleRecord[] = [];
  for (const d of departments) {
    const rng = new Rng(`idle-funds:${d.deptId}`);
    const origins = [2019, ...(rng.chance(0.45) ? [2018] : []), ...(rng.chance(0.3) ? [2020] : [])];
    origins.forEach((originYear, i) => {
      const projects = level1ByDept.get(d.deptId) ?? [];
      const projectId = projects.length > 0 && rng.chance(0.5) ? rng.pick(projects) : undefined;
      const input = { deptId: d.deptId, originYear, balanceFen: amount(rng, 20_000, 3_000_000), ...(projectId ? { projectId } : {}) };
      out.push({ kind: 'carryover', carryoverId: `CO-${d.deptId}-${i + 1}`, ...input, ...meta(input) } as Carryover);
    });
    const payables = rng.int(2, 4);
    for (let i = 0; i < payables; i++) {
      const [from, to] = PAYABLE_SINCE[Number(rng.weighted({ '0': 3, '1': 2, '2': 2, '3': 2, '4': 3 }))] as [string, string, string | null];
      const counterparty = `${rng.pick(COMPANY_PLACES)}${rng.pick(COMPANY_TRADES)}有限公司`;
      const input = { deptId: d.deptId, counterparty, amountFen: amount(rng, 5_000, 600_000), since: between(rng, from, to) };
      out.push({ kind: 'payable', payableId: `PY-${d.deptId}-${i + 1}`, ...input, ...meta(input) } as Payable);
    }
    const accounts = rng.int(1, 2);
    for (let i = 0; i < accounts; i++) {
      const [from, to] = LAST_MOVEMENT[Number(rng.weighted({ '0': 3, '1': 2, '2': 2, '3': 2, '4': 2 }))] as [string, string, string | null];
      const unitName = `${d.name}${rng.pick(UNIT_SUFFIXES)}`;
      const input = { deptId: d.deptId, unitName, balanceFen: amount(rng, 10_000, 2_000_000), lastMovementDate: between(rng, from, to) };
      out.push({ kind: 'account', accountId: `AC-${d.deptId}-${i + 1}`, ...input, ...meta(input) } as AccountBalance);
    }
  }
  return out;
}

/** What the 2020 sweeps will reclaim from these records, by as-of date and rule (the sweep's own rules). */
export function expectedReclaims(records: IdleRecord[], policy: Policy, year: number) {
  const open = new Set(records.map((r) => r));
  const out: Record<string, Record<string, { records: number; fen: number }>> = {};
  for (const asOf of sweepDates(policy.idleFunds, year)) {
    const slot: Record<string, { records: number; fen: number }> = {};
    for (const r of [...open]) {
      let reclaim: Reclaim | undefined;
      if (r.kind === 'carryover') reclaim = carryoverReclaim(r, asOf, policy.idleFunds);
      else if (r.kind === 'payable') reclaim = stalePayableReclaim(r, asOf, policy.idleFunds);
      else reclaim = idleBalanceReclaim(r, asOf, policy.idleFunds);
      if (!reclaim) continue;
      open.delete(r);
      const rule = r.kind === 'carryover' ? 'CARRYOVER_RECLAIM' : r.kind === 'payable' ? 'STALE_PAYABLE_RECLAIM' : 'IDLE_BALANCE_RECLAIM';
      const s = (slot[rule] ??= { records: 0, fen: 0 });
      s.records++;
      s.fen += reclaim.amountFen;
    }
    out[asOf] = slot;
  }
  return { byAsOf: out, stillOpen: open.size };
}

async function level1Projects(db: Db, year: number): Promise<Map<string, string[]>> {
  const items = await queryAll(db, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.projectsPartition(year) },
  });
  const out = new Map<string, string[]>();
  for (const item of items) {
    const p = stripKeys<Project>(item);
    if (p.level !== 1) continue;
    out.set(p.deptId, [...(out.get(p.deptId) ?? []), p.projectId]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

export const idleFundsSeed: SeedGenerator = {
  name: 'idle-funds',
  async run(ctx) {
    const year = DEMO.year;
    const [departments, level1, policy] = await Promise.all([
      departmentsRepo(ctx.db).list(),
      level1Projects(ctx.db, year),
      policiesRepo(ctx.db).effective(year),
    ]);
    departments.sort((a, b) => a.deptId.localeCompare(b.deptId));
    const records = buildIdleRecords(departments, level1);
    await ctx.write(records.map(recordItem));
    const count = (kind: IdleRecord['kind']) => records.filter((r) => r.kind === kind).length;
    const expected = expectedReclaims(records, policy, year);
    ctx.log(`idle-funds: ${records.length} records for ${departments.length} departments`);
    return {
      departments: departments.length,
      carryovers: count('carryover'),
      payables: count('payable'),
      accountBalances: count('account'),
      expected2020: expected.byAsOf,
      stillOpenAfter2020: expected.stillOpen,
    };
  },
};

// ---------------------------------------------------------------- allocations, after the replay

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** Why each demo allocation is made. */
const REASONS = [
  '民生实事项目资金缺口，统筹追加',
  '重点产业扶持政策兑现，统筹追加',
  '城市更新重点工程进度款，统筹追加',
  '应急物资储备补充，统筹追加',
  '公共卫生服务能力提升，统筹追加',
];
/** An allocation adds this share of the project's original budget. */
const TOP_UP_BP = 1000;

/**
 * A few allocations from the year's pool, through the API, made once the first sweep has filled
 * it: to leaf projects that are not deferrable (so the quarter's sweep, rerun, never revisits
 * them), spread over the year's projects, each 10% of its original budget. The projects and
 * amounts depend only on what never changes in the seeded data (the projects, their original
 * budgets, the deferrable flags), so a second replay makes the same requests and the API
 * answers them as replays; later rules then see the same budgets as the first time. Returns
 * lines to print.
 */
export async function replayAllocations(year: number, call: Call): Promise<string[]> {
  const pool = await call('GET', `/v1/pool/${year}`);
  if (pool.status !== 200) return [`pool ${year}: GET answered ${pool.status}`];
  type View = { projectId: string; name: string; deferrable: boolean; leaf: boolean; originalBudgetFen: number; status: string };
  const candidates: View[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('GET', `/v1/projects?year=${year}&level=2&limit=500${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`);
    if (page.status !== 200) return [`pool ${year}: GET /v1/projects answered ${page.status}`];
    for (const p of page.body.items as View[]) if (p.leaf && !p.deferrable && p.status !== 'cancelled' && p.originalBudgetFen > 0) candidates.push(p);
    nextToken = page.body.nextToken;
  } while (nextToken);
  candidates.sort((a, b) => a.projectId.localeCompare(b.projectId));
  const lines: string[] = [`pool ${year}: ${formatYuan(pool.body.balanceFen)} after the first sweep; allocations to priority projects:`];
  for (const [i, reason] of REASONS.entries()) {
    const project = candidates[Math.floor(((2 * i + 1) * candidates.length) / (2 * REASONS.length))];
    if (!project) break;
    const amountFen = Math.floor((project.originalBudgetFen * TOP_UP_BP) / 10_000);
    const allocationId = `DEMO-${year}-${String(i + 1).padStart(2, '0')}`;
    const res = await call('POST', `/v1/pool/${year}/allocations`, { allocationId, projectId: project.projectId, amountFen, reason });
    lines.push(
      res.status < 300
        ? `  ${allocationId}  ${project.projectId} ${project.name}  +${formatYuan(amountFen)}  (${res.status === 201 ? 'allocated' : 'already allocated'}; pool left ${formatYuan(res.body.poolBalanceAfterFen)})`
        : `  ${allocationId}  ${project.projectId}  ${res.status} ${res.body?.error?.code ?? ''}`,
    );
  }
  const after = await call('GET', `/v1/pool/${year}`);
  lines.push(
    `pool ${year}: balance ${formatYuan(after.body.balanceFen)} = in ${formatYuan(after.body.inFen)} − out ${formatYuan(after.body.outFen)} − reversed ${formatYuan(after.body.reversedFen)}`,
  );
  return lines;
}
