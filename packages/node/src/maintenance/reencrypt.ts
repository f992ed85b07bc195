/**
 * Re-encryption after a system-epoch rotation (leader only, rate-limited;
 * DESIGN section 5, issue #8). For each live record sealed under an epoch
 * below the current one:
 *
 *  1. read k shards of the committed writeId (data first, parity for what
 *     fails) and learn from the envelope header who it belongs to (an
 *     isolated envelope names its tenant and tenant epoch; checked against
 *     the record: chunk id, epochs, plaintext length);
 *  2. open it under (record.sysEpoch, record.tenEpoch) and re-seal the
 *     plaintext under the current system epoch and the SAME tenant epoch —
 *     the chunk id does not depend on epochs, and seal re-checks it;
 *  3. write the new stripe under a NEW writeId to a fresh placement (the
 *     same rules as a new write), with a fresh gatewayTime;
 *  4. commit `replacePlacement(old → new writeId, sysEpoch new)`: the old
 *     (writeId, slots) join `retired` and are deleted after gcGrace; a read
 *     that started on them re-reads the metadata once (ChunkStore.read).
 *
 * The per-epoch counts of the metadata group fall as records move; once
 * they are zero below the current epoch the metadata leader retires the old
 * epochs (duties.ts). A failure leaves the record as it was (the new shards
 * are orphans of an unknown writeId, reclaimed by the orphan rule); the
 * record is tried again on the next sweep.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCodes, TesseraError, type Logger } from '@tessera/common';
import { AeadIds, ENVELOPE_FIXED_HEADER_BYTES, parseEnvelopeHeader } from '@tessera/crypto';
import { PlacementPlan, type ShardKey, type Slot } from '@tessera/storage';
import type { NewShardWrite } from '../fabric/shard-io.js';
import type { ChunkKeySet, ChunkPipeline } from '../data/pipeline/index.js';
import type { NodeKeys } from '../data/node-keys.js';
import type { MetadataProposer } from '../data/proposer.js';
import type { MetadataMachine } from '../metadata/machine.js';
import type { EpochCursor } from '../metadata/queries.js';
import type { ChunkRecord, TenantRecord } from '../metadata/types.js';
import { chunkTag } from './repairer.js';
import { clusterTopology, type NodeLiveness } from './topology.js';

export interface ReencryptIo {
  readShard(slot: Slot, key: ShardKey): Promise<Uint8Array>;
  writeNew(slot: Slot, write: NewShardWrite): Promise<void>;
}

export interface ReencryptDeps {
  readonly machine: MetadataMachine;
  readonly proposer: Pick<MetadataProposer, 'propose'>;
  readonly readBarrier: () => Promise<void>;
  readonly io: ReencryptIo;
  readonly keys: Pick<NodeKeys, 'currentSystemEpoch' | 'readKeySet'>;
  readonly pipeline: Pick<ChunkPipeline, 'open' | 'seal'>;
  readonly liveness: NodeLiveness;
  readonly pool: string;
  readonly clock: () => number;
  readonly logger: Logger;
  /** A repair holds the chunk: skip it this sweep. */
  readonly busy?: (chunkId: Uint8Array) => boolean;
  /** A chunk whose first data shard is unreadable: have it repaired first. */
  readonly needsRepair?: (record: ChunkRecord) => void;
}

export type ReencryptOutcome = 'rewritten' | 'stale' | 'deferred' | 'failed';

export interface ReencryptProgress {
  /** The epoch chunks are moved to (undefined before the node's keys load). */
  readonly targetEpoch: number | undefined;
  /** Live records still sealed under each older epoch. */
  readonly remaining: Readonly<Record<string, number>>;
  readonly rewritten: number;
  readonly failed: number;
  /** Skipped for now (busy with a repair, first shard unreadable, record changed). */
  readonly deferred: number;
}

const AES_GCM_TAG_BYTES = 16;
/** Offset of the tenant-length byte in an envelope header (envelope-header.ts). */
const TENANT_LENGTH_OFFSET = 24;

/** The key set of a shared chunk depends on no tenant: readKeySet reads only the policy. */
const SHARED: TenantRecord = { id: '', policy: 'shared', caCertPem: '', caCrlPem: '', state: 'active', quotaBytes: 0, keyEpoch: 0, kekVersion: 0 };

