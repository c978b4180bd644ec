/**
 * Demo monitoring reports (监控表) for the demo year: for most leaf projects one report at each
 * checkpoint of the year's policy (06-30 and 09-30 by default), filed a few days before it.
 *
 * Read from the table, not assumed: the demo projects (the leaf index, as the jobs read it),
 * their spending as of the checkpoint, and their targets where the targets seed wrote them (then
 * every target indicator is reported, as the API demands; otherwise two or three indicators of
 * their own, with direction and target value). Actual values follow the spending progress, with
 * noise; a project's outlook is mostly 确定能, sometimes 有可能, in a few cases 完全不可能 — more of
 * those among projects far behind, so the 09-30 snapshot has a few projects to suspend. About one project in
 * twenty files nothing for a checkpoint (red: no report).
 *
 * Deterministic: every draw comes from a stream named after the project and checkpoint.
 */
import { policiesRepo } from '../../shared/aws/policies-repo';
import { requestHash } from '../../shared/app/ports';
import { forEachLeaf } from '../../shared/aws/leaves';
import { batchGetAll } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { type MonitoringReport, reportItem, reportTargetOf, reportVersionItem } from '../../shared/aws/monitoring-repo';
import { addDays } from '../../shared/domain/dates';
import { DEVIATION_CAUSES, type Outlook, type ReportIndicator, type TargetIndicatorRef, worstOutlook } from '../../shared/domain/monitoring';
import { progressBp } from '../../shared/domain/money';
import { isLeaf, type Project, spentAsOf } from '../../shared/domain/project';
import { DEMO, SEED_ACTOR } from './demo-2020';
import type { SeedGenerator } from './generator';
import { Rng } from './prng';

const OWN_INDICATORS: { name: string; unit: string; target: (rng: Rng) => number }[] = [
  { name: '完成工作任务量', unit: '项', target: (r) => r.int(5, 120) },
  { name: '受益人次', unit: '人次', target: (r) => r.int(10, 500) * 100 },
  { name: '质量达标率', unit: '%', target: () => 95 },
  { name: '按期完成率', unit: '%', target: () => 100 },
  { name: '覆盖街道（镇）数', unit: '个', target: (r) => r.int(3, 38) },
];

const MEASURES = [
  '加快项目招标采购进度，按合同节点支付资金',
  '完善项目管理制度，压实执行责任',
  '充实项目人员，倒排工期',
  '协调场地和设备，尽快具备实施条件',
  '调整实施方案，报请主管部门审核',
];

const QUALITATIVE_ACTUAL = ['按计划推进', '效果逐步显现', '阶段性目标基本实现', '部分工作滞后'];

/**
 * The project's outlook, worse the further behind it is: any `impossible` makes it red (and at
 * the last checkpoint suspended), so those stay a few.
 */
function drawOutlook(rng: Rng, progress: number, benchmarkBp: number, last: boolean): Outlook {
  const far = progress < benchmarkBp - 3000;
  if (last && far) return rng.weighted({ certain: 50, possible: 35, impossible: 15 });
  if (far) return rng.weighted({ certain: 60, possible: 35, impossible: 5 });
  return rng.weighted({ certain: 88, possible: 11, impossible: 1 });
}

function actualFor(rng: Rng, target: number, progress: number): number {
  const ratioBp = Math.max(0, Math.min(11_000, progress + rng.int(-1500, 2000)));
  return Math.round((target * ratioBp) / 100) / 100; // two decimals
}

