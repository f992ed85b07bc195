/**
 * A stream of object puts for the crash tests: several writers, each with its
 * own @tessera/client (its own session and preferred gateway), put objects of
 * mixed sizes under unique names until told to stop. Every put is recorded
 * with its content hash and outcome, so that afterwards:
 *  - an acknowledged put must read back byte for byte (D1);
 *  - a put that failed is indeterminate: it may or may not exist, but if it
 *    exists it must read back as exactly what was sent.
 * Content is random and not kept: only its SHA-256 is, so the load's memory
 * stays small however long it runs.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { TesseraClient } from '@tessera/client';
import { pollUntil } from '@tessera/launcher';

export interface LoadWriter {
  readonly tenant: string;
  readonly client: TesseraClient;
}

export interface PutRecord {
  readonly tenant: string;
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly startedMs: number;
  outcome: 'pending' | 'acked' | 'failed';
  settledMs?: number;
  error?: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class ObjectLoad {
  readonly records: PutRecord[] = [];
  private stopping = false;
  private running: Promise<void>[] = [];
  private next = 0;

  /** `sizes` are cycled through, offset per writer, so every writer puts every size. */
  constructor(
    private readonly writers: readonly LoadWriter[],
    private readonly sizes: readonly number[],
    private readonly prefix = 'load',
  ) {}

  start(): void {
    this.running = this.writers.map((w, i) => this.writer(w, i));
  }

  /** Lets every in-flight put settle (acknowledged or failed), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  acked(): PutRecord[] {
    return this.records.filter((r) => r.outcome === 'acked');
  }

  failed(): PutRecord[] {
    return this.records.filter((r) => r.outcome === 'failed');
  }

  /** Acknowledged puts that started at or after `fromMs` and were acknowledged before `toMs`. */
  ackedWithin(fromMs: number, toMs: number): PutRecord[] {
    return this.acked().filter((r) => r.startedMs >= fromMs && r.settledMs! <= toMs);
  }

  /** Waits until `count` more puts than now have been acknowledged. */
  async waitForAcks(count: number, what: string, timeoutMs = 60_000): Promise<void> {
    const target = this.acked().length + count;
    await pollUntil(`${count} more acknowledged puts (${what})`, () => this.acked().length >= target, { timeoutMs, intervalMs: 50 });
  }

  /** Error messages of failed puts, counted, for a failure report. */
  errorSummary(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.failed()) out[r.error ?? 'unknown'] = (out[r.error ?? 'unknown'] ?? 0) + 1;
    return out;
  }

  private async writer(w: LoadWriter, index: number): Promise<void> {
    for (let round = 0; !this.stopping; round++) {
      const size = this.sizes[(round + index) % this.sizes.length]!;
      const bytes = randomBytes(size);
      const record: PutRecord = {
        tenant: w.tenant,
        name: `${this.prefix}/${w.tenant}/${String(this.next++).padStart(5, '0')}-${size}`,
        size,
        sha256: sha256(bytes),
        startedMs: Date.now(),
        outcome: 'pending',
      };
      this.records.push(record);
      try {
        await w.client.put(bytes, record.name);
        record.outcome = 'acked';
      } catch (err) {
        record.outcome = 'failed';
        const e = err as { code?: string; message?: string };
        record.error = `${e.code ?? 'no code'}: ${(e.message ?? String(err)).slice(0, 120)}`;
      }
      record.settledMs = Date.now();
    }
  }
}
