/**
 * SPEC §3.3 — policy clean-up (清理): the candidates a `cleanup-scan` lists.
 *
 * - small: a leaf project with budget < cleanup.smallBudgetFen [500,000 yuan];
 * - scattered: cleanup.scatteredCount [3] or more small projects of one department with the
 *   same domain and category;
 * - near-duplicate: two projects of the same domain whose texts have character-bigram Jaccard
 *   similarity ≥ cleanup.similarityBp [6000]. The text is the name followed by the goal, keeping
 *   only letters and digits (\p{L}\p{N}); its bigrams are the SET of consecutive character
 *   pairs; similarity = floor(|A ∩ B| × 10000 / |A ∪ B|) (0 when both sets are empty).
 *
 * Worked examples (names only): 城市道路维修养护 vs 城市道路养护维修 → 7 bigrams each, 5 shared,
 * 9 in the union → 5555 bp, not a candidate; 城市道路维修养护 vs 城市道路维修养护工程 → 7 and 9,
 * 7 shared, 9 in the union → 7777 bp, a candidate.
 *
 * No all-pairs comparison: `nearDuplicates` is an exact prefix-filter join over an inverted
 * index of bigrams. Bigrams are ordered rarest first; floor(I×10000/U) ≥ s ⟺ I×10000 ≥ s×U,
 * and since U ≥ max(|A|,|B|) a pair that qualifies shares at least α(A) = ceil(s×|A|/10000)
 * bigrams, so it shares one within the first |A| − α(A) + 1 (the prefix) of each set. Only
 * pairs meeting in a prefix (and passing the size filter |B| ≥ s×|A|/10000) are verified,
 * exactly. `nearDuplicatesAllPairs` is the naive reference the tests and the bench compare with.
 */
import type { Policy } from '../policy';

export type CleanupPolicy = Policy['cleanup'];
export const CANDIDATE_KINDS = ['small', 'scattered', 'near-duplicate'] as const;
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];

export interface ScanProject {
  projectId: string;
  deptId: string;
  domain: string;
  category: string;
  budgetFen: number;
  name: string;
  goal?: string;
}

export interface Candidate {
  kind: CandidateKind;
  projectIds: string[];
  deptIds: string[];
  domain: string;
  category?: string;
  similarityBp?: number;
  budgetFen: number;
}

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

/** Name followed by goal, letters and digits only. */
export function cleanupText(name: string, goal?: string): string {
  return `${name}${goal ?? ''}`.replace(NOT_LETTER_OR_DIGIT, '');
}

/** The set of consecutive character pairs (by code point). */
export function bigrams(text: string): Set<string> {
  const chars = [...text];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  return out;
}

export function jaccardBp(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : Math.floor((inter * 10000) / union);
}

export function textSimilarityBp(a: string, b: string): number {
  return jaccardBp(bigrams(cleanupText(a)), bigrams(cleanupText(b)));
}

export function isSmall(budgetFen: number, policy: CleanupPolicy): boolean {
  return budgetFen < policy.smallBudgetFen;
}

export function smallCandidates(projects: readonly ScanProject[], policy: CleanupPolicy): Candidate[] {
  return projects
    .filter((p) => isSmall(p.budgetFen, policy))
    .map((p) => ({ kind: 'small', projectIds: [p.projectId], deptIds: [p.deptId], domain: p.domain, category: p.category, budgetFen: p.budgetFen }));
}

