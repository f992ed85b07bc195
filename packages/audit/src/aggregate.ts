/**
 * Aggregation of repeated denials before they enter Raft (DESIGN section 7):
 * one record per (chain, event type, principal, method, window) with a count,
 * so a client hammering a forbidden method costs one audit entry a minute,
 * not one Raft entry per call.
 *
 * Pure: time is passed in. A window is flushed once `nowMs` is past its end.
 * The number of open buckets is bounded; past the bound, denials of new keys
 * fold into one overflow bucket per chain (principal `*`, method `*`), so
 * the count stays exact even when the detail cannot be kept.
 */
import type { ChainId } from './chain-id.js';
import type { AuditRecord, AuditTarget } from './record.js';

export interface DenialEvent {
  readonly chain: ChainId;
  /** Event type, e.g. `rpc.denied`, `rpc.unauthenticated`, `key.unwrap`. */
  readonly type: string;
  readonly principal: string;
  readonly method: string;
  readonly reason: string;
  readonly atMs: number;
  /** Targets of the first denial in the window (later ones are counted only). */
  readonly targets?: readonly AuditTarget[];
}

export interface ChainRecord {
  readonly chain: ChainId;
  readonly record: AuditRecord;
}

export interface DenialAggregatorOptions {
  /** Default 60 000 (one minute). */
  readonly windowMs?: number;
  /** Default 10 000. */
  readonly maxBuckets?: number;
}

interface Bucket {
  readonly chain: ChainId;
  readonly type: string;
  readonly principal: string;
  readonly method: string;
  readonly windowStartMs: number;
  readonly targets: readonly AuditTarget[];
  reason: string;
  count: number;
}

export const MIXED_REASONS = 'multiple';
export const OVERFLOW_REASON = 'aggregation-overflow';

export class DenialAggregator {
  readonly #windowMs: number;
  readonly #maxBuckets: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: DenialAggregatorOptions = {}) {
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxBuckets = options.maxBuckets ?? 10_000;
    if (!Number.isSafeInteger(this.#windowMs) || this.#windowMs < 1) throw new RangeError('windowMs must be a positive integer');
    if (!Number.isSafeInteger(this.#maxBuckets) || this.#maxBuckets < 1) throw new RangeError('maxBuckets must be a positive integer');
  }

  get pendingBuckets(): number {
    return this.#buckets.size;
  }

  record(event: DenialEvent): void {
    const windowStartMs = Math.floor(Math.max(0, event.atMs) / this.#windowMs) * this.#windowMs;
    let key = bucketKey(event.chain, event.type, event.principal, event.method, windowStartMs);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined && this.#buckets.size >= this.#maxBuckets) {
      key = bucketKey(event.chain, event.type, '*', '*', windowStartMs);
      bucket = this.#buckets.get(key);
      if (bucket === undefined) {
        bucket = { chain: event.chain, type: event.type, principal: '*', method: '*', windowStartMs, targets: [], reason: OVERFLOW_REASON, count: 0 };
        // The overflow bucket may exceed the bound by one per (chain, type, window): that is what keeps counts exact.
        this.#buckets.set(key, bucket);
      }
    }
    if (bucket === undefined) {
      bucket = { chain: event.chain, type: event.type, principal: event.principal, method: event.method, windowStartMs, targets: event.targets ?? [], reason: event.reason, count: 0 };
      this.#buckets.set(key, bucket);
    } else if (bucket.reason !== event.reason && bucket.reason !== OVERFLOW_REASON) {
      bucket.reason = MIXED_REASONS;
    }
    bucket.count++;
  }

  /** Removes and returns the records of every window that ended at or before `nowMs`, oldest first. */
  flush(nowMs: number): ChainRecord[] {
    return this.#take((b) => b.windowStartMs + this.#windowMs <= nowMs);
  }

  /** Removes and returns every pending record (shutdown). */
  drain(): ChainRecord[] {
    return this.#take(() => true);
  }

  #take(due: (b: Bucket) => boolean): ChainRecord[] {
    const out: Bucket[] = [];
    for (const [key, bucket] of this.#buckets) {
      if (!due(bucket)) continue;
      this.#buckets.delete(key);
      out.push(bucket);
    }
    out.sort((a, b) => a.windowStartMs - b.windowStartMs);
    return out.map((b) => ({
      chain: b.chain,
      record: {
        type: b.type,
        principal: b.principal,
        method: b.method,
        outcome: 'denied',
        reason: b.reason,
        count: b.count,
        windowStartMs: b.windowStartMs,
        targets: b.targets,
      },
    }));
  }
}

function bucketKey(chain: string, type: string, principal: string, method: string, windowStartMs: number): string {
  // NUL cannot occur in any of the (printable ASCII) parts, so the key is unambiguous.
  return `${chain}\0${type}\0${principal}\0${method}\0${windowStartMs}`;
}
