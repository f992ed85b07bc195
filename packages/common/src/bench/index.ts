/**
 * Tiny benchmark harness shared by every package's `bench/`: median of several
 * timed runs, reported as MB/s or ops/s, plus table and JSON output. Speed is
 * measured here, never asserted in tests.
 */
import { performance } from 'node:perf_hooks';

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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/** Times a synchronous function. `bytes` is what one call processes. */
export function benchSync(name: string, bytes: number, fn: () => unknown, options: BenchOptions = {}): BenchResult {
  const runs = options.runs ?? 7;
  const minRunMs = options.minRunMs ?? 150;
  for (let i = 0; i < 3; i++) fn(); // warm-up: JIT and caches
  const rates: number[] = [];
  const latencies: number[] = [];
  for (let r = 0; r < runs; r++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < minRunMs) {
      const t0 = performance.now();
      fn();
      now = performance.now();
      latencies.push((now - t0) * 1000);
      calls++;
    }
    rates.push(calls / ((now - start) / 1000));
  }
  return summarise(name, bytes, runs, rates, latencies, options.note);
}

/** Times an async function, one call at a time. */
export async function benchAsync(name: string, bytes: number, fn: () => Promise<unknown>, options: BenchOptions = {}): Promise<BenchResult> {
  const runs = options.runs ?? 7;
  const minRunMs = options.minRunMs ?? 150;
  for (let i = 0; i < 3; i++) await fn();
  const rates: number[] = [];
  const latencies: number[] = [];
  for (let r = 0; r < runs; r++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < minRunMs) {
      const t0 = performance.now();
      await fn();
      now = performance.now();
      latencies.push((now - t0) * 1000);
      calls++;
    }
    rates.push(calls / ((now - start) / 1000));
  }
  return summarise(name, bytes, runs, rates, latencies, options.note);
}

function summarise(name: string, bytes: number, runs: number, rates: number[], latencies: number[], note: string | undefined): BenchResult {
  const ops = median(rates);
  const sorted = latencies.sort((a, b) => a - b);
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
