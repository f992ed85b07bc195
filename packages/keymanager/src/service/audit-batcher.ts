/**
 * Gets audit records that do not come from a command's own apply — key
 * releases to nodes, refusals found before proposing, transport denials —
 * into the key manager's hash chains, as `AppendAudit` commands.
 *
 * - `record()` resolves once the records are committed: the key service
 *   releases a key only after its release is in the audit trail.
 * - `append()` is fire-and-forget (the transport's `AuditSink` path); a
 *   failed batch is counted in `lost`.
 * - Denials go through a `DenialAggregator` (one record per principal,
 *   method and minute) and are flushed by `flushDenials` (a timer the host
 *   runs, or `close`).
 * - One proposal in flight; records arriving meanwhile form the next batch
 *   (group commit), at most `maxBatch` records each.
 */
import { DenialAggregator, type AuditAppender, type ChainRecord, type DenialEvent } from '@tessera/audit';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { SYSTEM_ACTOR } from '../state/types.js';
import { KM_LIMITS } from '../state/limits.js';
import type { KmGroup } from './group.js';

interface Pending {
  readonly records: readonly ChainRecord[];
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export interface AuditBatcherOptions {
  readonly group: KmGroup;
  readonly clock?: () => number;
  readonly aggregator?: DenialAggregator;
  readonly maxBatch?: number;
}

export class AuditBatcher implements AuditAppender {
  readonly #group: KmGroup;
  readonly #clock: () => number;
  readonly #aggregator: DenialAggregator;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #pumping: Promise<void> | undefined;
  /** Records of fire-and-forget batches that could not be committed. */
  lost = 0;
  /** AppendAudit commands proposed. */
  batches = 0;

  constructor(options: AuditBatcherOptions) {
    this.#group = options.group;
    this.#clock = options.clock ?? Date.now;
    this.#aggregator = options.aggregator ?? new DenialAggregator();
    this.#maxBatch = Math.min(options.maxBatch ?? 256, KM_LIMITS.auditRecordsPerCommand);
  }

  /** Appends and resolves once committed. */
  record(records: readonly ChainRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ records, resolve, reject });
      this.#pump();
    });
  }

  /** Fire-and-forget append (AuditAppender). */
  append(records: readonly ChainRecord[]): void {
    this.record(records).catch(() => {
      this.lost += records.length;
    });
  }

  deny(event: DenialEvent): void {
    this.#aggregator.record(event);
  }

  /** Appends every closed denial window. */
  flushDenials(nowMs: number = this.#clock()): void {
    this.append(this.#aggregator.flush(nowMs));
  }

  /** Appends all pending denials and waits for everything queued. */
  async close(): Promise<void> {
    this.append(this.#aggregator.drain());
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
      const batch: Pending[] = [];
      let size = 0;
      while (this.#queue.length > 0 && (batch.length === 0 || size + this.#queue[0]!.records.length <= this.#maxBatch)) {
        const next = this.#queue.shift()!;
        batch.push(next);
        size += next.records.length;
      }
      const records = batch.flatMap((p) => p.records);
      try {
        for (let at = 0; at < records.length; at += this.#maxBatch) {
          this.batches++;
          const result = await this.#group.propose({ ts: this.#clock(), actor: SYSTEM_ACTOR, command: { type: 'append-audit', records: records.slice(at, at + this.#maxBatch) } });
          if (!result.ok) throw new TesseraError(result.code, result.message);
        }
        for (const p of batch) p.resolve();
      } catch (err) {
        const failure = err instanceof TesseraError ? err : new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'audit records could not be committed', { cause: err, retriable: true });
        for (const p of batch) p.reject(failure);
      }
    }
  }
}
