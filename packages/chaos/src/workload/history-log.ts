/**
 * The history as it happens: one JSONL event per line (`formatJsonlEvent`,
 * the format `parseKvJsonl` reads), appended in call order with times from
 * the run clock, so times never decrease along the file.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { formatJsonlEvent, type JsonlEvent, type JsonlEventType } from '../parse/jsonl.js';
import type { RunClock } from './clock.js';

export class HistoryLog {
  private readonly out: WriteStream;
  private failure: Error | undefined;

  constructor(
    readonly file: string,
    readonly clock: RunClock,
  ) {
    this.out = createWriteStream(file, { flags: 'a' });
    this.out.on('error', (err) => {
      this.failure = err;
    });
  }

  /** Appends one event stamped now; returns its time. */
  record(type: JsonlEventType, process: string, fields: Omit<JsonlEvent, 'type' | 'process' | 'time'> = {}): number {
    const time = this.clock.now();
    this.out.write(`${formatJsonlEvent({ type, process, time, ...fields })}\n`);
    return time;
  }

  /** Flushes and closes the file; rejects if any write failed. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.out.end(resolve));
    if (this.failure !== undefined) throw this.failure;
  }
}
