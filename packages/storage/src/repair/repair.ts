/**
 * Repair and relocation of a chunk's shards.
 *
 * `repairChunk` reads every shard of the committed writeId from its slot
 * (through the node's ShardIo), rebuilds the ones that are missing or
 * damaged — and, if asked, moves readable ones off slots being vacated —
 * writing each to a newly proposed slot (rendezvous order, at most m per node
 * counting the slots that stay; the next slot if a write fails). It reports
 * the new placement and every move; the caller commits the placement and
 * retires the old slots. Nothing is deleted here.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { reconstruct } from '@tessera/erasure';
import { replacementPicker } from '../placement/plan.js';
import { sameSlot, slotKey, type Slot } from '../placement/topology.js';
import { keyOf, type CommittedChunk, type RepairContext, type ShardMove } from './types.js';

export interface RepairOptions {
  /** Slots to move shards off even when they read fine (evacuating or failed devices). */
  readonly vacate?: readonly Slot[];
  /** Shard indexes known to be bad (skips reading them). */
  readonly knownBad?: readonly number[];
}

export interface RepairResult {
  readonly placement: readonly Slot[];
  readonly moved: readonly ShardMove[];
  /** Some node holds more than m shards of the new placement. */
  readonly underProtected: boolean;
}

export async function repairChunk(chunk: CommittedChunk, ctx: RepairContext, options: RepairOptions = {}): Promise<RepairResult> {
  const n = chunk.k + chunk.m;
  if (chunk.placement.length !== n) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'placement does not match the profile');
  const vacate = new Set((options.vacate ?? []).map(slotKey));
  const knownBad = new Set(options.knownBad ?? []);
  const shards: Array<Uint8Array | null> = new Array<Uint8Array | null>(n).fill(null);
  await Promise.all(
    chunk.placement.map(async (slot, i) => {
      if (knownBad.has(i)) return;
      try {
        shards[i] = await ctx.io.readShard(slot, keyOf(chunk, i));
      } catch {
        // Missing or damaged: rebuilt below.
      }
    }),
  );
  const good = shards.filter((s) => s !== null).length;
  const toMove = chunk.placement.map((slot, i) => (shards[i] === null || vacate.has(slotKey(slot)) ? i : -1)).filter((i) => i >= 0);
  if (toMove.length === 0) return { placement: [...chunk.placement], moved: [], underProtected: overCap(chunk.placement, chunk.m) };
  if (good < chunk.k) {
    throw new TesseraError(ErrorCodes.CHUNK_UNRECOVERABLE, `only ${good} of ${chunk.k} needed shards could be read`);
  }
  const missing = shards.some((s) => s === null);
  const complete = missing ? reconstruct(shards, chunk.k, chunk.m) : (shards as Uint8Array[]);
  return relocate(chunk, ctx, toMove, (i) => ({ payload: complete[i]!, rebuilt: shards[i] === null }));
}

/**
 * Writes shards `indexes` to new slots; `payloadOf` supplies each shard's
 * bytes. Shared by repair and evacuation.
 */
export async function relocate(
  chunk: CommittedChunk,
  ctx: RepairContext,
  indexes: readonly number[],
  payloadOf: (shardIndex: number) => { payload: Uint8Array; rebuilt: boolean },
): Promise<RepairResult> {
  const moving = new Set(indexes);
  const kept = chunk.placement.filter((_, i) => !moving.has(i));
  const { picker, avoid } = replacementPicker({
    topology: ctx.topology,
    pool: ctx.pool,
    chunkId: chunk.chunkId,
    m: chunk.m,
    kept,
    // Never a device the chunk already uses, nor one being vacated.
    avoid: [...chunk.placement],
  });
  const placement = [...chunk.placement];
  const moved: ShardMove[] = [];
  for (const i of [...indexes].sort((a, b) => a - b)) {
    const { payload, rebuilt } = payloadOf(i);
    for (;;) {
      const picked = picker.next(avoid);
      if (picked === undefined) {
        throw new TesseraError(ErrorCodes.INSUFFICIENT_DEVICES, 'no healthy device left for a repaired shard', { retriable: true });
      }
      try {
        await ctx.io.writeShard(picked.slot, {
          ...keyOf(chunk, i),
          payload,
          sysEpoch: chunk.sysEpoch,
          gatewayTime: chunk.gatewayTime,
          purpose: 'repair',
        });
      } catch {
        // That slot failed: the next rendezvous slot, never this one again.
        picker.release(picked.slot);
        avoid.add(slotKey(picked.slot));
        continue;
      }
      moved.push({ shardIndex: i, from: chunk.placement[i]!, to: picked.slot, rebuilt });
      placement[i] = picked.slot;
      break;
    }
  }
  return { placement, moved, underProtected: overCap(placement, chunk.m) };
}

function overCap(placement: readonly Slot[], m: number): boolean {
  const perNode = new Map<string, number>();
  for (const slot of placement) perNode.set(slot.nodeId, (perNode.get(slot.nodeId) ?? 0) + 1);
  return [...perNode.values()].some((c) => c > Math.max(1, m));
}

export function placementIncludes(placement: readonly Slot[], slot: Slot): boolean {
  return placement.some((s) => sameSlot(s, slot));
}
