/**
 * Group commit for one device (DESIGN invariant D1: durable before acknowledged).
 *
 * Every write to a device — new shards, repaired shards, tombstones and
 * compaction copies — goes through one queue and one loop. The loop takes
 * everything queued (up to a byte and record bound), decides each job against
 * the index, appends the records to the active extent in one write through an
 * O_DSYNC descriptor (data and size durable when it returns: one system call
 * for write + fdatasync), and only then tells the callers. While one batch is
 * on its way to the disk the next one gathers and is prepared — decided,
 * checksummed, copied into the second aligned buffer — so the disk does not
 * wait for the CPU and concurrent writers share fsyncs.
 *
 * The index update of a batch is written to LevelDB after the batch is
 * durable but not waited for: the extent files are the truth (recovery
 * re-indexes any record past an extent's indexed tail), so the update only
 * has to be visible, which the PendingIndex does until LevelDB has it.
 * Because the loop is the index's only writer, a lookup made while planning a
 * batch cannot be invalidated before the batch is applied (a batch prepared
 * on top of one in flight sees its decisions, and fails with it).
 */
import { performance } from 'node:perf_hooks';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { KvOp } from '@tessera/common/durable';
import { DIRECT_IO_ALIGNMENT, EXTENT_HEADER_BYTES, alignUp } from '../format/extent-header.js';
import type { ShardLocation } from '../format/index-entries.js';
import { recordLength, recordParts, writeRecordInto, type RecordFields } from '../format/record.js';
import { AlignedArena } from '../io/aligned-arena.js';
import type { StorageMutation } from '../mutate.js';
import type { Extent } from './extent.js';
import { IndexUpdate } from './index-update.js';
import { PendingIndex } from './pending-index.js';
import { extentMetaOp, type ShardIndex } from './shard-index.js';
import type { DeviceCapabilities } from './state.js';
import { deviceLimitFor, type WritePurpose } from './thresholds.js';

export type JobKind = 'put' | 'delete' | 'copy-live' | 'copy-tombstone';

export interface JobOutcome {
  /** Whether a record was appended (deletes of absent keys and stale copies append nothing). */
  readonly written: boolean;
  readonly location?: ShardLocation;
}

export interface CommitJob {
  readonly kind: JobKind;
  readonly key: Buffer;
  readonly fields: RecordFields;
  readonly payload: Uint8Array;
  readonly purpose: WritePurpose;
  /** For compaction copies: where the record is copied from. */
  readonly source?: { readonly extentId: number; readonly offset: number };
}

/** What the committer needs from its device. */
export interface CommitContext {
  readonly index: ShardIndex;
  readonly extents: ReadonlyMap<number, Extent>;
  readonly capacityBytes: number;
  readonly maxExtentBytes: number;
  /** Whether the device writes with O_DIRECT (batches are then composed in aligned memory). */
  readonly directIo: boolean;
  readonly mutations: ReadonlySet<StorageMutation>;
  /** Write the index with sync: true every this many batches (the rest are recovered by the forward scan). */
  readonly indexSyncEvery: number;
  activeExtent(): Extent | undefined;
  /** Seals the active extent (if any) and starts a new one; returns [new active, sealed one]. */
  rollExtent(): Promise<[Extent, Extent | undefined]>;
  usedBytes(): number;
  capabilities(): DeviceCapabilities;
  /** Throws when the device is gone (folder removed, superblock replaced). */
  checkHealth(): Promise<void>;
  /** The device cannot go on: mark it failed. */
  fatal(err: unknown): void;
}

interface QueuedJob {
  readonly job: CommitJob;
  readonly resolve: (outcome: JobOutcome) => void;
  readonly reject: (err: unknown) => void;
}

interface PlannedRecord {
  readonly queued: QueuedJob;
  readonly length: number;
  readonly location?: ShardLocation;
}

/** A batch decided and composed, ready to be appended. */
interface Prepared {
  readonly extent: Extent;
  readonly sealed: Extent | undefined;
  /** Where the batch starts in the extent (0 for a new extent: its header goes first). */
  readonly start: number;
  /** Where it ends, padding included. */
  readonly end: number;
  readonly records: PlannedRecord[];
  readonly update: IndexUpdate;
  readonly parts: Uint8Array[];
  /** Whether `parts` is one view of aligned memory (direct I/O). */
  readonly aligned: boolean;
}

interface InFlight {
  readonly batch: Prepared;
  /** Resolves when the batch is durable; rejects when the append failed. */
  io: Promise<void>;
  /** Set once the callers were told (before the fdatasync under the planted bug). */
  published: boolean;
}

/**
 * Batches stop at 4 MiB: larger ones gain little per fsync, and splitting a
 * burst of large shards into two batches lets the second be checksummed and
 * copied while the first is being written.
 */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Bounded so a gathered write stays far below IOV_MAX (1024) with three parts per record. */
