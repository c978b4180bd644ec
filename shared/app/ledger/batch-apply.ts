/**
 * Coalescing concurrent deductions into shared transactions (issue 14, throughput): a job that
 * cuts many projects at once hands each deduction to `apply` as it would to the ledger's own
 * `apply`; deductions arriving together are written by one `applyMany` (every item of each —
 * entry, guarded change, audit record, outbox line — and one pool credit of their sum, in ONE
 * transaction), and each caller gets its own outcome back ('applied', 'exists' or
 * 'guard-failed', exactly as `apply` answers). A batch is sent when it is full or when no
 * other deduction has joined it for `lingerMs`; two deductions of one target never share one.
 * Each batch in flight has a lane (0, 1, …) of its own: the ledger credits the pool counter of
 * that lane, so the batches of one run never wait on one another's counter.
 */
import type { LedgerApply } from '../../domain/ledger-writes';
import type { ApplyOutcome, LedgerPort } from './ports';

export interface BatchOptions {
  /** Deductions per transaction at most (the ledger splits further at DynamoDB's 100 items). */
  size: number;
  /** How long a partial batch waits for more. */
  lingerMs: number;
}

export const DEFAULT_BATCH: BatchOptions = { size: 24, lingerMs: 5 };

type Member = { input: LedgerApply; resolve: (o: ApplyOutcome) => void; reject: (e: unknown) => void };

export function batchingApply(ledger: Pick<LedgerPort, 'applyMany'>, opts: BatchOptions = DEFAULT_BATCH): (input: LedgerApply) => Promise<ApplyOutcome> {
  let batch: Member[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Batches in flight at once each take a lane of their own, so they credit different pool counters.
  const lanes = new Set<number>();
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const members = batch;
    batch = [];
    if (members.length === 0) return;
    let lane = 0;
    while (lanes.has(lane)) lane++;
    lanes.add(lane);
    ledger
      .applyMany(
        members.map((m) => m.input),
        lane,
      )
      .then(
        (outcomes) => {
          for (const [k, m] of members.entries()) m.resolve(outcomes[k] as ApplyOutcome);
        },
        (error: unknown) => {
          for (const m of members) m.reject(error);
        },
      )
      .finally(() => lanes.delete(lane));
  };
  return (input) =>
    new Promise<ApplyOutcome>((resolve, reject) => {
      const target = JSON.stringify(input.deduction.target);
      if (batch.some((m) => JSON.stringify(m.input.deduction.target) === target)) flush();
      batch.push({ input, resolve, reject });
      if (batch.length >= opts.size) flush();
      else timer ??= setTimeout(flush, opts.lingerMs);
    });
}
