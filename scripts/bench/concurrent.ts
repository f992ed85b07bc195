/**
 * A fixed number of async loops calling one operation back to back for a
 * fixed time: the shape of every "N in flight" figure (ChunkPipeline on
 * worker threads, a node's durable writes). Unlike benchAsync, calls overlap.
 */
import { performance } from 'node:perf_hooks';
import { percentile, type BenchResult } from '@tessera/common/bench';

export interface ConcurrentOptions {
  /** Operations kept in flight. */
  readonly inFlight: number;
  /** Measured time; default 2 s. */
  readonly durationMs?: number;
  /** Unmeasured calls per loop first (JIT, worker warm-up); default 2. */
  readonly warmUp?: number;
  readonly note?: string;
}


/** `op(loop)` from `inFlight` loops for the duration; ops/s and MB/s over the window, per-call latency percentiles. */
export async function benchConcurrent(name: string, bytes: number, options: ConcurrentOptions, op: (loop: number) => Promise<unknown>): Promise<BenchResult> {
  const loops = Array.from({ length: options.inFlight }, (_, i) => i);
  for (let i = 0; i < (options.warmUp ?? 2); i++) await Promise.all(loops.map((loop) => op(loop)));
  const latenciesUs: number[] = [];
  const started = performance.now();
  const deadline = started + (options.durationMs ?? 2_000);
  await Promise.all(
    loops.map(async (loop) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await op(loop);
        latenciesUs.push((performance.now() - t0) * 1000);
      }
    }),
  );
  const ops = latenciesUs.length / ((performance.now() - started) / 1000);
  latenciesUs.sort((a, b) => a - b);
  return {
    name,
    bytes,
    runs: 1,
    mbPerSec: (ops * bytes) / 1e6,
    opsPerSec: ops,
    p50Us: percentile(latenciesUs, 50),
    p99Us: percentile(latenciesUs, 99),
    ...(options.note === undefined ? {} : { note: options.note }),
  };
}
