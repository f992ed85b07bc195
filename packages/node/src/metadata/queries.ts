/**
 * Read-only queries the node's duties run against the metadata state after
 * a ReadIndex barrier: GC, compaction, re-encryption, scrub/evacuation,
 * shard reconciliation and orphan reclamation. All are served from the
 * in-memory indexes (chunk-index.ts): none scans the whole chunk table.
 * Whatever they return is a proposal input only — every command re-checks
 * its conditions at apply.
 */
import { deviceIndexKey } from './chunk-index.js';
import { TOMBSTONE_TTL_MS } from './compaction.js';
import type { MetadataState } from './state.js';
import { supersededCount } from './tenant-data.js';
import type { ChunkRecord } from './types.js';

export interface ChunkWrite {
  readonly chunkId: Buffer;
  readonly writeId: Buffer;
}

export interface CompactionCandidate {
  readonly tenant: string;
  /** Propose `compact{tenant, upToSeq}` with this: every delta stored now. */
  readonly upToSeq: number;
  readonly supersededDeltas: number;
  /** At least one latest tombstone is past the TTL. */
  readonly expiredTombstones: boolean;
}

/**
 * What a node should do with a local shard that matches (chunkId, writeId,
 * shardIndex, deviceId): `live` and `retired` — keep; `deleting` — GC
 * condemned the record: delete the shard, then confirm (towards chunkGone).
 * A local shard matching nothing here is unexpected: delete it if its writeId
 * is known (`isKnownWriteId`: a stray copy), otherwise it is an upload not
 * committed yet or never — the orphan rule (gatewayTime + orphanTTL) decides.
 */
export type ShardDisposition = 'live' | 'retired' | 'deleting';

export interface ExpectedShard {
  readonly chunkId: Buffer;
  readonly writeId: Buffer;
  readonly shardIndex: number;
  readonly deviceId: string;
  readonly disposition: ShardDisposition;
}

export interface EpochCursor {
  readonly epoch: number;
  readonly chunkId: Buffer;
}

/** Live records nobody references (not even pending) and committed at least gcGrace before `nowMs`. */
export function gcCandidates(state: MetadataState, nowMs: number, limit: number): ChunkWrite[] {
  const out: ChunkWrite[] = [];
  for (const hex of state.index.unreferenced) {
    if (out.length >= limit) break;
    const record = state.chunks.get(hex);
    if (record !== undefined && record.committedAtMs + state.gcGraceMs <= nowMs) out.push({ chunkId: record.chunkId, writeId: record.writeId });
  }
  return out;
}

/** Records GC condemned and not yet gone, oldest condemnation first. */
export function deletingChunks(state: MetadataState, limit: number): ChunkRecord[] {
  const out: ChunkRecord[] = [];
  for (const hex of state.index.deleting) {
    const record = state.chunks.get(hex);
    if (record !== undefined) out.push(record);
  }
  return out.sort((a, b) => a.deletingAtMs - b.deletingAtMs).slice(0, limit);
}

/** Tenants with superseded deltas or a latest tombstone past `tombstoneTtlMs` (at the state's leader time), by tenant id. */
export function compactionCandidates(state: MetadataState, limit: number, tombstoneTtlMs = TOMBSTONE_TTL_MS): CompactionCandidate[] {
  const out: CompactionCandidate[] = [];
  for (const tenant of [...state.tenantData.keys()].sort()) {
    if (out.length >= limit) break;
    const data = state.tenantData.get(tenant);
    if (data === undefined) continue;
    const superseded = supersededCount(data);
    // The first latest tombstone is the oldest (ascending sequence, leader time never moves back).
    const oldest = data.latestTombstones.values().next();
    const expiredTombstones = oldest.done !== true && oldest.value + tombstoneTtlMs <= state.nowMs;
    if (superseded > 0 || expiredTombstones) out.push({ tenant, upToSeq: data.nextSequence - 1, supersededDeltas: superseded, expiredTombstones });
  }
  return out;
}

