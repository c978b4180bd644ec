/** The stored totals of a year's idle-fund sweeps: per as-of date, per department and rule, and the year's sum. */
import { addToTotals, emptySweepTotals, sweepTotalsView } from '../../domain/sweep-totals';
import type { AppDeps } from '../context';

export async function sweepTotalsOfYear(deps: AppDeps, year: number) {
  const sweeps = await deps.repos.idleFunds.sweepTotals(year);
  const sum = emptySweepTotals(String(year));
  for (const s of sweeps) {
    for (const [deptId, d] of Object.entries(s.byDept)) {
      for (const [rule, cell] of Object.entries(d.byRule)) addToTotals(sum, deptId, rule, cell.deductions, cell.amountFen);
    }
  }
  const { asOf: _asOf, ...totals } = sweepTotalsView(sum);
  return { year, sweeps: sweeps.map(sweepTotalsView), totals };
}
