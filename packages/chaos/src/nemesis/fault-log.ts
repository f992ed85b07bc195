/**
 * Fault windows of a run, on the run's monotonic clock, appended to
 * `faults.jsonl` as they open and close:
 *
 *   {"event":"begin","id":3,"nemesis":"partition","action":"isolate-leader","targets":["n2"],"time":8123.4}
 *   {"event":"end","id":3,"time":14210.9}
 *
 * A window runs from the moment the fault is injected until it is healed
 * (a restarted process is up again, a partition healed). Faults that are
 * never healed (a flipped byte, a lost device: repair is a separate duty)
 * close when the nemesis stops watching them.
 */
import { appendFileSync } from 'node:fs';
import type { RunClock } from '../workload/clock.js';

export interface FaultWindow {
  readonly id: number;
  readonly nemesis: string;
  readonly action: string;
  readonly targets: readonly string[];
  readonly detail?: string;
  readonly start: number;
  end?: number;
}

export class FaultLog {
  private readonly list: FaultWindow[] = [];

  constructor(
    readonly file: string,
    readonly clock: RunClock,
  ) {}

  begin(nemesis: string, action: string, targets: readonly string[], detail?: string): FaultWindow {
    const window: FaultWindow = { id: this.list.length + 1, nemesis, action, targets: [...targets], ...(detail !== undefined ? { detail } : {}), start: this.clock.now() };
    this.list.push(window);
    appendFileSync(this.file, `${JSON.stringify({ event: 'begin', id: window.id, nemesis, action, targets, ...(detail !== undefined ? { detail } : {}), time: window.start })}\n`);
    return window;
  }

  end(window: FaultWindow): void {
    if (window.end !== undefined) return;
    window.end = this.clock.now();
    appendFileSync(this.file, `${JSON.stringify({ event: 'end', id: window.id, time: window.end })}\n`);
  }

  /** Closes every window still open (end of the run). */
  endAll(): void {
    for (const w of this.list) this.end(w);
  }

  windows(): readonly FaultWindow[] {
    return this.list;
  }
}

/** How many intervals overlap at least one window (an open window extends to +infinity). */
export function countOverlapping(intervals: readonly { start: number; end: number }[], windows: readonly FaultWindow[]): number {
  let n = 0;
  for (const op of intervals) {
    if (windows.some((w) => op.start <= (w.end ?? Number.POSITIVE_INFINITY) && op.end >= w.start)) n++;
  }
  return n;
}