export class Reencrypter {
  private cursor: EpochCursor | undefined;
  private inFlight: Buffer | undefined;
  private rewritten = 0;
  private failed = 0;
  private deferred = 0;

  constructor(private readonly deps: ReencryptDeps) {}

  progress(): ReencryptProgress {
    const target = this.deps.keys.currentSystemEpoch();
    const remaining: Record<string, number> = {};
    if (target !== undefined) {
      for (let e = 0; e < target; e++) {
        const n = this.deps.machine.chunksInEpoch(e);
        if (n > 0) remaining[String(e)] = n;
      }
    }
    return { targetEpoch: target, remaining, rewritten: this.rewritten, failed: this.failed, deferred: this.deferred };
  }

  /** Whether the chunk is being re-encrypted now. */
  holds(chunkId: Uint8Array): boolean {
    return this.inFlight !== undefined && this.inFlight.equals(chunkId);
  }

  /** Re-encrypts up to `budget` records (one at a time); returns how many were attempted. */
  async turn(budget: number): Promise<number> {
    const target = this.deps.keys.currentSystemEpoch();
    if (target === undefined || budget <= 0) return 0;
    const page = this.deps.machine.chunksInEpochBelow(target, budget, this.cursor);
    // At the end of the walk, start over next time: what failed is tried again.
    this.cursor = page.length < budget ? undefined : { epoch: page[page.length - 1]!.sysEpoch, chunkId: page[page.length - 1]!.chunkId };
    for (const record of page) {
      const outcome = await this.rewrite(record, target);
      if (outcome === 'rewritten') this.rewritten++;
      else if (outcome === 'failed') this.failed++;
      else this.deferred++;
    }
    return page.length;
  }

  /** Moves one record to `target`. */
  async rewrite(record: ChunkRecord, target: number): Promise<ReencryptOutcome> {
    const { deps } = this;
    if (deps.busy?.(record.chunkId) === true) return 'deferred';
    this.inFlight = record.chunkId;
    try {
      return await this.rewriteHeld(record, target);
    } catch (err) {
      deps.logger.warn('re-encryption of a chunk failed; it is tried again later', { chunk: chunkTag(record.chunkId), errorCode: err instanceof TesseraError ? err.code : 'UNKNOWN' });
      return 'failed';
    } finally {
      this.inFlight = undefined;
    }
  }

  private async rewriteHeld(record: ChunkRecord, target: number): Promise<ReencryptOutcome> {
    const { deps } = this;
    const shards = await this.readStripe(record);
    const first = shards[0];
    if (first === undefined) {
      deps.needsRepair?.(record);
      return 'deferred';
    }
    const header = this.headerOf(record, first);
    const tenant = header.policy === 'shared' ? SHARED : deps.machine.tenant(header.tenant);
    if (tenant === undefined || tenant.policy !== header.policy) throw new TesseraError(ErrorCodes.CRYPTO_BAD_ENVELOPE, 'envelope names a tenant the metadata group does not know');
    const oldKeys = await deps.keys.readKeySet(tenant, record.sysEpoch, record.tenEpoch);
    const newKeys = await deps.keys.readKeySet(tenant, target, record.tenEpoch);
    const envelopeLength = header.headerLength + record.size + AES_GCM_TAG_BYTES;
    const plaintext = await deps.pipeline.open({ shards, k: record.k, m: record.m, envelopeLength }, oldKeys, record.chunkId);
    let stripe;
    try {
      stripe = await deps.pipeline.seal(plaintext, newKeys, record.chunkId, record.k, record.m);
    } finally {
      plaintext.fill(0);
    }
    const writeId = randomBytes(16);
    const gatewayTime = deps.clock();
    const slots = await this.writeStripe(record, stripe.shards, writeId, newKeys, gatewayTime);
    await deps.readBarrier();
    const result = await deps.proposer.propose({
      op: 'replacePlacement',
      timeMs: deps.clock(),
      chunkId: record.chunkId,
      oldWriteId: record.writeId,
      newWriteId: writeId,
      slots: slots.map((slot, shardIndex) => ({ nodeId: slot.nodeId, deviceId: slot.deviceId, shardIndex })),
      sysEpoch: target,
      tenEpoch: record.tenEpoch,
      gatewayTimeMs: gatewayTime,
    });
    if (result.kind === 'error') {
      if (result.code === ErrorCodes.CHUNK_STALE_WRITE_ID || result.code === ErrorCodes.CHUNK_GONE) return 'stale';
      throw new TesseraError(result.code, 're-encrypted placement refused', { retriable: result.retriable });
    }
    return 'rewritten';
  }

