/**
 * The one bounded-concurrency pool: `fn` runs over `items` with at most `limit` calls in
 * flight, in order of the queue. Pure TypeScript (no clock, no SDK), so every layer may use it.
 */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}
