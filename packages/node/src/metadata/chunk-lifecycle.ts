/**
 * Chunk records through their lifecycle (DESIGN section 6):
 *
 *   commitChunk ─► live ──chunkDelete──► deleting ──chunkGone──► gone (no record)
 *                   ▲  └─replacePlacement─┐   │
 *                   └──── (new writeId) ◄─┘   └─ commitChunk of the same content: a new live record
 *
 * - chunkDelete (GC) applies only to the record's current writeId, with no
 *   reference from any tenant, no pending reference, and at least gcGrace
 *   after the record was committed (a fresh upload is never collected before
 *   its gateway adds the pending reference). It never deletes shards: nodes
 *   reconcile their shards against the table (deleting ⇒ delete them).
 * - chunkGone removes a deleting record. Safety does not depend on when: a
 *   deleting record can never be referenced again. The node proposes it once
 *   every slot holder confirmed the deletion, or gcGrace after deletingAtMs;
 *   any shard left then has an unknown writeId and is an orphan.
 * - commitChunk over a deleting record commits the new upload as a fresh live
 *   record (new writeId, new committedAt) instead of making the writer wait
 *   for chunkGone: the condemned writeId is forgotten with it, so its shards
 *   are orphans. Over a live record the first record stands (existing).
 * - replacePlacement (repair, re-encryption) moves the record to a new
 *   placement atomically; the replaced (writeId, slots) join `retired`,
 *   stamped with the leader time, until dropRetired (gcGrace later).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { MAX_RETIRED_PER_CHUNK } from './chunk-codec.js';
import { deviceIndexKey } from './chunk-index.js';
import type { MetadataCommand } from './commands.js';
import type { MetadataState, Outcome } from './state.js';
import type { ChunkCommit, ChunkRecord, PlacementSlot, RetiredPlacement } from './types.js';

/** A chunk commit older than this (leader time minus gateway time) is refused. */
export const COMMIT_DEADLINE_MS = 10 * 60 * 1000;
/** A chunk commit whose gateway clock is further ahead than this is refused. */
export const COMMIT_MAX_AHEAD_MS = 60 * 1000;

const OK: Outcome = { kind: 'ok' };

function checkGatewayTime(gatewayTimeMs: number, leaderTimeMs: number): void {
  if (gatewayTimeMs + COMMIT_DEADLINE_MS < leaderTimeMs) throw new TesseraError(ErrorCodes.CHUNK_COMMIT_REJECTED, 'chunk commit is past its deadline', { retriable: true });
  if (gatewayTimeMs > leaderTimeMs + COMMIT_MAX_AHEAD_MS) throw new TesseraError(ErrorCodes.CHUNK_COMMIT_REJECTED, 'gateway clock is too far ahead of the leader', { retriable: true });
}

function checkEpochAndDevices(state: MetadataState, sysEpoch: number, slots: readonly PlacementSlot[]): void {
  if (sysEpoch < state.minDecryptEpoch) throw new TesseraError(ErrorCodes.EPOCH_RETIRED, 'chunk sealed under a retired system epoch', { retriable: true });
  for (const slot of slots) {
    if (!state.devices.has(deviceIndexKey(slot.nodeId, slot.deviceId))) throw new TesseraError(ErrorCodes.UNKNOWN_DEVICE, 'placement names an unknown device');
  }
}

function stale(): TesseraError {
  return new TesseraError(ErrorCodes.CHUNK_STALE_WRITE_ID, 'the chunk record has another writeId now');
}

export function commitChunk(state: MetadataState, chunk: ChunkCommit, leaderTimeMs: number): Outcome {
  checkGatewayTime(chunk.gatewayTimeMs, leaderTimeMs);
  checkEpochAndDevices(state, chunk.sysEpoch, chunk.slots);
  const hex = chunk.chunkId.toString('hex');
  // A concurrent upload of the same content committed first: its record stands
  // (the later shards become orphans, reclaimed by their writeId).
  if (state.chunks.get(hex)?.state === 'live') return { kind: 'chunk', existing: true };
  state.setChunk(hex, { ...chunk, state: 'live', committedAtMs: leaderTimeMs, deletingAtMs: 0, retired: [] });
  return { kind: 'chunk', existing: false };
}

/** Whether GC may condemn the record now (what chunkDelete checks, besides the writeId). */
export function collectable(state: MetadataState, hex: string, record: ChunkRecord): boolean {
  return record.state === 'live' && state.index.isUnreferenced(hex) && record.committedAtMs + state.gcGraceMs <= state.nowMs;
}