  /** k shards of the committed writeId: data first, parity for what failed (undefined = not read). */
  private async readStripe(record: ChunkRecord): Promise<Array<Uint8Array | undefined>> {
    const n = record.k + record.m;
    const slots = [...record.slots].sort((a, b) => a.shardIndex - b.shardIndex);
    if (slots.length !== n) throw new TesseraError(ErrorCodes.INTERNAL, 'chunk record placement does not match its profile');
    const shards: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(n).fill(undefined);
    let good = 0;
    const readOne = async (i: number): Promise<void> => {
      const slot = slots[i]!;
      try {
        shards[i] = await this.deps.io.readShard(slot, { chunkId: record.chunkId, writeId: record.writeId, shardIndex: i });
        good++;
      } catch {
        // parity below
      }
    };
    await Promise.all(Array.from({ length: record.k }, (_, i) => readOne(i)));
    let next = record.k;
    while (good < record.k && next < n) {
      const batch = Array.from({ length: Math.min(record.k - good, n - next) }, (_, j) => next + j);
      next += batch.length;
      await Promise.all(batch.map((i) => readOne(i)));
    }
    if (good < record.k) throw new TesseraError(ErrorCodes.CHUNK_UNRECOVERABLE, 'chunk unreadable: too few shards reachable', { retriable: true });
    return shards;
  }

  /**
   * The envelope header from the first data shard (its first bytes are the
   * envelope's), parsed by the crypto package's bounded parser and checked
   * against the record.
   */
  private headerOf(record: ChunkRecord, first: Uint8Array): ReturnType<typeof parseEnvelopeHeader> {
    const tenantLength = first[TENANT_LENGTH_OFFSET] ?? 0;
    const headerLength = ENVELOPE_FIXED_HEADER_BYTES + tenantLength;
    if (first.length < headerLength) throw new TesseraError(ErrorCodes.CRYPTO_BAD_ENVELOPE, 'shard shorter than an envelope header');
    // The parser wants a whole envelope; the body does not matter for the header.
    const probe = Buffer.alloc(headerLength + record.size + AES_GCM_TAG_BYTES);
    probe.set(first.subarray(0, headerLength));
    const header = parseEnvelopeHeader(probe);
    if (header.alg !== AeadIds.AES_256_GCM || !header.chunkId.equals(record.chunkId) || header.sysEpoch !== record.sysEpoch || header.tenEpoch !== record.tenEpoch || header.plaintextLength !== record.size) {
      throw new TesseraError(ErrorCodes.CRYPTO_BAD_ENVELOPE, 'envelope header does not match the chunk record');
    }
    return header;
  }

  /** Writes every shard to a fresh placement (a failed slot moves to the next rendezvous slot). */
  private async writeStripe(record: ChunkRecord, shards: readonly Buffer[], writeId: Buffer, keys: ChunkKeySet, gatewayTime: number): Promise<readonly Slot[]> {
    const { deps } = this;
    const plan = PlacementPlan.propose({ topology: clusterTopology(deps.machine, deps.liveness), pool: deps.pool, chunkId: record.chunkId, k: record.k, m: record.m });
    await Promise.all(
      shards.map(async (payload, shardIndex) => {
        for (;;) {
          const slot = plan.slots[shardIndex]!;
          try {
            await deps.io.writeNew(slot, { chunkId: record.chunkId, writeId, shardIndex, payload, sysEpoch: keys.sysEpoch, gatewayTime });
            return;
          } catch (err) {
            if (err instanceof TesseraError && err.code === ErrorCodes.TRANSPORT_PEER_UNREACHABLE) deps.liveness.markDown(slot.nodeId);
            plan.replace(shardIndex);
          }
        }
      }),
    );
    return plan.slots;
  }
}
