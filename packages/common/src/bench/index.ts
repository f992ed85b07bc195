/**
 * Tiny benchmark harness shared by every package's `bench/`: median of several
 * timed runs, reported as MB/s or ops/s, plus table and JSON output. Speed is
 * measured here, never asserted in tests.
 */
import { performance } from 'node:perf_hooks';
import { median, percentile } from './stats.js';

export interface BenchResult {
  readonly name: string;
  /** Bytes processed per call, 0 for pure operation counts. */
  readonly bytes: number;
  readonly runs: number;
  /** Median megabytes (10^6) per second, when bytes > 0. */
  readonly mbPerSec?: number;
  /** Median operations per second. */
  readonly opsPerSec: number;
  /** Per-call latency percentiles in microseconds. */
  readonly p50Us: number;
  readonly p99Us: number;
  readonly note?: string;
}

export interface BenchOptions {
  /** Timed runs whose median is reported. */
  readonly runs?: number;
  /** Minimum duration of one run in milliseconds; calls are repeated until reached. */
  readonly minRunMs?: number;
  readonly note?: string;
}



/** Collects per-call latencies and per-run rates; one shape for sync and async timing loops. */
class Samples {
  readonly rates: number[] = [];
  readonly latencies: number[] = [];
  private runStart = 0;
  private calls = 0;

  constructor(private readonly minRunMs: number) {}

  startRun(): void {
    this.calls = 0;
    this.runStart = performance.now();
  }

  /** Records one call that began at `t0`; returns whether the run should go on. */
  record(t0: number): boolean {
    const now = performance.now();
    this.latencies.push((now - t0) * 1000);
    this.calls++;
    if (now - this.runStart < this.minRunMs) return true;
    this.rates.push(this.calls / ((now - this.runStart) / 1000));
    return false;
  }
}

/** Times a synchronous function. `bytes` is what one call processes. */
export function benchSync(name: string, bytes: number, fn: () => unknown, options: BenchOptions = {}): BenchResult {
  const runs = options.runs ?? 7;
  for (let i = 0; i < 3; i++) fn(); // warm-up: JIT and caches
  const samples = new Samples(options.minRunMs ?? 150);
  for (let r = 0; r < runs; r++) {
    samples.startRun();
    for (let more = true; more; ) {
      const t0 = performance.now();
      fn();
      more = samples.record(t0);
    }
  }
  return summarise(name, bytes, runs, samples, options.note);
}

/** Times an async function, one call at a time. */
export async function benchAsync(name: string, bytes: number, fn: () => Promise<unknown>, options: BenchOptions = {}): Promise<BenchResult> {
  const runs = options.runs ?? 7;
  for (let i = 0; i < 3; i++) await fn();
  const samples = new Samples(options.minRunMs ?? 150);
  for (let r = 0; r < runs; r++) {
    samples.startRun();
    for (let more = true; more; ) {
      const t0 = performance.now();
      await fn();
      more = samples.record(t0);
    }
  }
  return summarise(name, bytes, runs, samples, options.note);
}

function summarise(name: string, bytes: number, runs: number, samples: Samples, note: string | undefined): BenchResult {
  const ops = median(samples.rates);
  const sorted = samples.latencies.sort((a, b) => a - b);
  return {
    name,
    bytes,
    runs,
    ...(bytes > 0 ? { mbPerSec: (ops * bytes) / 1e6 } : {}),
    opsPerSec: ops,
    p50Us: percentile(sorted, 50),
    p99Us: percentile(sorted, 99),
    ...(note !== undefined ? { note } : {}),
  };
}

function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined) return '';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function sizeLabel(bytes: number): string {
  if (bytes === 0) return '';
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes >> 20} MiB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes >> 10} KiB`;
  return `${bytes} B`;
}

/** Renders results as an aligned text table for people. */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['benchmark', 'size', 'MB/s', 'ops/s', 'p50 µs', 'p99 µs', 'note'];
  const rows = results.map((r) => [r.name, sizeLabel(r.bytes), fmt(r.mbPerSec), fmt(r.opsPerSec), fmt(r.p50Us, 1), fmt(r.p99Us, 1), r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export { median, percentile } from './stats.js';
export { runLoad, summarise } from './load.js';
export type { LoadOp, LoadOptions, RunFigures, Summary } from './load.js';
export { loadAverage, machineInfo, machineLine } from './machine.js';
export type { MachineInfo } from './machine.js';