const MAX_BATCH_RECORDS = 256;
/** Initial size of each aligned batch buffer (they grow to the largest batch). */
const ARENA_START_BYTES = 1024 * 1024;
/** A device whose superblock was seen this recently is not probed again for the next batch. */
const HEALTH_PROBE_MS = 100;

export class GroupCommitter {
  private queue: QueuedJob[] = [];
  private running: Promise<void> | undefined;
  private halted: TesseraError | undefined;
  private batches = 0;
  private healthyAt = Number.NEGATIVE_INFINITY;
  /** Two aligned buffers for direct I/O: one being written, one being composed. */
  private readonly arenas: readonly AlignedArena[];
  private nextArena = 0;
  readonly pending: PendingIndex;
  /** Counters for metrics. */
  readonly stats = { batches: 0, records: 0, bytes: 0, syncs: 0 };

  constructor(private readonly ctx: CommitContext) {
    this.pending = new PendingIndex(ctx.index.kv);
    // Its own buffers: the files' bounce buffer may be in use by the batch in flight.
    this.arenas = ctx.directIo ? [new AlignedArena(ARENA_START_BYTES), new AlignedArena(ARENA_START_BYTES)] : [];
  }

  submit(job: CommitJob): Promise<JobOutcome> {
    if (this.halted !== undefined) return Promise.reject(this.halted);
    return new Promise<JobOutcome>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.running ??= this.run();
    });
  }

  /** Where the index will say `key` lives once pending writes land: location, null (deleted) or undefined (ask the index). */
  pendingLocation(key: Buffer): ShardLocation | null | undefined {
    return this.pending.lookup(key.toString('hex'));
  }

  /** Refuses new jobs, rejects queued ones, and waits for the batch in progress. */
  async halt(reason: TesseraError): Promise<void> {
    this.halted ??= reason;
    for (const q of this.queue.splice(0)) q.reject(reason);
    await this.running;
  }

  /** Waits until every job submitted so far has settled and its index update has landed. */
  async drain(): Promise<void> {
    while (this.running !== undefined) await this.running;
    await this.pending.settled();
  }

  private async run(): Promise<void> {
    let inflight: InFlight | undefined;
    let next: Prepared | undefined;
    // Starting from idle: one turn of the event loop lets every writer that is
    // about to submit (typically all those the last batch just acknowledged)
    // join this batch, instead of the first one going alone.
    await new Promise<void>((resume) => setImmediate(resume));
    try {
      while (this.halted === undefined && (this.queue.length > 0 || inflight !== undefined)) {
        // Prepare the next batch while the previous one is on its way to the disk.
        next = this.queue.length > 0 ? await this.prepareNext(inflight?.batch) : undefined;
        if (inflight !== undefined) {
          const failure = await this.finish(inflight);
          inflight = undefined;
          if (failure !== undefined && next !== undefined) {
            // Planned on top of a batch that did not make it.
            this.abandon(next, failure);
            next = undefined;
          }
        }
        if (next !== undefined && this.halted === undefined) {
          inflight = this.start(next);
          next = undefined;
        }
      }
    } finally {
      if (inflight !== undefined) await this.finish(inflight);
      if (next !== undefined) this.abandon(next, this.halted ?? closedError());
      this.running = undefined;
    }
  }

  private take(): QueuedJob[] {
    const out: QueuedJob[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && out.length < MAX_BATCH_RECORDS) {
      const next = this.queue[0]!;
      const len = recordLength(next.job.payload.length);
      if (out.length > 0 && bytes + len > MAX_BATCH_BYTES) break;
      out.push(this.queue.shift()!);
      bytes += len;
    }
    return out;
  }

  /** Takes queued jobs and prepares them; undefined when nothing is left to write. */
  private async prepareNext(parent: Prepared | undefined): Promise<Prepared | undefined> {
    const taken = this.take();
    try {
      await this.probeHealth();
      if (this.halted !== undefined) throw this.halted;
      const batch = await this.plan(taken, parent);
      return batch.records.length === 0 ? undefined : batch;
    } catch (err) {
      this.failBatch(taken, err);
      return undefined;
    }
  }

  /** Starts the append of a prepared batch. */
  private start(batch: Prepared): InFlight {
    const file = batch.extent.file;
    const flight: InFlight = { batch, io: Promise.resolve(), published: false };
    if (this.ctx.mutations.has('ack-before-fsync')) {
      // Planted bug: callers hear "durable" before the fdatasync.
      flight.io = (async () => {
        await file.append(batch.parts, batch.aligned);
        this.publish(batch);
        flight.published = true;
        await file.datasync();
      })();
    } else {
      flight.io = file.appendDurable(batch.parts, batch.aligned);
    }
    flight.io.catch(() => undefined); // handled in finish()
    return flight;
  }

  /** Waits for an append; publishes it, or undoes and fails it. Returns the failure, if any. */
  private async finish(flight: InFlight): Promise<unknown> {
    try {
      await flight.io;
    } catch (err) {
      flight.batch.extent.batchesInFlight--;
      if (flight.published) {
        this.failBatch([], err);
      } else {
        await this.undoAppend(flight.batch.extent, flight.batch.start);
        this.failBatch(
          flight.batch.records.map((r) => r.queued),
          err,
        );
      }
      return err;
    }
    this.stats.syncs++;
    if (!flight.published) this.publish(flight.batch);
    flight.batch.extent.batchesInFlight--;
    return undefined;
  }

  /** Fails a prepared batch that will not be written. */
  private abandon(batch: Prepared, err: unknown): void {
    batch.extent.batchesInFlight--;
    this.failBatch(
      batch.records.map((r) => r.queued),
      err,
    );
  }

  private async probeHealth(): Promise<void> {
    const now = performance.now();
    if (now - this.healthyAt < HEALTH_PROBE_MS) return;
    await this.ctx.checkHealth();
    this.healthyAt = now;
  }

  /** Decides every job against the index, assigns positions, defers what does not fit this extent, composes the bytes. */
  private async plan(taken: QueuedJob[], parent: Prepared | undefined): Promise<Prepared> {
    const ctx = this.ctx;
    /** Where appends to `e` will continue once the batch in flight (if any) is written. */
    const sizeOf = (e: Extent): number => (parent !== undefined && parent.extent === e ? parent.end : e.size);
    let extent = ctx.activeExtent();
    let sealed: Extent | undefined;
    const first = taken[0]!;
    if (extent === undefined || (sizeOf(extent) > EXTENT_HEADER_BYTES && sizeOf(extent) + recordLength(first.job.payload.length) > ctx.maxExtentBytes)) {
      [extent, sealed] = await ctx.rollExtent();
    }
    const start = sizeOf(extent);
    const header = start === 0 ? extent.freshHeader : undefined;
    const update = new IndexUpdate(ctx.index, ctx.extents, this.pending, parent?.update);
    const records: PlannedRecord[] = [];
    const used = ctx.usedBytes() + (parent === undefined ? 0 : parent.end - parent.start);
    const caps = ctx.capabilities();
    let end = start + (header?.length ?? 0);
    for (let i = 0; i < taken.length; i++) {
      const queued = taken[i]!;
      const { job } = queued;
      const length = recordLength(job.payload.length);
      if (records.length > 0 && end + length > ctx.maxExtentBytes) {
        // The rest goes to the next batch (and extent), in order.
        this.queue.unshift(...taken.slice(i));
        break;
      }
      const refused = refusal(job, caps);
      if (refused !== undefined) {
        queued.reject(refused);
        continue;
      }
      if (used + (end - start) + length > deviceLimitFor(job.purpose, ctx.capacityBytes)) {
        queued.reject(new TesseraError(ErrorCodes.DEVICE_FULL, 'device has no room for this write'));
        continue;
      }
      const decided = await this.decide(job, update, extent.id, end);
      if (decided === 'skip') {
        queued.resolve({ written: false });
        continue;
      }
      records.push({ queued, length, ...(decided === undefined ? {} : { location: decided }) });
      end += length;
    }
    const composed = this.compose(extent, start, header, records);
    if (records.length > 0) extent.batchesInFlight++;
    return { extent, sealed, start, end: start + composed.length, records, update, parts: composed.parts, aligned: composed.aligned };
  }
  /** The index decision for one job: a location (puts and copies), undefined (a tombstone to write) or 'skip'. */
  private async decide(job: CommitJob, update: IndexUpdate, extentId: number, offset: number): Promise<ShardLocation | undefined | 'skip'> {
    const location: ShardLocation = {
      extentId,
      offset,
      payloadLength: job.payload.length,
      sysEpoch: job.fields.sysEpoch,
      gatewayTime: job.fields.gatewayTime,
    };
    switch (job.kind) {
      case 'put':
        update.planPut(job.key, location);
        return location;
      case 'delete':
        return (await update.planRemove(job.key)) ? undefined : 'skip';
      case 'copy-live': {
        const current = await update.current(job.key);
        if (current === undefined || current.extentId !== job.source?.extentId || current.offset !== job.source.offset) return 'skip';
        update.planPut(job.key, location);
        return location;
      }
      case 'copy-tombstone': {
        // Keep the tombstone only while it still has something to kill: no
        // live record of the key (a newer put supersedes everything older
        // anyway) and a dead put of it in some other extent. (Ghosts that a
        // pending batch adds are killed by that batch's own records.)
        if ((await update.current(job.key)) !== undefined) return 'skip';
        const ghosts = await this.ctx.index.ghostExtents(job.key);
        return ghosts.some((id) => id !== job.source?.extentId && this.ctx.extents.has(id)) ? undefined : 'skip';
      }
    }
  }

  /**
   * The bytes of a batch (a new extent's header first): gathered parts
   * (buffered; payloads are not copied) or one view of the free aligned
   * buffer, zero-padded to 4 KiB (direct).
   */
  private compose(extent: Extent, start: number, header: Buffer | undefined, records: readonly PlannedRecord[]): { parts: Uint8Array[]; length: number; aligned: boolean } {
    const headerBytes = header?.length ?? 0;
    const total = headerBytes + records.reduce((sum, r) => sum + r.length, 0);
    // Aligned extents stay aligned even when this run writes them without O_DIRECT.
    const padded = alignUp(start + total, extent.alignment) - start;
    const arena = extent.alignment === DIRECT_IO_ALIGNMENT && this.arenas.length > 0 ? this.arenas[this.nextArena++ % this.arenas.length] : undefined;
    if (arena === undefined) {
      const parts: Uint8Array[] = header === undefined ? [] : [header];
      for (const r of records) parts.push(...recordParts(r.queued.job.fields, r.queued.job.payload));
      if (padded > total) parts.push(Buffer.alloc(padded - total));
      return { parts, length: padded, aligned: false };
    }
    const view = arena.view(padded);
    let at = 0;
    if (header !== undefined) at += header.copy(view, 0);
    for (const r of records) at += writeRecordInto(view, at, r.queued.job.fields, r.queued.job.payload);
    view.fill(0, at, padded);
    return { parts: [view], length: padded, aligned: true };
  }

  /**
   * The batch is durable: make its index update visible (pending index),
   * queue the bookkeeping and the index write, and tell the callers.
   */
  private publish(batch: Prepared): void {
    const { update, extent, sealed, end } = batch;
    extent.freshHeader = undefined;
    this.batches++;
    const sync = this.batches % this.ctx.indexSyncEvery === 0;
    this.pending
      .publish(update, async () => {
        await update.resolvePrevious();
        const ops: KvOp[] = update.apply({ extent, tail: end });
        if (sealed !== undefined) ops.push(extentMetaOp(sealed));
        return { ops, sync };
      })
      .catch((err: unknown) => {
        // The records are durable; only the index fell behind, and it
        // cannot be trusted to catch up in this process.
        if (!isCrash(err)) this.ctx.fatal(err);
      });
    this.stats.batches++;
    this.stats.records += batch.records.length;
    this.stats.bytes += end - batch.start;
    for (const r of batch.records) r.queued.resolve({ written: true, ...(r.location === undefined ? {} : { location: r.location }) });
  }

  private async undoAppend(extent: Extent, start: number): Promise<void> {
    if (extent.file.size === start) return;
    try {
      await extent.file.truncate(start);
    } catch (err) {
      if (!isCrash(err)) this.ctx.fatal(err);
    }
  }

  private failBatch(jobs: readonly QueuedJob[], err: unknown): void {
    const kind = classify(err);
    if (kind === 'full') {
      const full = new TesseraError(ErrorCodes.DEVICE_FULL, 'device file system is full', { cause: err });
      for (const q of jobs) q.reject(full);
      return;
    }
    const reason =
      err instanceof TesseraError ? err : new TesseraError(ErrorCodes.DEVICE_UNAVAILABLE, 'device I/O failed', { cause: err });
    for (const q of jobs) q.reject(reason);
    if (kind === 'fatal') this.ctx.fatal(err);
    this.halted ??= reason;
    for (const q of this.queue.splice(0)) q.reject(reason);
  }
}

function closedError(): TesseraError {
  return new TesseraError(ErrorCodes.STORAGE_CLOSED, 'device is closed');
}

function refusal(job: CommitJob, caps: DeviceCapabilities): TesseraError | undefined {
  const maintenance = job.kind !== 'put' || job.purpose === 'compaction';
  if (maintenance ? caps.acceptsMaintenance : caps.acceptsShards) return undefined;
  return new TesseraError(ErrorCodes.DEVICE_UNAVAILABLE, 'device does not accept this write in its current state');
}

function isCrash(err: unknown): boolean {
  return err instanceof TesseraError && err.code === ErrorCodes.STORAGE_CLOSED;
}

function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** crash: the process lost power (simulated) or closed; full: ENOSPC; fatal: the device is unusable. */
function classify(err: unknown): 'crash' | 'full' | 'fatal' {
  if (isCrash(err)) return 'crash';
  const code = errnoOf(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  return 'fatal';
}
