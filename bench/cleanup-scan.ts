/**
 * Benchmark of the clean-up scan's candidate search (SPEC §3.3): `npx tsx bench/cleanup-scan.ts
 * [--sizes 2000,20000,100000] [--all-pairs-up-to 20000]`.
 *
 * Runs the pure scan core in-process (rules/cleanup.ts: small, scattered and the near-duplicate
 * prefix-filter join over an inverted index of bigrams) on N synthetic leaf projects; no
 * DynamoDB is involved in the candidate search itself (the job reads the year with two queries
 * and writes the candidates; that I/O is not timed here). Names and goals are drawn from the
 * demo's vocabulary (local/seed/names-zh.ts): 87 departments, 19 domains, place + subject +
 * category suffix, and a goal sentence with figures. Up to --all-pairs-up-to projects, the same
 * run also compares every pair of each domain exactly and checks that both find the same pairs.
 * Prints seconds (wall, and CPU: on a shared machine the wall time depends on the others' load),
 * candidates by kind, and memory (peak RSS of the process, heap after). The 100,000 goal is
 * under 60 s. `os.loadavg()` is printed so figures can be read against the machine's load.
 */
import { cleanupCandidates, nearDuplicatePairs, textsByDomain, nearDuplicatePairsAllPairs, type ScanProject } from '../shared/domain/rules/cleanup';
import { DEFAULT_POLICY } from '../shared/domain/policy';
import { CATEGORY_SUFFIXES, DEPARTMENTS, PLACES, parseSubject, SUBJECTS } from '../local/seed/names-zh';
import { Rng } from '../local/seed/prng';
import { cpus, loadavg } from 'node:os';
import { option } from './support';

const SIZES = (option('sizes') ?? '2000,20000,100000').split(',').map(Number);
const ALL_PAIRS_UP_TO = Number(option('all-pairs-up-to') ?? 20000);

const VERBS = ['完成', '推进', '建成', '实施', '开展', '保障'];
const UNITS = ['个', '处', '公里', '项', '台', '人次', '所', '平方米'];
const BENEFITS = ['提升公共服务水平', '改善群众生活条件', '保障单位正常运转', '提高管理效率', '增强应急处置能力', '促进产业发展', '群众满意度达到90%以上'];
const PHASES = ['', '', '', '一期', '二期', '三期'];

export function syntheticProjects(n: number, seed = 'jixiao-bench-cleanup'): ScanProject[] {
  const rng = new Rng(`${seed}:${n}`);
  const weights = Object.fromEntries(DEPARTMENTS.map((d, i) => [String(i), d.weight])) as Record<string, number>;
  const out: ScanProject[] = [];
  for (let i = 0; i < n; i++) {
    const di = Number(rng.weighted(weights));
    const dept = DEPARTMENTS[di] as (typeof DEPARTMENTS)[number];
    const about = parseSubject(rng.pick(SUBJECTS[dept.domain]));
    const category = rng.pick(about.categories);
    const place = rng.chance(0.5) ? rng.pick(PLACES) : '';
    const name = `${place}${about.subject}${rng.pick(CATEGORY_SUFFIXES[category])}${rng.pick(PHASES)}`;
    const goal = `${rng.pick(VERBS)}${place}${about.subject}${rng.int(1, 500)}${rng.pick(UNITS)}，${rng.pick(BENEFITS)}`;
    const yuan = Math.exp(Math.log(50_000) + rng.next() ** 1.35 * Math.log(1000));
    out.push({
      projectId: `B${String(i).padStart(6, '0')}`,
      deptId: `D${String(di + 1).padStart(3, '0')}`,
      domain: dept.domain,
      category,
      budgetFen: Math.round(yuan / 1000) * 100_000,
      name,
      goal,
    });
  }
  return out;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function allPairsCount(projects: ScanProject[]): number {
  const byDomain = textsByDomain(projects);
  let n = 0;
  for (const items of byDomain.values()) n += nearDuplicatePairsAllPairs(items, DEFAULT_POLICY.cleanup.similarityBp).length;
  return n;
}

function main() {
  console.log('cleanup-scan bench: the pure scan core in-process (no DynamoDB in the candidate search), default policy');
  console.log(
    `  load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
  );
  console.log(
    `  small < ${DEFAULT_POLICY.cleanup.smallBudgetFen} fen, scattered ≥ ${DEFAULT_POLICY.cleanup.scatteredCount}, near-duplicate ≥ ${DEFAULT_POLICY.cleanup.similarityBp} bp; 19 domains, 87 departments`,
  );
  let failed = false;
  for (const n of SIZES) {
    const projects = syntheticProjects(n);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const found = cleanupCandidates(projects, DEFAULT_POLICY.cleanup);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const counts = { small: 0, scattered: 0, 'near-duplicate': 0 };
    for (const c of found) counts[c.kind]++;
    let check = '';
    if (n <= ALL_PAIRS_UP_TO) {
      const t1 = performance.now();
      const exact = allPairsCount(projects);
      const agree = exact === counts['near-duplicate'];
      failed ||= !agree;
      check = `; all pairs (exact, same run): ${exact} near-duplicates in ${((performance.now() - t1) / 1000).toFixed(2)} s — ${agree ? 'agree' : 'DISAGREE'}`;
    }
    const heap = process.memoryUsage().heapUsed;
    const peak = process.resourceUsage().maxRSS * 1024;
    console.log(
      `N=${n.toLocaleString('en')}: ${seconds.toFixed(2)} s (CPU ${cpuSeconds.toFixed(2)} s), candidates small=${counts.small} scattered=${counts.scattered} near-duplicate=${counts['near-duplicate']}; peak RSS ${mb(peak)}, heap after ${mb(heap)}${check}`,
    );
  }
  // The join on its own, once more at the largest size, per domain (what dominates).
  const largest = syntheticProjects(Math.max(...SIZES));
  const t2 = performance.now();
  const byDomain = textsByDomain(largest);
  let pairs = 0;
  for (const items of byDomain.values()) pairs += nearDuplicatePairs(items, DEFAULT_POLICY.cleanup.similarityBp).length;
  console.log(
    `near-duplicate join alone at N=${largest.length.toLocaleString('en')}: ${((performance.now() - t2) / 1000).toFixed(2)} s, ${pairs} pairs, largest domain ${Math.max(...[...byDomain.values()].map((v) => v.length))} projects`,
  );
  if (failed) {
    console.error('the indexed join and the all-pairs comparison disagree');
    process.exitCode = 1;
  }
}

main();
