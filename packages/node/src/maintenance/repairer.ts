/**
 * One repair (DESIGN section 6, issue #8): read the surviving shards of the
 * committed writeId, rebuild the missing or damaged ones with Reed-Solomon
 * (and copy the ones leaving a vacated slot), write each to a slot of the
 * replacement picker under the SAME writeId with a fresh gatewayTime, then
 * commit `replacePlacement` in place (newWriteId = oldWriteId): the moved
 * slots go to the record's `retired` list. The sealed envelope is never
 * opened: shards are of the envelope, so no key is needed.
 *
 * If anything changed meanwhile (another writeId, the record condemned) the
 * commit is refused (stale) and the shards written are strays of a known
 * writeId, which shard reconciliation deletes.
 */
import { ErrorCodes, TesseraError, type Logger } from '@tessera/common';
import { repairChunk, type CommittedChunk, type ShardIo, type Slot, type Topology } from '@tessera/storage';
import type { MetadataProposer } from '../data/proposer.js';
import type { MetadataMachine } from '../metadata/machine.js';
import type { ChunkRecord } from '../metadata/types.js';
import { samePlacement, type RepairReport, type RepairTask } from './repair-queue.js';
import { clusterTopology, type NodeLiveness } from './topology.js';

export interface RepairerDeps {
  readonly machine: MetadataMachine;
  readonly proposer: Pick<MetadataProposer, 'propose'>;
  readonly readBarrier: () => Promise<void>;
  readonly io: ShardIo;
  readonly liveness: NodeLiveness;
  readonly pool: string;
  readonly clock: () => number;
  readonly logger: Logger;
  /** Another job (re-encryption) holds the chunk: do not touch it now. */
  readonly busy?: (chunkId: Uint8Array) => boolean;
}

export async function repairOne(deps: RepairerDeps, task: RepairTask): Promise<RepairReport> {
  await deps.readBarrier();
  const record = deps.machine.chunk(task.chunkId);
  // Judged against another placement (a repair or re-encryption committed since): the next scrub pass judges again.
  if (record?.state !== 'live' || !record.writeId.equals(task.writeId) || !samePlacement(record.slots, task.judged) || deps.busy?.(task.chunkId) === true) {
    return { outcome: 'stale', moved: [] };
  }
  const gatewayTime = deps.clock();
  const chunk = committedChunk(record, gatewayTime);
  const io = watchedIo(deps.io, deps.liveness);
  const options = { knownBad: task.knownBad, vacate: task.vacate };
  let result;
  try {
    try {
      result = await repairChunk(chunk, { io, topology: repairTopology(deps, record, true), pool: deps.pool }, options);
    } catch (err) {
      if (!(err instanceof TesseraError && err.code === ErrorCodes.INSUFFICIENT_DEVICES)) throw err;
      // Only devices holding a retired copy of the same key are left: rewriting the key there is safe too
      // (reconciliation keeps a shard the table places as live or retired), just less tidy.
      result = await repairChunk(chunk, { io, topology: repairTopology(deps, record, false), pool: deps.pool }, options);
    }
  } catch (err) {
    const code = err instanceof TesseraError ? err.code : 'UNKNOWN';
    deps.logger.warn('repair failed', { chunk: chunkTag(record.chunkId), reason: task.reason, errorCode: code });
    if (code === ErrorCodes.CHUNK_UNRECOVERABLE) return { outcome: 'unrecoverable', moved: [] };
    if (code === ErrorCodes.INSUFFICIENT_DEVICES) return { outcome: 'no-device', moved: [] };
    return { outcome: 'failed', moved: [] };
  }
  if (result.moved.length === 0) return { outcome: 'nothing', moved: [] };
  const committed = await deps.proposer.propose({
    op: 'replacePlacement',
    timeMs: deps.clock(),
    chunkId: record.chunkId,
    oldWriteId: record.writeId,
    newWriteId: record.writeId,
    slots: result.placement.map((slot, shardIndex) => ({ nodeId: slot.nodeId, deviceId: slot.deviceId, shardIndex })),
    sysEpoch: record.sysEpoch,
    tenEpoch: record.tenEpoch,
    gatewayTimeMs: gatewayTime,
  });
  if (committed.kind === 'error') {
    deps.logger.info('repair not committed: the record changed meanwhile', { chunk: chunkTag(record.chunkId), errorCode: committed.code });
    return { outcome: committed.code === ErrorCodes.CHUNK_STALE_WRITE_ID || committed.code === ErrorCodes.CHUNK_GONE ? 'stale' : 'failed', moved: result.moved };
  }
  deps.logger.info('chunk repaired', { chunk: chunkTag(record.chunkId), reason: task.reason, moved: result.moved.length, underProtected: result.underProtected });
  return { outcome: 'ok', moved: result.moved };
}

/** The record as storage's repair primitives see it (slots in shard order; size unused: nothing is decoded). */
export function committedChunk(record: ChunkRecord, gatewayTime: number): CommittedChunk {
  const placement: Slot[] = [...record.slots].sort((a, b) => a.shardIndex - b.shardIndex).map((s) => ({ nodeId: s.nodeId, deviceId: s.deviceId }));
  return { chunkId: record.chunkId, writeId: record.writeId, k: record.k, m: record.m, size: 0, sysEpoch: record.sysEpoch, gatewayTime, placement };
}

/**
 * The topology for this chunk's repair: devices holding a retired slot of
 * the current writeId are left out, so a rebuilt shard never lands where a
 * retired copy of the same key waits for deletion (other writeIds are other
 * keys and do not matter).
 */
function repairTopology(deps: RepairerDeps, record: ChunkRecord, avoidRetired: boolean): Topology {
  const topology = clusterTopology(deps.machine, deps.liveness);
  if (!avoidRetired) return topology;
  const retired = new Set(record.retired.filter((r) => r.writeId.equals(record.writeId)).flatMap((r) => r.slots.map((s) => `${s.nodeId}\u0000${s.deviceId}`)));
  if (retired.size === 0) return topology;
  return { ...topology, devices: topology.devices.filter((d) => !retired.has(`${d.nodeId}\u0000${d.deviceId}`)) };
}

/** Marks a node down when a shard call to it could not reach it (placement leaves it out for a while). */
export function watchedIo(io: ShardIo, liveness: NodeLiveness): ShardIo {
  const watch = async <T>(slot: Slot, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (err instanceof TesseraError && err.code === ErrorCodes.TRANSPORT_PEER_UNREACHABLE) liveness.markDown(slot.nodeId);
      throw err;
    }
  };
  return {
    readShard: (slot, key) => watch(slot, () => io.readShard(slot, key)),
    writeShard: (slot, write) => watch(slot, () => io.writeShard(slot, write)),
  };
}

/** What logs and history show of a chunk id. */
export function chunkTag(chunkId: Uint8Array): string {
  return Buffer.from(chunkId).toString('hex').slice(0, 16);
}
