/**
 * A debug-only phase tracer for the write path (issue #12). Inert unless
 * `TESSERA_RAFT_TRACE` names a directory: then each process appends
 * `<dir>/trace-<pid>.jsonl`, one JSON object per event, with a wall-clock
 * time in microseconds that is comparable across processes on one machine
 * (`performance.timeOrigin + performance.now()`). `scripts/bench/trace-report.ts`
 * turns the files into per-phase figures. Never on in tests or production.
 */
import { appendFile } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const TRACE_ENV = 'TESSERA_RAFT_TRACE';

const dir = process.env[TRACE_ENV];
/** True when tracing is on: callers guard their `trace` calls with it so nothing is built otherwise. */
export const tracing = dir !== undefined && dir !== '';

const FLUSH_EVERY = 512;
let buffered: string[] = [];
let flushTimer: NodeJS.Timeout | undefined;

function flush(): void {
  if (buffered.length === 0 || dir === undefined) return;
  const lines = buffered.join('');
  buffered = [];
  appendFile(join(dir, `trace-${process.pid}.jsonl`), lines, () => undefined);
}

/** Microseconds since the epoch, sub-millisecond, comparable across local processes. */
export function traceNow(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** Records one event (call only when `tracing`). */
export function trace(event: string, fields: Readonly<Record<string, string | number | boolean>> = {}): void {
  buffered.push(`${JSON.stringify({ t: traceNow(), pid: process.pid, e: event, ...fields })}\n`);
  if (buffered.length >= FLUSH_EVERY) flush();
  else if (flushTimer === undefined) {
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      flush();
    }, 200);
    flushTimer.unref();
  }
}
