/**
 * The annual report as a printable zh-CN HTML page: the sections of the reference report, a
 * table per section with each figure's source, and inline SVG charts (no script, no CDN) —
 * lights by checkpoint, reclaimed funds by rule and by month, the grades' distribution.
 * Print CSS lays it out on A4.
 */
import { formatBp, formatYuan } from '../money';
import type { AnnualReport, Figure, RECLAIM_RULES } from './annual';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const yuan = (f: Figure) => esc(formatYuan(f.value));
const num = (f: Figure) => f.value.toLocaleString('en');
/** 亿元 from one hundred million yuan up, 万元 below: the reference report's units. */
const yi = (fen: number) => (Math.abs(fen) >= 1e10 ? `${(fen / 1e10).toFixed(2)} 亿元` : `${(fen / 1e6).toFixed(2)} 万元`);

function row(label: string, value: string, f: Figure): string {
  return `<tr><th>${esc(label)}</th><td class="n">${value}</td><td class="src">${esc(f.source)}</td></tr>`;
}

function table(rows: string[]): string {
  return `<table><thead><tr><th>项目</th><th>数值</th><th>来源（查询或规则）</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Vertical bars, each a stack of coloured parts. */
export function stackedBars(
  title: string,
  bars: { label: string; parts: { value: number; color: string; name: string }[] }[],
  fmt: (v: number) => string,
): string {
  const w = 640;
  const h = 220;
  const pad = 40;
  const max = Math.max(1, ...bars.map((b) => b.parts.reduce((s, p) => s + p.value, 0)));
  const bw = Math.min(60, (w - pad * 2) / Math.max(1, bars.length) - 10);
  const step = (w - pad * 2) / Math.max(1, bars.length);
  const body = bars
    .map((b, i) => {
      let y = h - pad;
      const x = pad + i * step + (step - bw) / 2;
      const rects = b.parts
        .map((p) => {
          const ph = ((h - pad * 2) * p.value) / max;
          y -= ph;
          return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${ph.toFixed(1)}" fill="${p.color}"><title>${esc(`${b.label} ${p.name} ${fmt(p.value)}`)}</title></rect>`;
        })
        .join('');
      const total = b.parts.reduce((s, p) => s + p.value, 0);
      return `${rects}<text x="${(x + bw / 2).toFixed(1)}" y="${h - pad + 14}" text-anchor="middle" font-size="10">${esc(b.label)}</text><text x="${(x + bw / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="9">${esc(fmt(total))}</text>`;
    })
    .join('');
  const legend = [...new Map(bars.flatMap((b) => b.parts.map((p) => [p.name, p.color] as const))).entries()]
    .map(
      ([name, color], i) =>
        `<rect x="${pad + i * 90}" y="6" width="10" height="10" fill="${color}"/><text x="${pad + i * 90 + 14}" y="15" font-size="10">${esc(name)}</text>`,
    )
    .join('');
  return `<figure><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" width="100%" xmlns="http://www.w3.org/2000/svg"><line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#999"/>${legend}${body}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

/** Four characters a bar: the rules' full names (RULE_WORDS) are in the table below the chart. */
const CHART_LABELS: Record<(typeof RECLAIM_RULES)[number], string> = {
  PROGRESS_RECLAIM: '进度收回',
  CARRYOVER_RECLAIM: '结转收回',
  STALE_PAYABLE_RECLAIM: '往来款项',
  IDLE_BALANCE_RECLAIM: '闲置资金',
  DEFERRABLE_RECLAIM: '暂缓项目',
  NEXT_YEAR_CAP: '次年限额',
  TARGET_REVIEW_CUT: '目标审核',
  CLEANUP_CUT: '政策清理',
  RESULTS_CUT: '结果应用',
};

const CSS = `
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:24px auto;max-width:900px;color:#222;line-height:1.5}
h1{font-size:22px;text-align:center}h2{font-size:17px;border-bottom:2px solid #b22;padding-bottom:2px;margin-top:28px}
table{border-collapse:collapse;width:100%;font-size:12px;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
thead th{background:#f4f4f4}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}td.src{color:#666;font-size:10px}
figure{margin:8px 0;break-inside:avoid}figcaption{text-align:center;font-size:12px;color:#555}.lead{font-size:14px}
@page{size:A4;margin:15mm 12mm}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,figure{break-inside:avoid}}
`;

export function annualReportHtml(r: AnnualReport): string {
  const y = r.year;
  const lights = stackedBars(
    '各监控节点项目红黄绿灯分布',
    r.monitoring.map((m) => ({
      label: m.asOf,
      parts: [
        { value: m.red.value, color: '#d33', name: '红灯' },
        { value: m.yellow.value, color: '#e9b400', name: '黄灯' },
        { value: m.green.value, color: '#3a3', name: '绿灯' },
      ],
    })),
    (v) => String(v),
  );
  const byRule = stackedBars(
    '按规则收回（压减）资金（亿元）',
    r.reclaimed.byRule
      .filter((x) => x.amountFen.value > 0)
      .map((x) => ({
        label: CHART_LABELS[x.rule],
        parts: [
          { value: x.netFen.value, color: '#36c', name: '净额' },
          { value: x.reversedFen.value, color: '#aac', name: '申诉冲回' },
        ],
      })),
    (v) => (v / 1e10).toFixed(2),
  );
  const byMonth = stackedBars(
    '按月收回（压减）资金（亿元）',
    r.reclaimed.byMonth.map((m) => ({ label: m.month.slice(5), parts: [{ value: m.amountFen.value, color: '#36c', name: '金额' }] })),
    (v) => (v / 1e10).toFixed(2),
  );
  const grades = stackedBars(
    '绩效自评等级分布（已确认）',
    r.selfEvaluation.grades.map((g) => ({
      label: g.grade,
      parts: [{ value: g.count.value, color: { 优: '#3a3', 良: '#6b6', 中: '#e9b400', 差: '#d33' }[g.grade] as string, name: g.grade }],
    })),
    (v) => String(v),
  );
  const lib = r.library;
  const ke = r.keyEvaluations;
  const se = r.selfEvaluation;
  const sections = [
    `<h2>一、事前：政策清理与指标体系</h2><p class="lead">清理取消项目 ${num(r.cleanup.projects)} 个，压减资金 ${yi(r.cleanup.cutFen.value)}；共性指标 ${num(lib.general)} 个（${num(lib.generalCategories)} 类），个性指标 ${num(lib.core)} 个（${num(lib.domains)} 个领域、${num(lib.coreCategories)} 个行业、${num(lib.fundUses)} 个资金用途）。</p>`,
    table([
      row('清理取消项目（个）', num(r.cleanup.projects), r.cleanup.projects),
      row('清理压减资金', yuan(r.cleanup.cutFen), r.cleanup.cutFen),
      row('指标总数', num(lib.total), lib.total),
      row('共性指标', num(lib.general), lib.general),
      row('共性指标类别', num(lib.generalCategories), lib.generalCategories),
      row('个性指标', num(lib.core), lib.core),
      row('领域', num(lib.domains), lib.domains),
      row('行业类别', num(lib.coreCategories), lib.coreCategories),
      row('资金用途', num(lib.fundUses), lib.fundUses),
    ]),
    `<h2>二、绩效目标审核与公开</h2><p class="lead">${num(r.publication.published)} 个部门（共 ${num(r.publication.departments)} 个）绩效目标随预算公开。</p>`,
    table([
      ...r.targets.groups.flatMap((g) => [
        row(`${g.label}：填报`, num(g.filed), g.filed),
        row(`${g.label}：已审核`, num(g.reviewed), g.reviewed),
        row(`${g.label}：退回修改`, num(g.returned), g.returned),
        row(`${g.label}：审核通过`, num(g.approved), g.approved),
        row(`${g.label}：压减预算`, num(g.cut), g.cut),
      ]),
      row('审核不合格压减资金', yuan(r.targets.cutFen), r.targets.cutFen),
      row('公开部门', num(r.publication.published), r.publication.published),
    ]),
    `<h2>三、事中：双监控</h2>${lights}`,
    table(
      r.monitoring.flatMap((m) => [
        row(`${m.asOf} 项目数`, num(m.projects), m.projects),
        row(`${m.asOf} 红灯`, num(m.red), m.red),
        row(`${m.asOf} 黄灯`, num(m.yellow), m.yellow),
        row(`${m.asOf} 绿灯`, num(m.green), m.green),
        row(`${m.asOf} 暂停`, num(m.suspended), m.suspended),
      ]),
    ),
    `<h2>四、收回资金与统筹</h2><p class="lead">全年收回（压减）资金 ${yi(r.reclaimed.totalFen.value)}，统筹资金余额 ${yi(r.reclaimed.pool.balanceFen.value)}；单位事业收入等安排的支出 ${yi(r.businessIncome.budgetFen.value)}。</p>${byRule}${byMonth}`,
    table([
      ...r.reclaimed.byRule.map((x) => row(x.zh, yuan(x.amountFen), x.amountFen)),
      row('统筹资金收入', yuan(r.reclaimed.pool.inFen), r.reclaimed.pool.inFen),
      row('统筹资金安排', yuan(r.reclaimed.pool.outFen), r.reclaimed.pool.outFen),
      row('统筹资金余额', yuan(r.reclaimed.pool.balanceFen), r.reclaimed.pool.balanceFen),
      row('事业收入安排支出项目（个）', num(r.businessIncome.projects), r.businessIncome.projects),
      row('事业收入安排支出', yuan(r.businessIncome.budgetFen), r.businessIncome.budgetFen),
      row('事业收入安排支出：现预算', yuan(r.businessIncome.currentBudgetFen), r.businessIncome.currentBudgetFen),
      row('事业收入安排支出：已支出', yuan(r.businessIncome.spentFen), r.businessIncome.spentFen),
    ]),
    `<h2>五、事后：绩效自评</h2>${grades}`,
    table([
      row('应自评项目', num(se.leaves), se.leaves),
      row('已自评', num(se.evaluated), se.evaluated),
      row('覆盖率', esc(formatBp(se.coverageBp.value)), se.coverageBp),
      row('已确认', num(se.confirmed), se.confirmed),
      ...se.grades.map((g) => row(`等级 ${g.grade}`, num(g.count), g.count)),
      row('自评报告公开部门', num(se.publishedDepartments), se.publishedDepartments),
    ]),
    `<h2>六、重点评价与结果应用</h2><p class="lead">开展重点评价 ${num(ke.count)} 项，涉及资金 ${yi(ke.fundsFen.value)}，同比增长 ${ke.growthBp.value === null ? '—' : esc(formatBp(ke.growthBp.value))}；邀请人大代表、政协委员、第三方机构和专家 ${num(ke.panelMembers)} 名，提出意见建议 ${num(ke.suggestions)} 条。</p>`,
    table([
      row('重点评价（项）', num(ke.count), ke.count),
      row('涉及资金', yuan(ke.fundsFen), ke.fundsFen),
      row('上年涉及资金', yuan(ke.lastYearFundsFen), ke.lastYearFundsFen),
      row('增长', ke.growthBp.value === null ? '—' : esc(formatBp(ke.growthBp.value)), ke.growthBp as Figure),
      row('评价组成员', num(ke.panelMembers), ke.panelMembers),
      row('意见建议（条）', num(ke.suggestions), ke.suggestions),
      row('已整改验收', num(ke.rectified), ke.rectified),
    ]),
  ];
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${y}年度预算绩效管理工作情况报告</title><style>${CSS}</style></head><body><h1>${y}年度预算绩效管理工作情况报告</h1><p style="text-align:center;font-size:12px;color:#666">全部数字由系统数据计算生成（${esc(r.generatedAt)}）；每个数字注明来源。</p>${sections.join('\n')}</body></html>`;
}