export function scatteredCandidates(projects: readonly ScanProject[], policy: CleanupPolicy): Candidate[] {
  const groups = new Map<string, ScanProject[]>();
  for (const p of projects) {
    if (!isSmall(p.budgetFen, policy)) continue;
    const key = `${p.deptId}\u0000${p.domain}\u0000${p.category}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: Candidate[] = [];
  for (const list of groups.values()) {
    if (list.length < policy.scatteredCount) continue;
    const first = list[0] as ScanProject;
    out.push({
      kind: 'scattered',
      projectIds: list.map((p) => p.projectId).sort(),
      deptIds: [first.deptId],
      domain: first.domain,
      category: first.category,
      budgetFen: list.reduce((s, p) => s + p.budgetFen, 0),
    });
  }
  return out;
}

export interface NearPair {
  a: string;
  b: string;
  similarityBp: number;
}

/** Qualifies: floor(I × 10000 / U) ≥ s, in integers. */
const qualifies = (inter: number, union: number, s: number) => union > 0 && inter * 10000 >= s * union;

/** The exact join of one domain (ids sorted within each pair, pairs sorted). */
export function nearDuplicatePairs(items: readonly { projectId: string; text: string }[], similarityBp: number): NearPair[] {
  // A zero threshold makes every pair a candidate, sharing a bigram or not: no index helps.
  if (similarityBp <= 0) return nearDuplicatePairsAllPairs(items, similarityBp);
  const sets = items.map((i) => [...bigrams(i.text)]);
  const freq = new Map<string, number>();
  for (const s of sets) for (const g of s) freq.set(g, (freq.get(g) ?? 0) + 1);
  const rank = new Map<string, number>([...freq.entries()].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1)).map(([g], i) => [g, i]));
  // Records as sorted arrays of token ranks, processed by size so the index holds only smaller sets.
  const recs = sets
    .map((s, i) => ({ i, toks: Int32Array.from(s.map((g) => rank.get(g) as number)).sort() }))
    .filter((r) => r.toks.length > 0)
    .sort((x, y) => x.toks.length - y.toks.length || x.i - y.i);
  const index = new Map<number, number[]>();
  const out: NearPair[] = [];
  const seenAt = new Int32Array(recs.length).fill(-1);
  for (let r = 0; r < recs.length; r++) {
    const { toks } = recs[r] as (typeof recs)[number];
    const n = toks.length;
    const alpha = Math.ceil((similarityBp * n) / 10000);
    const prefix = Math.max(1, n - alpha + 1);
    const minSize = Math.ceil((similarityBp * n) / 10000);
    for (let k = 0; k < prefix && k < n; k++) {
      const list = index.get(toks[k] as number);
      if (!list) continue;
      for (const other of list) {
        if (seenAt[other] === r) continue;
        seenAt[other] = r;
        const o = (recs[other] as (typeof recs)[number]).toks;
        if (o.length < minSize) continue;
        const inter = intersectSorted(toks, o);
        if (qualifies(inter, n + o.length - inter, similarityBp)) {
          const ia = (items[(recs[r] as (typeof recs)[number]).i] as { projectId: string }).projectId;
          const ib = (items[(recs[other] as (typeof recs)[number]).i] as { projectId: string }).projectId;
          out.push({ a: ia < ib ? ia : ib, b: ia < ib ? ib : ia, similarityBp: Math.floor((inter * 10000) / (n + o.length - inter)) });
        }
      }
    }
    for (let k = 0; k < prefix && k < n; k++) {
      const t = toks[k] as number;
      const list = index.get(t);
      if (list) list.push(r);
      else index.set(t, [r]);
    }
  }
  return out.sort(byPair);
}

function intersectSorted(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

const byPair = (x: NearPair, y: NearPair) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0);

/** The naive reference: every pair of a domain, exactly. For tests and the bench only. */
export function nearDuplicatePairsAllPairs(items: readonly { projectId: string; text: string }[], similarityBp: number): NearPair[] {
  const sets = items.map((i) => bigrams(i.text));
  const out: NearPair[] = [];
  for (let x = 0; x < items.length; x++) {
    for (let y = x + 1; y < items.length; y++) {
      const bp = jaccardBp(sets[x] as Set<string>, sets[y] as Set<string>);
      if (bp >= similarityBp && (sets[x] as Set<string>).size + (sets[y] as Set<string>).size > 0) {
        const ia = (items[x] as { projectId: string }).projectId;
        const ib = (items[y] as { projectId: string }).projectId;
        out.push({ a: ia < ib ? ia : ib, b: ia < ib ? ib : ia, similarityBp: bp });
      }
    }
  }
  return out.sort(byPair);
}

/** Near-duplicate candidates of a year: the join run per domain. */
export function nearDuplicateCandidates(
  projects: readonly ScanProject[],
  policy: CleanupPolicy,
  join: typeof nearDuplicatePairs = nearDuplicatePairs,
): Candidate[] {
  const byId = new Map(projects.map((p) => [p.projectId, p]));
  const byDomain = new Map<string, { projectId: string; text: string }[]>();
  for (const p of projects) {
    const list = byDomain.get(p.domain) ?? [];
    list.push({ projectId: p.projectId, text: cleanupText(p.name, p.goal) });
    byDomain.set(p.domain, list);
  }
  const out: Candidate[] = [];
  for (const [domain, items] of [...byDomain].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const pair of join(items, policy.similarityBp)) {
      const a = byId.get(pair.a) as ScanProject;
      const b = byId.get(pair.b) as ScanProject;
      out.push({
        kind: 'near-duplicate',
        projectIds: [pair.a, pair.b],
        deptIds: [...new Set([a.deptId, b.deptId])].sort(),
        domain,
        similarityBp: pair.similarityBp,
        budgetFen: a.budgetFen + b.budgetFen,
      });
    }
  }
  return out;
}

/** Every candidate of a scan, in kind order. */
export function cleanupCandidates(projects: readonly ScanProject[], policy: CleanupPolicy): Candidate[] {
  return [...smallCandidates(projects, policy), ...scatteredCandidates(projects, policy), ...nearDuplicateCandidates(projects, policy)];
}
