/**
 * Gets audit records that do not come from a command's own apply (admin
 * actions, key releases, refusals, exports) into a Raft group's chains: one
 * batcher for both groups that keep a log; each supplies how a batch is
 * proposed.
 *
 * - `record()` resolves once the records are committed (a key release or an
 *   export is audited before it goes out) and rejects when they could not be;
 * - `append()` is fire-and-forget (the transport's refusal path, admin
 *   actions): records of a batch that cannot be committed are counted in
 *   `lost` and logged, never retried forever, never allowed to block a call;
 * - denials are aggregated per (chain, type, principal, method, window) by a
 *   `DenialAggregator` before they enter Raft; the host flushes closed windows
 *   (`flushDenials`, or the aggregator it passed in, on its own timer), and
 *   `close` appends every pending one;
 * - one proposal in flight; records arriving meanwhile form the next batch
 *   (group commit) of at most `maxBatch` records, proposed in arrival order;
 *   at most `maxQueued` records wait (a `record()` beyond that is refused with
 *   the retriable AUDIT_QUEUE_FULL, an `append()` is counted lost).
 *
 * A single `record()` call larger than `maxBatch` is proposed as several
 * commands; if a later one fails, the earlier ones stay committed and the call
 * rejects (audit records are facts: a duplicate is better than a gap).
 */
import { ErrorCodes, TesseraError, type ErrorCode, type Logger } from '@tessera/common';
import { DenialAggregator, type ChainRecord, type DenialEvent } from './aggregate.js';
import type { AuditAppender } from './sink.js';

/**
 * Proposes one batch (1 to `maxBatch` records) stamped with `timeMs` and
 * resolves once it is committed; throws (a `TesseraError`, ideally) when the
 * group refuses it.
 */
export type ProposeAuditBatch = (records: readonly ChainRecord[], timeMs: number) => Promise<void>;

export interface AuditBatcherOptions {
  readonly propose: ProposeAuditBatch;
  /** The most records one command of the group may carry. */
  readonly commandLimit: number;
  /** Records per command (default and ceiling: `commandLimit`). */
  readonly maxBatch?: number;
  /** Records waiting at most (default 10,000). */
  readonly maxQueued?: number;
  /** The code a proposal failing with anything but a `TesseraError` is reported with (retriable). */
  readonly unavailableCode: ErrorCode;
  /** Wall-clock milliseconds (the command's time; the leader's time is what the entry gets). */
  readonly clock?: () => number;
  readonly aggregator?: DenialAggregator;
  readonly logger?: Pick<Logger, 'warn'>;
}

export const DEFAULT_AUDIT_MAX_QUEUED = 10_000;

interface Pending {
  readonly records: readonly ChainRecord[];
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export class AuditBatcher implements AuditAppender {
  readonly #propose: ProposeAuditBatch;
  readonly #maxBatch: number;
  readonly #maxQueued: number;
  readonly #unavailableCode: ErrorCode;
  readonly #clock: () => number;
  readonly #aggregator: DenialAggregator;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  #queue: Pending[] = [];
  #queued = 0;
  #pumping: Promise<void> | undefined;
  /** Records of fire-and-forget batches that could not be committed (or found the queue full). */
  lost = 0;
  /** Commands proposed. */
  batches = 0;

  constructor(options: AuditBatcherOptions) {
    positiveInteger('commandLimit', options.commandLimit);
    this.#maxBatch = Math.min(positiveInteger('maxBatch', options.maxBatch ?? options.commandLimit), options.commandLimit);
    this.#maxQueued = positiveInteger('maxQueued', options.maxQueued ?? DEFAULT_AUDIT_MAX_QUEUED);
    this.#propose = options.propose;
    this.#unavailableCode = options.unavailableCode;
    this.#clock = options.clock ?? Date.now;
    this.#aggregator = options.aggregator ?? new DenialAggregator();
    this.#logger = options.logger;
  }

  /** Records waiting for a proposal (not counting the batch in flight). */
  get queued(): number {
    return this.#queued;
  }

  /** Appends and resolves once committed (rejects when they could not be). */
  record(records: readonly ChainRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.#queued + records.length > this.#maxQueued) {
      return Promise.reject(new TesseraError(ErrorCodes.AUDIT_QUEUE_FULL, 'too many audit records waiting', { retriable: true }));
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ records, resolve, reject });
      this.#queued += records.length;
      this.#pump();
    });
  }

  /** Fire-and-forget append (AuditAppender). */
  append(records: readonly ChainRecord[]): void {
    this.record(records).catch((err: unknown) => {
      this.lost += records.length;
      this.#logger?.warn('audit records lost', { count: records.length, errorCode: err instanceof TesseraError ? err.code : 'unknown' });
    });
  }

  /** A refusal, counted in its (principal, method, window) bucket. */
  deny(event: DenialEvent): void {
    this.#aggregator.record(event);
  }

  /** Appends every closed denial window. */
  flushDenials(nowMs: number = this.#clock()): void {
    const due = this.#aggregator.flush(nowMs);
    if (due.length > 0) this.append(due);
  }

  /** Appends every pending denial (closed window or not) and waits for everything queued. */
  async close(): Promise<void> {
    const rest = this.#aggregator.drain();
    if (rest.length > 0) this.append(rest);
    while (this.#pumping !== undefined) await this.#pumping;
  }

  #pump(): void {
    if (this.#pumping !== undefined) return;
    this.#pumping = this.#drain().finally(() => {
      this.#pumping = undefined;
      if (this.#queue.length > 0) this.#pump();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#takeBatch();
      const records = batch.flatMap((p) => p.records);
      try {
        for (let at = 0; at < records.length; at += this.#maxBatch) {
          this.batches++;
          await this.#propose(records.slice(at, at + this.#maxBatch), this.#clock());
        }
        for (const p of batch) p.resolve();
      } catch (err) {
        const failure = err instanceof TesseraError ? err : new TesseraError(this.#unavailableCode, 'audit records could not be committed', { cause: err, retriable: true });
        for (const p of batch) p.reject(failure);
      }
    }
  }

  /** Whole calls from the front of the queue, up to `maxBatch` records (at least one call, however large). */
  #takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let size = 0;
    while (this.#queue.length > 0 && (batch.length === 0 || size + this.#queue[0]!.records.length <= this.#maxBatch)) {
      const next = this.#queue.shift()!;
      batch.push(next);
      size += next.records.length;
    }
    this.#queued -= size;
    return batch;
  }
}

function positiveInteger(name: string, value: number): number {
  // A zero, fractional or NaN batch size would propose nothing yet resolve every record() as committed.
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}
