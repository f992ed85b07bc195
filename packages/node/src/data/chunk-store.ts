/**
 * Chunks across the cluster (DESIGN section 6), for the node acting as
 * gateway:
 *
 * Write: chunk id (off the event loop; computed inside the seal while
 * duplicates are rare, else first on its own: dedup-outlook.ts) → if a live
 * record exists, only a pending reference is committed (the caller cannot
 * tell a duplicate from a first upload) → else seal + Reed-Solomon (off the
 * event loop) → slots by
 * rendezvous hashing over the committed node/device table → every shard
 * written and fsynced with a fresh writeId (a failed slot is replaced by the
 * next rendezvous slot) → the leader commits the chunk record with the
 * placement actually written → the session's pending reference commits.
 *
 * Read: shards of the committed writeId from the committed placement (never
 * recomputed), data shards first, CRC32C checked by whoever reads them,
 * parity only for what failed, decode + open + chunk-id check off the event
 * loop.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ErrorCodes, TesseraError, type Logger } from '@tessera/common';
import { AeadIds, ENVELOPE_HEADER_TAIL_BYTES, encodeEnvelopeHeaderPrefix } from '@tessera/crypto';
import { PlacementPlan, type Slot, type Topology } from '@tessera/storage';
import type { SessionRef } from '../metadata/types.js';
import type { ChunkRecord, TenantRecord } from '../metadata/types.js';
import type { MetadataMachine, MetadataResult } from '../metadata/machine.js';
import type { ClusterShardIo } from '../fabric/shard-io.js';
import type { ChunkPipeline, ChunkKeySet, SealedStripe } from './pipeline/index.js';
import { DedupOutlook } from './dedup-outlook.js';
import type { MetadataProposer } from './proposer.js';
import { DataPathStats } from './data-path-stats.js';
import type { NodeKeys } from './node-keys.js';

/** Data shards unanswered after this long are hedged with parity reads. */
const READ_HEDGE_MS = 1_000;
/** A shard write unanswered after this long moves to the next rendezvous slot (the late write becomes a stray). */
const WRITE_SLOT_TIMEOUT_MS = 5_000;
/** A node whose shard write failed is left out of new placements this long. */
const NODE_DOWN_MS = 5_000;
const AES_GCM_TAG_BYTES = 16;

export interface ChunkStoreDeps {
  readonly localNodeId: string;
  readonly machine: MetadataMachine;
  readonly proposer: MetadataProposer;
  /** Linearizable read barrier (or, under the planted bug, nothing). */
  readonly readBarrier: () => Promise<void>;
  readonly pipeline: ChunkPipeline;
  readonly keys: NodeKeys;
  readonly io: ClusterShardIo;
  readonly pool: string;
  readonly erasure: { readonly k: number; readonly m: number };
  /** Wall clock (ms since the epoch): the gateway time of shard records. */
  readonly clock: () => number;
  readonly logger: Logger;
  /** Data shards unanswered this long are hedged with parity reads. Default 1 s. */
  readonly readHedgeMs?: number;
  /** A shard write unanswered this long moves to the next slot. Default 5 s. */
  readonly writeSlotTimeoutMs?: number;
}

export interface ChunkStoreStats {
  chunksWritten: number;
  chunksDeduplicated: number;
  shardsWritten: number;
  slotsReplaced: number;
  underProtected: number;
  chunksRead: number;
  degradedReads: number;
  shardReadFailures: number;
  /** Operation and phase timings of the data path (the process's metrics subscribe). */
  readonly dataPath: DataPathStats;
}

export class ChunkStore {
  readonly stats: ChunkStoreStats = { chunksWritten: 0, chunksDeduplicated: 0, shardsWritten: 0, slotsReplaced: 0, underProtected: 0, chunksRead: 0, degradedReads: 0, shardReadFailures: 0, dataPath: new DataPathStats() };
  private readonly downUntil = new Map<string, number>();
  /** Seal first or identify first (dedup-outlook.ts). */
  private readonly outlook = new DedupOutlook();

