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
 * No all-pairs comparison: `nearDuplicatePairs` is an exact prefix-filter join (PPJoin) over an
 * inverted index of bigrams. Bigrams are ordered rarest first; floor(I×10000/U) ≥ s ⟺
 * I×10000 ≥ s×U, and since U ≥ max(|A|,|B|) a pair that qualifies shares at least
 * ceil(s×|A|/10000) bigrams, so it shares one within a short prefix of each set; only pairs
 * meeting in their prefixes (and passing the size and positional filters) are verified, exactly.
 * `nearDuplicatePairsAllPairs` is the naive reference the tests and the bench compare with.
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
  /** Near-duplicates: the department of each project, in the order of projectIds. */
  projectDeptIds?: string[];
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
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
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

/**
 * The exact join of one domain (ids sorted within each pair, pairs sorted): PPJoin. Records go
 * in by size, so every indexed set is no larger than the probe x. With s the threshold in bp:
 * a pair qualifies iff I ≥ α = ceil(s(|x|+|y|)/(10000+s)); x probes its first |x| − ceil(s|x|/10000) + 1
 * tokens, y was indexed with its first |y| − ceil(2s|y|/(10000+s)) + 1 (enough, as |x| ≥ |y|;
 * both one longer, see PREFIX_MATCHES);
 * |y| < ceil(s|x|/10000) cannot qualify (size filter); and a candidate whose overlap so far plus
 * what is left after the positions where they meet cannot reach α is dropped (positional
 * filter). The survivors are verified exactly.
 */
/**
 * Prefixes one token longer than the minimum: a qualifying pair (I ≥ α) then meets at least
 * min(2, α) times inside them — the k-th bigram they share is at most at position |·| − α + k − 1
 * of each — so a candidate met once is dropped before the exact check (most of them are).
 */
const PREFIX_MATCHES = 2;

export function nearDuplicatePairs(items: readonly { projectId: string; text: string }[], similarityBp: number): NearPair[] {
  // A zero threshold makes every pair a candidate, sharing a bigram or not: no index helps.
  if (similarityBp <= 0) return nearDuplicatePairsAllPairs(items, similarityBp);
  const s = similarityBp;
  const { recs, tokens, words, bits } = domainRecords(items);
  // index[token] = flat [record, position, size, ...], sizes ascending (records go in by size), so
  // the entries too small for the current probe are a prefix of the list: start[token] skips them.
  const index: number[][] = Array.from({ length: tokens }, () => []);
  const start = new Int32Array(tokens);
  const overlap = new Int32Array(recs.length);
  const touched: number[] = [];
  const out: NearPair[] = [];
  for (let x = 0; x < recs.length; x++) {
    const tx = (recs[x] as (typeof recs)[number]).toks;
    const nx = tx.length;
    const minSize = Math.ceil((s * nx) / 10000);
    const probe = nx - minSize + PREFIX_MATCHES;
    for (let i = 0; i < probe && i < nx; i++) {
      const token = tx[i] as number;
      const list = index[token] as number[];
      let k = start[token] as number;
      while (k < list.length && (list[k + 2] as number) < minSize) k += 3;
      start[token] = k;
      for (; k < list.length; k += 3) {
        const y = list[k] as number;
        const seen = overlap[y] as number;
        if (seen < 0) continue;
        const ny = list[k + 2] as number;
        const alpha = Math.ceil((s * (nx + ny)) / (10000 + s));
        const bound = 1 + Math.min(nx - i - 1, ny - (list[k + 1] as number) - 1);
        if (seen === 0) touched.push(y);
        overlap[y] = seen + bound >= alpha ? seen + 1 : -1;
      }
    }
    for (const y of touched) {
      const ty = (recs[y] as (typeof recs)[number]).toks;
      const need = Math.min(PREFIX_MATCHES, Math.ceil((s * (nx + ty.length)) / (10000 + s)));
      if ((overlap[y] as number) >= need) {
        const inter = intersectBits(
          bits,
          x * words,
          y * words,
          Math.max(tx[0] as number, ty[0] as number) >>> 5,
          Math.min(tx[nx - 1] as number, ty[ty.length - 1] as number) >>> 5,
        );
        const union = nx + ty.length - inter;
        if (qualifies(inter, union, s)) {
          const a = (recs[x] as (typeof recs)[number]).id;
          const b = (recs[y] as (typeof recs)[number]).id;
          out.push({ a: a < b ? a : b, b: a < b ? b : a, similarityBp: Math.floor((inter * 10000) / union) });
        }
      }
      overlap[y] = 0;
    }
    touched.length = 0;
    const indexed = nx - Math.ceil((2 * s * nx) / (10000 + s)) + PREFIX_MATCHES;
    for (let j = 0; j < indexed && j < nx; j++) (index[tx[j] as number] as number[]).push(x, j, nx);
  }
  return out.sort(byPair);
}

/**
 * The sets of a domain as sorted arrays of bigram ranks (rarest first), ordered by size, and as
 * bitsets: the exact check is a popcount of ANDed words over the range both sets span.
 */
function domainRecords(items: readonly { projectId: string; text: string }[]) {
  const sets = items.map((i) => [...bigrams(i.text)]);
  const freq = new Map<string, number>();
  for (const set of sets) for (const g of set) freq.set(g, (freq.get(g) ?? 0) + 1);
  const rank = new Map<string, number>([...freq.entries()].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1)).map(([g], i) => [g, i]));
  const recs = sets
    .map((set, i) => ({ id: (items[i] as { projectId: string }).projectId, toks: Int32Array.from(set.map((g) => rank.get(g) as number)).sort() }))
    .filter((r) => r.toks.length > 0)
    .sort((x, y) => x.toks.length - y.toks.length || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const words = Math.ceil(rank.size / 32);
  const bits = new Uint32Array(recs.length * words);
  recs.forEach((r, n) => {
    for (const t of r.toks) bits[n * words + (t >>> 5)] = (bits[n * words + (t >>> 5)] as number) | (1 << (t & 31));
  });
  return { recs, tokens: rank.size, words, bits };
}

function intersectBits(bits: Uint32Array, ox: number, oy: number, from: number, to: number): number {
  let n = 0;
  for (let w = from; w <= to; w++) {
    let v = ((bits[ox + w] as number) & (bits[oy + w] as number)) >>> 0;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
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

/** The scan texts of each domain. */
export function textsByDomain(projects: readonly ScanProject[]): Map<string, { projectId: string; text: string }[]> {
  const byDomain = new Map<string, { projectId: string; text: string }[]>();
  for (const p of projects) {
    const list = byDomain.get(p.domain);
    const item = { projectId: p.projectId, text: cleanupText(p.name, p.goal) };
    if (list) list.push(item);
    else byDomain.set(p.domain, [item]);
  }
  return byDomain;
}

/** Near-duplicate candidates of a year: the join run per domain. */
export function nearDuplicateCandidates(
  projects: readonly ScanProject[],
  policy: CleanupPolicy,
  join: typeof nearDuplicatePairs = nearDuplicatePairs,
): Candidate[] {
  const byId = new Map(projects.map((p) => [p.projectId, p]));
  const byDomain = textsByDomain(projects);
  const out: Candidate[] = [];
  for (const [domain, items] of [...byDomain].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const pair of join(items, policy.similarityBp)) {
      const a = byId.get(pair.a) as ScanProject;
      const b = byId.get(pair.b) as ScanProject;
      out.push({
        kind: 'near-duplicate',
        projectIds: [pair.a, pair.b],
        deptIds: [...new Set([a.deptId, b.deptId])].sort(),
        projectDeptIds: [a.deptId, b.deptId],
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
