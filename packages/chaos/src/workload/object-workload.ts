/**
 * Concurrent tenant clients doing object put/get/delete on a fixed set of
 * keys, each write with a unique value, recorded as a key-value history
 * (put = write, get = read with NOT_FOUND as "" (absent), delete = write of
 * absent): `kvModel` per key is exactly a register per key whose delete
 * writes "absent". Some workers write multi-chunk objects (several chunks of
 * the client's chunk size, committed by one PutObject) under their own keys.
 *
 * Every read is checked byte for byte against the write it names; a read
 * whose bytes match no write is recorded with an impossible value (so the
 * checker fails) and listed as a corruption.
 *
 * Outcomes: a put or delete that fails with RAFT_UNKNOWN_OUTCOME, or with
 * anything that is not a Tessera error (a lost connection below the SDK), is
 * `info` (it may have taken effect); any other Tessera error is `fail` (the
 * SDK reports it only when no attempt can have been applied). A failed read
 * is `fail` (a read has no effect). After an `info` the worker continues as
 * a new process, as Jepsen does.
 */
import type { TesseraClient } from '@tessera/client';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { seededRandom } from '../proxy/rng.js';
import type { HistoryLog } from './history-log.js';
import { decodeValue, valueBytes } from './values.js';

export interface WorkerSpec {
  readonly client: TesseraClient;
  /** Keys this worker uses (shared keys make the history interesting). */
  readonly keys: readonly string[];
  /** Object sizes drawn uniformly from [min, max]. */
  readonly minBytes: number;
  readonly maxBytes: number;
  /**
   * Share of puts that are small enough to travel inline (≤ 4 KiB: metadata
   * only, no device), so the Raft path keeps being exercised while a
   * stalled device path waits for its deadlines. Default 0.
   */
  readonly inlineShare?: number;
  /** Probabilities of put and delete; the rest are gets. */
  readonly putShare: number;
  readonly deleteShare: number;
}

export interface ObjectWorkloadOptions {
  readonly history: HistoryLog;
  readonly marker: string;
  readonly seed: number;
  /** Prefix of value ids and process names (unique per scenario). */
  readonly tag: string;
  readonly workers: readonly WorkerSpec[];
}

/** One completed (or given-up) operation, for fault-overlap counting. */
export interface OpInterval {
  readonly start: number;
  readonly end: number;
  readonly outcome: 'ok' | 'fail' | 'info';
}

export interface WorkloadStats {
  readonly invoked: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly byOp: Readonly<Record<string, { ok: number; fail: number; info: number }>>;
  /** Errors by code (first occurrences only matter for a report). */
  readonly errors: Readonly<Record<string, number>>;
}

export const ABSENT = '';

/** Inline puts: up to the SDK's inline limit. */
const INLINE_MIN_BYTES = 256;
const INLINE_MAX_BYTES = 4_096;

/** The value a read records when its bytes match no write (never equal to a written value id). */
export function corruptValue(reason: string): string {
  return `!corrupt: ${reason}`;
}

function errorCode(err: unknown): string {
  return isTesseraError(err) ? err.code : 'NON_TESSERA_ERROR';
}

/** Whether a write that threw may still have taken effect. */
export function writeOutcomeUnknown(err: unknown): boolean {
  return !isTesseraError(err) || err.code === ErrorCodes.RAFT_UNKNOWN_OUTCOME;
}