  constructor(private readonly deps: ChunkStoreDeps) {}

  /**
   * Stores one chunk's plaintext for `tenant` and commits the session's
   * pending reference.
   *
   * Round trips are the cost of a small put, so two are saved where safety
   * does not need them: the dedup check reads local applied state without a
   * ReadIndex barrier (a stale "absent" stores a duplicate the commit then
   * reports as existing; a stale "live" is caught by the pending reference,
   * which the group refuses with CHUNK_GONE for a chunk that is not live, and
   * the chunk is stored after all), and the pending reference is proposed
   * right behind the chunk record instead of after its answer (if it is
   * applied first it is refused with CHUNK_GONE and proposed again).
   */
  async put(tenant: TenantRecord, session: SessionRef, plaintext: Buffer): Promise<{ chunkId: Buffer; size: number }> {
    const { deps } = this;
    const { k, m } = deps.erasure;
    const keys = await deps.keys.writeKeySet(tenant);
    const timed = this.stats.dataPath;
    // While duplicates are rare, seal first: the id is computed once, in the seal (dedup-outlook.ts).
    let stripe = this.outlook.sealFirst() ? await timed.timed('seal', () => deps.pipeline.seal(plaintext, keys, undefined, k, m)) : undefined;
    const chunkId = stripe?.chunkId ?? (await timed.timed('identify', () => deps.pipeline.identify(plaintext, keys)));
    const addRef = (): Promise<MetadataResult> => deps.proposer.propose({ op: 'addPendingRef', timeMs: deps.clock(), session, tenant: tenant.id, chunkId });
    if (deps.machine.chunk(chunkId)?.state === 'live') {
      const result = await timed.timed('commit', addRef);
      if (result.kind !== 'error' || result.code !== ErrorCodes.CHUNK_GONE) {
        if (stripe !== undefined) deps.pipeline.release(stripe);
        expectOk(result);
        this.stats.chunksDeduplicated++;
        this.outlook.record(true);
        return { chunkId, size: plaintext.byteLength };
      }
      // The record this node saw is no longer live: store the chunk after all.
    }
    this.outlook.record(false);
    stripe ??= await timed.timed('seal', () => deps.pipeline.seal(plaintext, keys, chunkId, k, m));
    let pending: Promise<MetadataResult> | undefined;
    await this.storeNew(stripe, plaintext.byteLength, keys, chunkId, () => {
      pending = addRef();
      // Settled below; never an unhandled rejection while the commit is awaited.
      pending.catch(() => undefined);
    });
    let result = await timed.timed('commit', () => pending ?? addRef());
    // Applied before the chunk record (forwarded proposals may reorder): the record is live now, so ask again.
    if (result.kind === 'error' && result.code === ErrorCodes.CHUNK_GONE) result = await timed.timed('commit', addRef);
    expectOk(result);
    return { chunkId, size: plaintext.byteLength };
  }