export function buildReport(
  p: { projectId: string; deptId: string; year: number; spentByDay: Record<string, number>; budgetFen: number },
  cp: { date: string; benchmarkBp: number; last: boolean },
  target: { version: number; status: string; indicators: TargetIndicatorRef[] } | undefined,
): MonitoringReport | undefined {
  const rng = new Rng(`monitoring:${p.projectId}:${cp.date}`);
  if (rng.chance(0.05)) return undefined;
  const date = `${p.year}-${cp.date}`;
  const progress = progressBp(spentAsOf(p.spentByDay, date), p.budgetFen);
  const refs: TargetIndicatorRef[] =
    target?.indicators ??
    rng
      .shuffle([...OWN_INDICATORS])
      .slice(0, rng.int(2, 3))
      .map((o) => ({ name: o.name, unit: o.unit, direction: '>=' as const, targetValue: o.target(rng) }));
  // The project's outlook falls on one indicator (impossible) or one or two (possible).
  const projectOutlook = drawOutlook(rng, progress, cp.benchmarkBp, cp.last);
  const worse = new Set<number>();
  if (projectOutlook !== 'certain') {
    const count = projectOutlook === 'possible' ? rng.int(1, Math.min(2, refs.length)) : 1;
    while (worse.size < count) worse.add(rng.int(0, refs.length - 1));
  }
  const indicators: ReportIndicator[] = refs.map((ref, index) => {
    const outlook: Outlook = worse.has(index) ? projectOutlook : 'certain';
    const quantitative = ref.direction !== 'qualitative' && typeof ref.targetValue === 'number';
    const out: ReportIndicator = {
      ...(ref.code ? { code: ref.code } : {}),
      name: ref.name,
      ...(ref.level1 ? { level1: ref.level1 } : {}),
      ...(ref.unit ? { unit: ref.unit } : {}),
      ...(ref.direction ? { direction: ref.direction } : {}),
      ...(ref.targetValue !== undefined ? { targetValue: ref.targetValue } : {}),
      actualValue: quantitative ? actualFor(rng, ref.targetValue as number, progress) : rng.pick(QUALITATIVE_ACTUAL),
      outlook,
    };
    // A direction the target left open is reported as a number only when its value is one.
    if (!quantitative && ref.direction !== undefined && ref.direction !== 'qualitative') out.actualValue = 0;
    if (outlook !== 'certain') {
      out.deviationCause = rng.pick(DEVIATION_CAUSES);
      out.measures = rng.pick(MEASURES);
    }
    return out;
  });
  const filedAt = `${addDays(date, -rng.int(1, 12))}T0${rng.int(1, 8)}:${String(rng.int(0, 59)).padStart(2, '0')}:00.000Z`;
  return {
    projectId: p.projectId,
    deptId: p.deptId,
    year: p.year,
    checkpoint: cp.date,
    date,
    version: 1,
    indicators,
    ...(target ? { target: { version: target.version, status: target.status } } : {}),
    filedAt,
    filedBy: SEED_ACTOR,
    firstFiledAt: filedAt,
    // The same content hash the API keeps, so filing the same report again is a replay.
    requestHash: requestHash({ checkpoint: cp.date, indicators, note: null }),
  };
}

export const monitoringSeed: SeedGenerator = {
  name: 'monitoring',
  async run(ctx) {
    const year = DEMO.year;
    const policy = await policiesRepo(ctx.db).effective(year);
    const checkpoints = policy.monitoring.checkpoints.map((c, i, all) => ({ ...c, last: i === all.length - 1 }));
    const items: Record<string, unknown>[] = [];
    const counts: Record<string, number> = { projects: 0, reports: 0, withTarget: 0 };
    for (const c of checkpoints) counts[`missing ${c.date}`] = 0;
    const outlooks: Record<Outlook, number> = { certain: 0, possible: 0, impossible: 0 };
    const leaves: Project[] = [];
    await forEachLeaf(ctx.db, year, 16, async (p) => {
      if (isLeaf(p) && p.status !== 'cancelled') leaves.push(p);
    });
    // The leaves' targets in BatchGetItem requests of 100, not one GetItem each.
    const targets = new Map(
      (
        await batchGetAll(
          ctx.db,
          leaves.map((p) => keys.projectTarget(p.projectId)),
        )
      ).map((item) => [item.projectId as string, reportTargetOf(item)]),
    );
    for (const p of leaves) {
      counts.projects = (counts.projects ?? 0) + 1;
      const target = targets.get(p.projectId);
      if (target) counts.withTarget = (counts.withTarget ?? 0) + 1;
      for (const cp of checkpoints) {
        const report = buildReport(p, cp, target);
        if (!report) {
          counts[`missing ${cp.date}`] = (counts[`missing ${cp.date}`] ?? 0) + 1;
          continue;
        }
        counts.reports = (counts.reports ?? 0) + 1;
        outlooks[worstOutlook(report.indicators) ?? 'certain']++;
        items.push(reportItem(report), reportVersionItem(report));
      }
    }
    await ctx.write(items);
    ctx.log(`monitoring: ${counts.reports} reports for ${counts.projects} leaf projects`);
    return { ...counts, reportsByOutlook: outlooks };
  },
};
