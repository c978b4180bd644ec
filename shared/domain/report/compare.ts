/**
 * What-if side by side (SPEC §3.11): what the actual policy did (the ledger, the snapshots,
 * the flags) and what the alternative would have done, per rule, per department and per
 * checkpoint, with the difference. Pure.
 */
import { RULE_WORDS, type DeductionRule } from '../ledger';
import type { SimDeduction, SimLights, SimOutcome } from './scenario';

export interface Tally {
  deductions: number;
  amountFen: number;
  reversedFen: number;
}

export interface LightTally {
  red: number;
  yellow: number;
  green: number;
}

/** The snapshots' lights have the model's shape. */
export type ActualLights = SimLights;

const diff = (a: Tally, b: Tally): Tally => ({
  deductions: b.deductions - a.deductions,
  amountFen: b.amountFen - a.amountFen,
  reversedFen: b.reversedFen - a.reversedFen,
});
const lightDiff = (a: LightTally, b: LightTally): LightTally => ({ red: b.red - a.red, yellow: b.yellow - a.yellow, green: b.green - a.green });
const lightsOf = (l: { red: number; yellow: number; green: number } | undefined): LightTally => ({
  red: l?.red ?? 0,
  yellow: l?.yellow ?? 0,
  green: l?.green ?? 0,
});

/** Deductions grouped by a key, tallied once (a year has many departments and many entries). */
function tallies(ds: SimDeduction[], key: (d: SimDeduction) => string): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const d of ds) {
    const t = out.get(key(d)) ?? { deductions: 0, amountFen: 0, reversedFen: 0 };
    t.deductions++;
    t.amountFen += d.amountFen;
    t.reversedFen += d.reversedFen;
    out.set(key(d), t);
  }
  return out;
}

const NONE: Tally = { deductions: 0, amountFen: 0, reversedFen: 0 };

export function compareScenario(
  actual: { deductions: SimDeduction[]; lights: ActualLights[]; flagged: number; flaggedByDept: Record<string, number> },
  alt: SimOutcome,
) {
  const [ar, br] = [tallies(actual.deductions, (d) => d.rule), tallies(alt.deductions, (d) => d.rule)];
  const rules = [...new Set([...ar.keys(), ...br.keys()])].sort() as DeductionRule[];
  const byRule = rules.map((rule) => {
    const a = ar.get(rule) ?? NONE;
    const b = br.get(rule) ?? NONE;
    return { rule, zh: RULE_WORDS[rule].zh, actual: a, alternative: b, difference: diff(a, b) };
  });
  const [ad, bd] = [tallies(actual.deductions, (d) => d.deptId), tallies(alt.deductions, (d) => d.deptId)];
  const depts = [
    ...new Set([...ad.keys(), ...bd.keys(), ...actual.lights.flatMap((l) => Object.keys(l.byDept)), ...alt.lights.flatMap((l) => Object.keys(l.byDept))]),
  ].sort();
  const altLights = new Map<number, SimLights>(alt.lights.map((l) => [l.index, l]));
  const byDept = depts.map((deptId) => {
    const a = ad.get(deptId) ?? NONE;
    const b = bd.get(deptId) ?? NONE;
    const lights = actual.lights.map((l) => {
      const x = lightsOf(l.byDept[deptId]);
      const y = lightsOf(altLights.get(l.index)?.byDept[deptId]);
      return { index: l.index, actual: x, alternative: y, difference: lightDiff(x, y) };
    });
    const flagged = { actual: actual.flaggedByDept[deptId] ?? 0, alternative: alt.flaggedByDept[deptId] ?? 0 };
    return { deptId, actual: a, alternative: b, difference: diff(a, b), lights, flagged: { ...flagged, difference: flagged.alternative - flagged.actual } };
  });
  const lights = actual.lights.map((l) => {
    const y = altLights.get(l.index);
    const x = lightsOf(l);
    const z = lightsOf(y);
    return {
      index: l.index,
      actualDate: l.date,
      alternativeDate: y?.date ?? null,
      actual: { ...x, suspended: l.suspended },
      alternative: { ...z, suspended: y?.suspended ?? 0 },
      difference: { ...lightDiff(x, z), suspended: (y?.suspended ?? 0) - l.suspended },
    };
  });
  const total = { actual: tallies(actual.deductions, () => '').get('') ?? NONE, alternative: tallies(alt.deductions, () => '').get('') ?? NONE };
  return {
    totals: { ...total, difference: diff(total.actual, total.alternative) },
    rules: byRule,
    departments: byDept,
    lights,
    flagged: { actual: actual.flagged, alternative: alt.flagged, difference: alt.flagged - actual.flagged },
  };
}

/** Do the simulated lights equal the snapshots' (per checkpoint and department)? */
export function lightsMatch(actual: ActualLights[], sim: SimLights[]): boolean {
  const byIndex = new Map(sim.map((l) => [l.index, l]));
  return actual.every((a) => {
    const s = byIndex.get(a.index);
    if (!s || s.red !== a.red || s.yellow !== a.yellow || s.green !== a.green || s.suspended !== a.suspended) return false;
    return Object.entries(a.byDept).every(([d, x]) => {
      const y = lightsOf(s.byDept[d]);
      return y.red === x.red && y.yellow === x.yellow && y.green === x.green;
    });
  });
}
