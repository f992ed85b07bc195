/**
 * Gets the audit records a node produces outside any command's own apply —
 * admin actions with the caller's SPIFFE id, aggregated authentication and
 * authorization refusals, audit exports — into the metadata group's chains
 * as `auditAppend` commands, proposed through the leader (a follower's
 * proposer forwards them like any other proposal).
 *
 * - `record()` resolves once the records are committed (an export is
 *   audited before its entries go out);
 * - `append()` is fire-and-forget (the transport's refusal path and admin
 *   actions); records of a batch that cannot be committed are counted in
 *   `lost`, never retried forever, never allowed to block a call;
 * - denials are aggregated per (chain, type, principal, method, minute) by a
 *   DenialAggregator before they enter Raft; the host flushes closed windows
 *   on a timer (`startTimer`) and everything on `close`;
 * - one proposal in flight; records arriving meanwhile form the next batch
 *   (group commit), at most AUDIT_APPEND_LIMITS.records per command, and at
 *   most `maxQueued` records wait (more are lost and counted).
 */
import { DenialAggregator, type AuditAppender, type ChainRecord, type DenialEvent } from '@tessera/audit';
import { ErrorCodes, TesseraError, type Logger } from '@tessera/common';
import type { MetadataProposer } from '../data/proposer.js';
import { AUDIT_APPEND_LIMITS } from '../metadata/audit-command.js';

interface Pending {
  readonly records: readonly ChainRecord[];
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

export interface NodeAuditBatcherOptions {
  readonly proposer: Pick<MetadataProposer, 'propose'>;
  /** Wall-clock milliseconds (the command's time; the leader's time is what the entry gets). */
  readonly clock?: () => number;
  readonly aggregator?: DenialAggregator;
  /** Records per command (at most AUDIT_APPEND_LIMITS.records). */
  readonly maxBatch?: number;
  /** Records waiting at most (default 10,000). */
  readonly maxQueued?: number;
  readonly logger?: Logger;
}

export class NodeAuditBatcher implements AuditAppender {
  readonly #proposer: Pick<MetadataProposer, 'propose'>;
  readonly #clock: () => number;
  readonly #aggregator: DenialAggregator;
  readonly #maxBatch: number;
  readonly #maxQueued: number;
  readonly #logger: Logger | undefined;
  #queue: Pending[] = [];
  #queued = 0;
  #pumping: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Records of fire-and-forget batches that could not be committed (or found the queue full). */
  lost = 0;
  /** auditAppend commands proposed. */
  batches = 0;

  constructor(options: NodeAuditBatcherOptions) {
    this.#proposer = options.proposer;
    this.#clock = options.clock ?? Date.now;
    this.#aggregator = options.aggregator ?? new DenialAggregator();
    this.#maxBatch = Math.max(1, Math.min(options.maxBatch ?? AUDIT_APPEND_LIMITS.records, AUDIT_APPEND_LIMITS.records));
    this.#maxQueued = options.maxQueued ?? 10_000;
    this.#logger = options.logger;
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

  /** A refusal, counted in its (principal, method, minute) window. */
  deny(event: DenialEvent): void {
    this.#aggregator.record(event);
  }

  /** Appends every closed denial window. */
  flushDenials(nowMs: number = this.#clock()): void {
    const due = this.#aggregator.flush(nowMs);
    if (due.length > 0) this.append(due);
  }

  /** Flushes closed windows every `intervalMs` (unref'd). */
  startTimer(intervalMs = 5_000): void {
    this.stopTimer();
    this.#timer = setInterval(() => this.flushDenials(), intervalMs);
    this.#timer.unref();
  }

  stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Appends every pending denial and waits for everything queued. */
  async close(): Promise<void> {
    this.stopTimer();
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
      const batch: Pending[] = [];
      let size = 0;
      while (this.#queue.length > 0 && (batch.length === 0 || size + this.#queue[0]!.records.length <= this.#maxBatch)) {
        const next = this.#queue.shift()!;
        batch.push(next);
        size += next.records.length;
      }
      this.#queued -= size;
      const records = batch.flatMap((p) => p.records);
      try {
        for (let at = 0; at < records.length; at += this.#maxBatch) {
          this.batches++;
          const result = await this.#proposer.propose({ op: 'auditAppend', timeMs: this.#clock(), records: records.slice(at, at + this.#maxBatch) });
          if (result.kind === 'error') throw new TesseraError(result.code, 'audit records refused', { retriable: result.retriable });
        }
        for (const p of batch) p.resolve();
      } catch (err) {
        const failure = err instanceof TesseraError ? err : new TesseraError(ErrorCodes.RAFT_NOT_LEADER, 'audit records could not be committed', { cause: err, retriable: true });
        for (const p of batch) p.reject(failure);
      }
    }
  }
}