  /** Writes every shard of a sealed stripe and commits the record; `afterCommitProposed` runs once the record's proposal is on its way. */
  private async storeNew(stripe: SealedStripe, size: number, keys: ChunkKeySet, chunkId: Buffer, afterCommitProposed: () => void): Promise<void> {
    const { deps } = this;
    const { k, m } = deps.erasure;
    const timed = this.stats.dataPath;
    const writeId = randomBytes(16);
    const gatewayTime = deps.clock();
    const plan = PlacementPlan.propose({ topology: this.topology(), pool: deps.pool, chunkId, k, m });
    const writesStarted = performance.now();
    // Every shard write started, timed-out ones included: they go on in the background.
    const started: Array<Promise<unknown>> = [];
    const shardLoops = stripe.shards.map(async (payload, shardIndex) => {
      for (;;) {
        const slot = plan.slots[shardIndex]!;
        try {
          const write = deps.io.writeNew(slot, { chunkId, writeId, shardIndex, payload, sysEpoch: keys.sysEpoch, gatewayTime });
          started.push(write);
          await withDeadline(write, deps.writeSlotTimeoutMs ?? WRITE_SLOT_TIMEOUT_MS);
          this.stats.shardsWritten++;
          return;
        } catch (err) {
          this.markDown(slot, err);
          this.stats.slotsReplaced++;
          // Throws INSUFFICIENT_DEVICES (retriable) when no slot is left: nothing is acknowledged.
          plan.replace(shardIndex);
        }
      }
    });
    try {
      await Promise.all(shardLoops);
    } finally {
      // The stripe's memory goes back to the pipeline only once no write can still read it: every
      // shard's loop has ended and every write it started has settled (a late one to a replaced
      // slot included). Waiting for the loops too keeps this true whatever placement allows after
      // one shard ran out of slots.
      void Promise.allSettled(shardLoops)
        .then(() => Promise.allSettled(started))
        .then(() => deps.pipeline.release(stripe));
    }
    timed.phase('shard_writes', (performance.now() - writesStarted) / 1000);
    if (plan.underProtected) {
      this.stats.underProtected++;
      deps.logger.warn('chunk written under-protected: more than m shards on one node', { chunk: chunkId.toString('hex').slice(0, 16) });
    }
    const commit = deps.proposer.propose({
      op: 'commitChunk',
      timeMs: deps.clock(),
      chunk: {
        chunkId,
        size,
        k,
        m,
        slots: plan.slots.map((slot, shardIndex) => ({ nodeId: slot.nodeId, deviceId: slot.deviceId, shardIndex })),
        writeId,
        sysEpoch: keys.sysEpoch,
        tenEpoch: keys.policy === 'isolated' ? keys.tenEpoch : 0,
        gatewayTimeMs: gatewayTime,
      },
    });
    afterCommitProposed();
    const result = await timed.timed('commit', () => commit);
    if (result.kind === 'error') throw new TesseraError(result.code, 'chunk commit refused', { retriable: result.retriable });
    this.stats.chunksWritten++;
  }

  /**
   * The plaintext of a committed chunk, read from its committed placement.
   * If that fails and the record meanwhile reads from another placement
   * (repair, re-encryption: the old one was retired and may be deleted), the
   * metadata is read again once and the new placement is read.
   */
  async read(tenant: TenantRecord, record: ChunkRecord): Promise<Buffer> {
    try {
      return await this.readPlacement(tenant, record);
    } catch (err) {
      await this.deps.readBarrier();
      const now = this.deps.machine.chunk(record.chunkId);
      if (now?.state !== 'live' || !movedSince(record, now)) throw err;
      return this.readPlacement(tenant, now);
    }
  }

  private async readPlacement(tenant: TenantRecord, record: ChunkRecord): Promise<Buffer> {
    const { deps } = this;
    const n = record.k + record.m;
    if (record.slots.length !== n) throw new TesseraError(ErrorCodes.INTERNAL, 'chunk record placement does not match its profile');
    const readsStarted = performance.now();
    const { shards, good, usedParity } = await this.gatherShards(record);
    this.stats.dataPath.phase('read_shards', (performance.now() - readsStarted) / 1000);
    if (good < record.k) throw new TesseraError(ErrorCodes.CHUNK_UNRECOVERABLE, 'chunk unreadable: too few shards reachable', { retriable: true });
    if (usedParity) this.stats.degradedReads++;
    const keys = await deps.keys.readKeySet(tenant, record.sysEpoch, record.tenEpoch);
    const envelopeLength = envelopeLengthFor(keys, record.size);
    const plaintext = await this.stats.dataPath.timed('open', () => deps.pipeline.open({ shards, k: record.k, m: record.m, envelopeLength }, keys, record.chunkId));
    this.stats.chunksRead++;
    return plaintext;
  }