export class ObjectWorkload {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly intervals: OpInterval[] = [];
  readonly corruptions: string[] = [];
  private invoked = 0;
  private readonly counts = { ok: 0, fail: 0, info: 0 };
  private readonly byOp: Record<string, { ok: number; fail: number; info: number }> = {};
  private readonly errors: Record<string, number> = {};
  /** Latest acknowledged value id per key (for reports only; the checker decides). */
  readonly acknowledged = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: ObjectWorkloadOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = this.options.workers.map((spec, i) => this.loop(spec, i));
  }

  /** Lets every in-flight operation finish (each is bounded by the client's retry deadline). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  stats(): WorkloadStats {
    return { invoked: this.invoked, ...this.counts, byOp: structuredClone(this.byOp), errors: { ...this.errors } };
  }

  operations(): readonly OpInterval[] {
    return this.intervals;
  }

  /** Completed operations (ok or fail or info) so far. */
  get completed(): number {
    return this.counts.ok + this.counts.fail + this.counts.info;
  }

  /** Resolves once `n` more operations have completed with `ok` (bounded by `timeoutMs`). */
  async waitForOk(n: number, timeoutMs: number): Promise<boolean> {
    const target = this.counts.ok + n;
    if (this.counts.ok >= target) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        resolve(false);
      }, timeoutMs);
      const check = (): void => {
        if (this.counts.ok < target) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(true);
      };
      this.listeners.add(check);
    });
  }

  private finish(op: string, start: number, end: number, outcome: 'ok' | 'fail' | 'info', err?: unknown): void {
    this.intervals.push({ start, end, outcome });
    this.counts[outcome]++;
    const slot = (this.byOp[op] ??= { ok: 0, fail: 0, info: 0 });
    slot[outcome]++;
    if (err !== undefined) {
      const code = errorCode(err);
      this.errors[code] = (this.errors[code] ?? 0) + 1;
    }
    for (const l of [...this.listeners]) l();
  }

  private async loop(spec: WorkerSpec, index: number): Promise<void> {
    const random = seededRandom((this.options.seed * 7_919 + index * 104_729) >>> 0);
    let generation = 0;
    let written = 0;
    const { history, tag, marker } = this.options;
    while (this.running) {
      const process = `${tag}.w${index}.${generation}`;
      const key = spec.keys[Math.floor(random() * spec.keys.length)]!;
      const roll = random();
      if (roll < spec.putShare) {
        this.invoked++;
        const valueId = `${tag}.w${index}.${written++}`;
        const inline = random() < (spec.inlineShare ?? 0);
        const [lo, hi] = inline ? [INLINE_MIN_BYTES, INLINE_MAX_BYTES] : [spec.minBytes, spec.maxBytes];
        const size = lo + Math.floor(random() * (hi - lo + 1));
        const bytes = valueBytes(marker, valueId, size);
        const start = history.record('invoke', process, { f: 'put', key, value: valueId });
        try {
          await spec.client.put(bytes, key);
          this.finish('put', start, history.record('ok', process, { f: 'put' }), 'ok');
          this.acknowledged.set(key, valueId);
        } catch (err) {
          const unknown = writeOutcomeUnknown(err);
          this.finish('put', start, history.record(unknown ? 'info' : 'fail', process, { f: 'put' }), unknown ? 'info' : 'fail', err);
          if (unknown) generation++;
        }
      } else if (roll < spec.putShare + spec.deleteShare) {
        this.invoked++;
        const start = history.record('invoke', process, { f: 'delete', key });
        try {
          await spec.client.delete(key);
          this.finish('delete', start, history.record('ok', process, { f: 'delete' }), 'ok');
          this.acknowledged.set(key, ABSENT);
        } catch (err) {
          const unknown = writeOutcomeUnknown(err);
          this.finish('delete', start, history.record(unknown ? 'info' : 'fail', process, { f: 'delete' }), unknown ? 'info' : 'fail', err);
          if (unknown) generation++;
        }
      } else {
        const result = await this.read(spec.client, key, process);
        if (result.outcome === 'info') generation++;
      }
    }
  }

  /**
   * One recorded get: NOT_FOUND reads as absent; bytes are checked against
   * the write they name. Used by the workers and the final read.
   */
  async read(client: TesseraClient, key: string, process: string): Promise<{ outcome: 'ok' | 'fail' | 'info'; value?: string; error?: unknown }> {
    const { history, marker } = this.options;
    this.invoked++;
    const start = history.record('invoke', process, { f: 'get', key });
    let value: string;
    try {
      const bytes = await client.getBuffer(key);
      const decoded = decodeValue(marker, bytes);
      if (decoded.ok) value = decoded.valueId;
      else {
        value = corruptValue(decoded.reason);
        this.corruptions.push(`${key}: ${decoded.reason}`);
      }
    } catch (err) {
      if (isTesseraError(err) && err.code === ErrorCodes.NOT_FOUND) value = ABSENT;
      else {
        this.finish('get', start, history.record('fail', process, { f: 'get' }), 'fail', err);
        return { outcome: 'fail', error: err };
      }
    }
    this.finish('get', start, history.record('ok', process, { f: 'get', value }), 'ok');
    return { outcome: 'ok', value };
  }
}
