/** What the idle-fund sweeps have taken: per as-of date, rule and department (SPEC §3.8). */
export interface RuleTotal {
  deductions: number;
  amountFen: number;
}
export interface SweepTotals {
  asOf: string;
  deductions: number;
  amountFen: number;
  byRule: Record<string, RuleTotal>;
  byDept: Record<string, RuleTotal & { byRule: Record<string, RuleTotal> }>;
}

export function emptySweepTotals(asOf: string): SweepTotals {
  return { asOf, deductions: 0, amountFen: 0, byRule: {}, byDept: {} };
}

export function addToTotals(t: SweepTotals, deptId: string, rule: string, count: number, fen: number): void {
  t.deductions += count;
  t.amountFen += fen;
  const r = (t.byRule[rule] ??= { deductions: 0, amountFen: 0 });
  r.deductions += count;
  r.amountFen += fen;
  const d = (t.byDept[deptId] ??= { deductions: 0, amountFen: 0, byRule: {} });
  d.deductions += count;
  d.amountFen += fen;
  const dr = (d.byRule[rule] ??= { deductions: 0, amountFen: 0 });
  dr.deductions += count;
  dr.amountFen += fen;
}

/** Totals as the API and run summaries show them: departments as a list sorted by id. */
export function sweepTotalsView(t: SweepTotals) {
  return {
    ...t,
    byDept: Object.entries(t.byDept)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([deptId, d]) => ({ deptId, ...d })),
  };
}
