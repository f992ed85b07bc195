/**
 * Canonical binary form of a chunk record, shared by the snapshot image and
 * the LevelDB store (one encoding per record, so digests compare):
 *
 *   chunk commit | state u8 | committedAtMs u64 | deletingAtMs u64 |
 *   retired u8 count × (writeId 16 B | retiredAtMs u64 | u16 count × slot)
 *
 * `deletingAtMs` is 0 exactly when the record is live; retired entries keep
 * the order they were retired in (oldest first).
 */
import { ErrorCodes, TesseraError, type BinaryReader, type BinaryWriter } from '@tessera/common';
import { METADATA_LIMITS, bad, readChunkCommit, readCount, readEnum, readName, writeChunkCommit, writeEnum, writeName } from './fields.js';
import { CHUNK_STATES, type ChunkRecord, type PlacementSlot, type RetiredPlacement } from './types.js';

/** Retired placements a record may hold at once; replacePlacement is refused (retriable) beyond it. */
export const MAX_RETIRED_PER_CHUNK = 32;

/** Slots of a retired placement: 1..k+m, shard indices below k+m and distinct. */
export function retiredSlotsProblem(k: number, m: number, slots: readonly PlacementSlot[]): string | undefined {
  if (slots.length < 1 || slots.length > k + m) return 'a retired placement has 1..k+m slots';
  const seen = new Set<number>();
  for (const s of slots) {
    if (!Number.isInteger(s.shardIndex) || s.shardIndex < 0 || s.shardIndex >= k + m || seen.has(s.shardIndex)) return 'retired shard indices must be distinct and below k+m';
    seen.add(s.shardIndex);
  }
  return undefined;
}

export function writeChunkRecord(w: BinaryWriter, c: ChunkRecord): BinaryWriter {
  if ((c.state === 'live') !== (c.deletingAtMs === 0)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'deletingAtMs is set exactly when the record is deleting');
  if (c.retired.length > MAX_RETIRED_PER_CHUNK) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'too many retired placements');
  writeEnum(writeChunkCommit(w, c), CHUNK_STATES, c.state).u64(c.committedAtMs).u64(c.deletingAtMs).u8(c.retired.length);
  for (const r of c.retired) {
    const problem = retiredSlotsProblem(c.k, c.m, r.slots);
    if (problem !== undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, problem);
    w.fixed(r.writeId, METADATA_LIMITS.writeIdBytes).u64(r.retiredAtMs).u16(r.slots.length);
    for (const s of r.slots) writeName(writeName(w, s.nodeId, 'node id'), s.deviceId, 'device id').u8(s.shardIndex);
  }
  return w;
}

export function readChunkRecord(r: BinaryReader): ChunkRecord {
  const commit = readChunkCommit(r);
  const state = readEnum(r, CHUNK_STATES, 'chunk state');
  const committedAtMs = r.u64Number();
  const deletingAtMs = r.u64Number();
  if ((state === 'live') !== (deletingAtMs === 0)) throw bad('deletingAtMs disagrees with the chunk state');
  const count = r.u8();
  if (count > MAX_RETIRED_PER_CHUNK) throw bad('too many retired placements');
  const retired: RetiredPlacement[] = [];
  for (let i = 0; i < count; i++) {
    const writeId = Buffer.from(r.fixed(METADATA_LIMITS.writeIdBytes));
    const retiredAtMs = r.u64Number();
    const slotCount = readCount(r, 5, METADATA_LIMITS.maxShards, 2);
    const slots: PlacementSlot[] = [];
    for (let j = 0; j < slotCount; j++) slots.push({ nodeId: readName(r, 'node id'), deviceId: readName(r, 'device id'), shardIndex: r.u8() });
    const problem = retiredSlotsProblem(commit.k, commit.m, slots);
    if (problem !== undefined) throw bad(problem);
    retired.push({ writeId, slots, retiredAtMs });
  }
  return { ...commit, state, committedAtMs, deletingAtMs, retired };
}