/** Live records sealed under a system epoch below `epoch`, ascending by (epoch, chunk id), after `after`. */
export function chunksInEpochBelow(state: MetadataState, epoch: number, limit: number, after?: EpochCursor): ChunkRecord[] {
  const out: ChunkRecord[] = [];
  const epochs = [...state.index.byEpoch.keys()].filter((e) => e < epoch && (after === undefined || e >= after.epoch)).sort((a, b) => a - b);
  for (const e of epochs) {
    const keys = state.index.byEpoch.get(e);
    if (keys === undefined) continue;
    for (const hex of keys.from(after !== undefined && e === after.epoch ? after.chunkId.toString('hex') : undefined)) {
      if (out.length >= limit) return out;
      const record = state.chunks.get(hex);
      if (record !== undefined) out.push(record);
    }
  }
  return out;
}

/** Live records with a current slot on the device, ascending by chunk id, strictly after `after`. */
export function chunksOnDevice(state: MetadataState, nodeId: string, deviceId: string, limit: number, after?: Buffer): ChunkRecord[] {
  const out: ChunkRecord[] = [];
  const keys = state.index.byDevice.get(deviceIndexKey(nodeId, deviceId));
  if (keys === undefined) return out;
  for (const hex of keys.from(after?.toString('hex'))) {
    if (out.length >= limit) break;
    const record = state.chunks.get(hex);
    if (record?.state === 'live' && record.slots.some((s) => s.nodeId === nodeId && s.deviceId === deviceId)) out.push(record);
  }
  return out;
}

/**
 * Every shard the committed table places on `nodeId`: current slots of live
 * and deleting records, and retired slots not yet dropped. The record keys
 * are copied when iteration reaches a device, so applying meanwhile never
 * breaks the iteration; records are read as they are when reached.
 */
export function* shardsExpectedOn(state: MetadataState, nodeId: string): Generator<ExpectedShard> {
  const prefix = `${nodeId}\u0000`;
  const devices = [...state.index.byDevice.keys()].filter((d) => d.startsWith(prefix)).sort();
  for (const device of devices) {
    const deviceId = device.slice(prefix.length);
    const keys = state.index.byDevice.get(device)?.toArray() ?? [];
    for (const hex of keys) {
      const record = state.chunks.get(hex);
      if (record === undefined) continue;
      for (const s of record.slots) {
        if (s.nodeId === nodeId && s.deviceId === deviceId) yield { chunkId: record.chunkId, writeId: record.writeId, shardIndex: s.shardIndex, deviceId, disposition: record.state };
      }
      for (const r of record.retired) {
        for (const s of r.slots) {
          if (s.nodeId === nodeId && s.deviceId === deviceId) yield { chunkId: record.chunkId, writeId: r.writeId, shardIndex: s.shardIndex, deviceId, disposition: 'retired' };
        }
      }
    }
  }
}

/**
 * (chunk, writeId) pairs whose retired placements were all retired at or
 * before `cutoffMs` — propose `dropRetired` for them with cutoff = leader
 * time − gcGrace.
 */
export function retiredOlderThan(state: MetadataState, cutoffMs: number, limit: number): Array<ChunkWrite & { readonly retiredAtMs: number }> {
  const out: Array<ChunkWrite & { readonly retiredAtMs: number }> = [];
  for (const hex of state.index.withRetired) {
    const record = state.chunks.get(hex);
    if (record === undefined) continue;
    const newest = new Map<string, { writeId: Buffer; at: number }>();
    for (const r of record.retired) {
      const key = r.writeId.toString('hex');
      newest.set(key, { writeId: r.writeId, at: Math.max(r.retiredAtMs, newest.get(key)?.at ?? 0) });
    }
    for (const { writeId, at } of newest.values()) {
      if (out.length >= limit) return out;
      if (at <= cutoffMs) out.push({ chunkId: record.chunkId, writeId, retiredAtMs: at });
    }
  }
  return out;
}

/** Whether any live or deleting record, or any retired placement, names the writeId (orphan reclamation). */
export function isKnownWriteId(state: MetadataState, writeId: Uint8Array): boolean {
  return state.index.writeIds.has(Buffer.from(writeId).toString('hex'));
}