export function chunkDelete(state: MetadataState, chunkId: Buffer, writeId: Buffer): Outcome {
  const hex = chunkId.toString('hex');
  const record = state.chunks.get(hex);
  if (record === undefined) return OK; // already gone
  if (!record.writeId.equals(writeId)) throw stale();
  if (record.state === 'deleting') return OK; // a retried proposal
  if (!collectable(state, hex, record)) throw new TesseraError(ErrorCodes.CHUNK_IN_USE, 'chunk is referenced, pending or inside gcGrace');
  // deletingAtMs is 0 exactly while live; leader time is positive in practice, 1 keeps the rule if not.
  state.setChunk(hex, { ...record, state: 'deleting', deletingAtMs: Math.max(1, state.nowMs) });
  return OK;
}

export function chunkGone(state: MetadataState, chunkId: Buffer, writeId: Buffer): Outcome {
  const hex = chunkId.toString('hex');
  const record = state.chunks.get(hex);
  if (record === undefined) return OK;
  if (!record.writeId.equals(writeId)) throw stale();
  if (record.state !== 'deleting') throw new TesseraError(ErrorCodes.CHUNK_IN_USE, 'chunk is live');
  state.setChunk(hex, undefined);
  return OK;
}

type ReplacePlacement = Extract<MetadataCommand, { op: 'replacePlacement' }>;

export function replacePlacement(state: MetadataState, cmd: ReplacePlacement, leaderTimeMs: number): Outcome {
  const hex = cmd.chunkId.toString('hex');
  const record = state.chunks.get(hex);
  if (record?.state !== 'live') throw new TesseraError(ErrorCodes.CHUNK_GONE, 'chunk is not live');
  const sameWriteId = cmd.newWriteId.equals(cmd.oldWriteId);
  // Applied already (a retried proposal): the record reads from the new writeId.
  if (!sameWriteId && record.writeId.equals(cmd.newWriteId)) return OK;
  if (!record.writeId.equals(cmd.oldWriteId)) throw stale();
  checkGatewayTime(cmd.gatewayTimeMs, leaderTimeMs);
  const n = record.k + record.m;
  if (cmd.slots.length !== n || new Set(cmd.slots.map((s) => s.shardIndex)).size !== n || cmd.slots.some((s) => s.shardIndex >= n)) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a placement covers shards 0..k+m-1 once each (the profile never changes)');
  }
  checkEpochAndDevices(state, cmd.sysEpoch, cmd.slots);
  const slots = [...cmd.slots].sort((a, b) => a.shardIndex - b.shardIndex);
  let replaced: PlacementSlot[];
  if (sameWriteId) {
    // Same shards moved (repair in place): only the slots that changed retire.
    if (cmd.sysEpoch !== record.sysEpoch || cmd.tenEpoch !== record.tenEpoch) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'new epochs need a new writeId');
    replaced = record.slots.filter((old) => {
      const now = slots[old.shardIndex];
      return now === undefined || now.nodeId !== old.nodeId || now.deviceId !== old.deviceId;
    });
    if (replaced.length === 0) return OK;
  } else {
    if (state.index.writeIds.has(cmd.newWriteId.toString('hex'))) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'writeId already names a placement');
    replaced = [...record.slots];
  }
  if (record.retired.length >= MAX_RETIRED_PER_CHUNK) throw new TesseraError(ErrorCodes.CHUNK_IN_USE, 'too many retired placements: wait for dropRetired', { retriable: true });
  const retired: RetiredPlacement = { writeId: record.writeId, slots: replaced, retiredAtMs: state.nowMs };
  state.setChunk(hex, {
    ...record,
    slots,
    writeId: cmd.newWriteId,
    sysEpoch: cmd.sysEpoch,
    tenEpoch: cmd.tenEpoch,
    gatewayTimeMs: cmd.gatewayTimeMs,
    retired: [...record.retired, retired],
  });
  return OK;
}

/** Forgets the record's retired placements of `writeId`, all of them at least gcGrace old. */
export function dropRetired(state: MetadataState, chunkId: Buffer, writeId: Buffer): Outcome {
  const hex = chunkId.toString('hex');
  const record = state.chunks.get(hex);
  if (record === undefined) return OK;
  const matching = record.retired.filter((r) => r.writeId.equals(writeId));
  if (matching.length === 0) return OK;
  if (matching.some((r) => r.retiredAtMs + state.gcGraceMs > state.nowMs)) throw new TesseraError(ErrorCodes.CHUNK_IN_USE, 'retired placement is inside gcGrace');
  state.setChunk(hex, { ...record, retired: record.retired.filter((r) => !r.writeId.equals(writeId)) });
  return OK;
}