  /**
   * Reads k shards of the committed writeId: the data shards first; a failed
   * read is replaced by the next parity shard at once, and data shards still
   * unanswered after READ_HEDGE_MS (a paused or cut-off node holds a read
   * until its deadline) are hedged with parity reads. Late answers are
   * ignored once k shards are in.
   */
  private gatherShards(record: ChunkRecord): Promise<{ shards: Array<Uint8Array | undefined>; good: number; usedParity: boolean }> {
    const { deps } = this;
    const n = record.k + record.m;
    const shards: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(n).fill(undefined);
    let good = 0;
    let next = record.k;
    let outstanding = 0;
    let done = false;
    return new Promise((resolve) => {
      const finish = (): void => {
        if (done || (good < record.k && (outstanding > 0 || next < n))) return;
        done = true;
        clearTimeout(hedge);
        resolve({ shards, good, usedParity: shards.slice(0, record.k).some((shard) => shard === undefined) });
      };
      const launch = (i: number): void => {
        const slot = record.slots[i]!;
        outstanding++;
        deps.io.readShard({ nodeId: slot.nodeId, deviceId: slot.deviceId }, { chunkId: record.chunkId, writeId: record.writeId, shardIndex: i }).then(
          (bytes) => {
            if (!done && shards[i] === undefined && good < record.k) {
              shards[i] = bytes;
              good++;
            }
          },
          () => {
            this.stats.shardReadFailures++;
            if (!done && next < n) launch(next++);
          },
        ).finally(() => {
          outstanding--;
          finish();
        });
      };
      for (let i = 0; i < record.k; i++) launch(i);
      const hedge = setTimeout(() => {
        // As many parity reads as shards are still missing (a few extra reads are cheaper than a stall).
        for (let want = record.k - good; want > 0 && next < n; want--) launch(next++);
      }, deps.readHedgeMs ?? READ_HEDGE_MS);
      hedge.unref();
    });
  }

  /** The committed node/device table as placement sees it; nodes that just failed a write count as down. */
  topology(): Topology {
    const now = Date.now();
    const { machine } = this.deps;
    return {
      nodes: machine.nodes().map((n) => ({ nodeId: n.nodeId, live: n.nodeId === this.deps.localNodeId || (this.downUntil.get(n.nodeId) ?? 0) <= now })),
      devices: machine.devices().map((d) => ({ nodeId: d.nodeId, deviceId: d.deviceId, pool: d.pool, state: d.state, capacityBytes: d.capacityBytes, usedBytes: 0 })),
    };
  }

  private markDown(slot: Slot, err: unknown): void {
    this.deps.logger.warn('shard write failed; trying the next slot', { peerNode: slot.nodeId, device: slot.deviceId, errorCode: err instanceof TesseraError ? err.code : 'UNKNOWN' });
    if (slot.nodeId !== this.deps.localNodeId) this.downUntil.set(slot.nodeId, Date.now() + NODE_DOWN_MS);
  }
}

/** Whether the record reads from another writeId or other slots than `before` did. */
function movedSince(before: ChunkRecord, now: ChunkRecord): boolean {
  if (!now.writeId.equals(before.writeId)) return true;
  return now.slots.some((s) => !before.slots.some((b) => b.shardIndex === s.shardIndex && b.nodeId === s.nodeId && b.deviceId === s.deviceId));
}

/**
 * The write's outcome, or a retriable timeout after `ms` (the write itself goes
 * on: if it lands, its shard is a stray copy reconciliation reclaims).
 */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'shard write timed out', { retriable: true })), ms);
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Bytes of the envelope sealing `size` plaintext bytes under `keys` (what the stripe encodes). */
export function envelopeLengthFor(keys: ChunkKeySet, size: number): number {
  const prefix = encodeEnvelopeHeaderPrefix({
    alg: AeadIds.AES_256_GCM,
    sysEpoch: keys.sysEpoch,
    tenEpoch: keys.policy === 'isolated' ? keys.tenEpoch : 0,
    policy: keys.policy,
    tenant: keys.policy === 'isolated' ? keys.tenant : '',
  });
  return prefix.byteLength + ENVELOPE_HEADER_TAIL_BYTES + size + AES_GCM_TAG_BYTES;
}

function expectOk(result: MetadataResult): void {
  if (result.kind === 'error') throw new TesseraError(result.code, 'request refused', { retriable: result.retriable });
}
