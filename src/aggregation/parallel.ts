// A tiny worker pool: the job spreads its statements over a few connections so PostgreSQL uses
// more than one core (window functions and single statements do not run in parallel there).

/** Runs `fn` over `items` with at most `concurrency` at once; rejects with the first error. */
export async function forEachParallel<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Splits `items` into chunks of at most `size`, evenly over at least `parts` chunks when large. */
export function chunk<T>(items: readonly T[], size: number, parts = 1, minPerPart = 2000): T[][] {
  const per = items.length >= parts * minPerPart ? Math.min(size, Math.ceil(items.length / parts)) : size;
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += per) out.push(items.slice(i, i + per));
  return out;
}
