/**
 * The closed-loop load generator of `npm run bench` (the `consensus` and
 * `data` sections) and of `tessera bench`: `clients` concurrent loops in one
 * Node process, each issuing its next call as soon as the previous one
 * answers. A warm-up runs first and is excluded; then calls that start inside
 * the measured window count, and the rate is those calls over the time until
 * the last of them answered. A run is bounded by its duration and, when
 * given, by a number of measured calls. Several runs are summarised as the
 * median with min and max.
 */
import { performance } from 'node:perf_hooks';
import { median, percentile } from './stats.js';

export interface LoadOptions {
  readonly clients: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Stop starting calls once this many measured calls have started (the run may end before `durationMs`). */
  readonly maxOps?: number;
}

export interface RunFigures {
  readonly opsPerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
  /** Measured calls (answered inside the run). */
  readonly ops: number;
  /** Length of the measured window, seconds. */
  readonly seconds: number;
}

export interface Summary extends RunFigures {
  readonly runs: number;
  readonly opsMin: number;
  readonly opsMax: number;
}

/** `op(client, i)`: the i-th call of loop `client`. */
export type LoadOp = (client: number, i: number) => Promise<unknown>;

export async function runLoad(options: LoadOptions, op: LoadOp): Promise<RunFigures> {
  const latenciesUs: number[] = [];
  const maxOps = options.maxOps ?? Number.POSITIVE_INFINITY;
  let windowStart = Number.POSITIVE_INFINITY;
  let stopAt = Number.POSITIVE_INFINITY;
  let started = 0;
  let failure: { readonly error: unknown } | undefined;
  const loop = async (client: number): Promise<void> => {
    for (let i = 0; failure === undefined; i++) {
      const t0 = performance.now();
      if (t0 >= stopAt) return;
      const measured = t0 >= windowStart;
      if (measured && started >= maxOps) return;
      if (measured) started++;
      try {
        await op(client, i);
      } catch (error) {
        // The first failure ends the run for every loop: a figure over failing calls means nothing.
        failure ??= { error };
        return;
      }
      if (measured) latenciesUs.push((performance.now() - t0) * 1000);
    }
  };
  const open = (): void => {
    windowStart = performance.now();
    stopAt = windowStart + options.durationMs;
  };
  // Without a warm-up the window opens before the first calls start, so that they count.
  if (options.warmupMs <= 0) open();
  const loops = Array.from({ length: options.clients }, (_, c) => loop(c));
  if (options.warmupMs > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, options.warmupMs))), Promise.all(loops)]);
    clearTimeout(timer);
    open();
  }
  await Promise.all(loops);
  if (failure !== undefined) throw failure.error;
  const seconds = (performance.now() - windowStart) / 1000;
  latenciesUs.sort((a, b) => a - b);
  return { opsPerSec: latenciesUs.length / seconds, p50Us: percentile(latenciesUs, 50), p99Us: percentile(latenciesUs, 99), ops: latenciesUs.length, seconds };
}

/** Median of each figure over the runs, with the min and max rate. */
export function summarise(runs: readonly RunFigures[]): Summary {
  const ops = runs.map((r) => r.opsPerSec);
  return {
    runs: runs.length,
    opsPerSec: median(ops),
    p50Us: median(runs.map((r) => r.p50Us)),
    p99Us: median(runs.map((r) => r.p99Us)),
    opsMin: Math.min(...ops),
    opsMax: Math.max(...ops),
    ops: runs.reduce((n, r) => n + r.ops, 0),
    seconds: runs.reduce((n, r) => n + r.seconds, 0),
  };
}


