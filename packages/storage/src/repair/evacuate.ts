/**
 * Evacuation: move every shard off one device (DESIGN section 6).
 *
 * For each shard the device holds, the committed record decides: a shard no
 * committed placement names at this slot (an orphan, a retired writeId) is
 * skipped — GC owns it; otherwise the shard is copied to a new slot, or
 * rebuilt from the other shards when its own copy is damaged. Every move is
 * reported (per chunk, through `onMoved`, so the node can commit each new
 * placement as it goes) and counted. The device keeps serving reads meanwhile.
 */
import type { ShardKey } from '../format/shard-key.js';
import { sameSlot, type Slot } from '../placement/topology.js';
import { relocate, repairChunk, type RepairResult } from './repair.js';
import { keyOf, type CommittedChunk, type RepairContext } from './types.js';

export interface EvacuationInput extends RepairContext {
  /** The device being emptied. */
  readonly slot: Slot;
  /** Every shard key on the device (the node pages through its listing). */
  readonly shards: AsyncIterable<ShardKey>;
  /** The committed record for a key's chunk and writeId, if any. */
  lookup(key: ShardKey): Promise<CommittedChunk | undefined>;
  /** Called after each chunk's shard moved, with the new placement to commit. */
  onMoved?(chunk: CommittedChunk, result: RepairResult): Promise<void> | void;
  onProgress?(progress: EvacuationProgress): void;
}

export interface EvacuationProgress {
  readonly examined: number;
  readonly moved: number;
  readonly rebuilt: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface EvacuationReport extends EvacuationProgress {
  readonly failures: ReadonlyArray<{ readonly key: ShardKey; readonly error: unknown }>;
}

export async function evacuateDevice(input: EvacuationInput): Promise<EvacuationReport> {
  let examined = 0;
  let moved = 0;
  let rebuilt = 0;
  let skipped = 0;
  const failures: Array<{ key: ShardKey; error: unknown }> = [];
  const progress = (): EvacuationProgress => ({ examined, moved, rebuilt, skipped, failed: failures.length });
  for await (const key of input.shards) {
    examined++;
    const chunk = await input.lookup(key);
    const slot = chunk?.placement[key.shardIndex];
    if (chunk === undefined || slot === undefined || !sameSlot(slot, input.slot) || Buffer.compare(chunk.writeId, key.writeId) !== 0) {
      skipped++;
      input.onProgress?.(progress());
      continue;
    }
    try {
      const result = await moveOne(input, chunk, key.shardIndex);
      for (const m of result.moved) {
        moved++;
        if (m.rebuilt) rebuilt++;
      }
      await input.onMoved?.(chunk, result);
    } catch (error) {
      failures.push({ key, error });
    }
    input.onProgress?.(progress());
  }
  return { ...progress(), failures };
}

/** Copies the shard if it reads fine; otherwise rebuilds it from the others. */
async function moveOne(input: EvacuationInput, chunk: CommittedChunk, index: number): Promise<RepairResult> {
  let payload: Uint8Array;
  try {
    payload = await input.io.readShard(input.slot, keyOf(chunk, index));
  } catch {
    return repairChunk(chunk, input, { vacate: [input.slot], knownBad: [index] });
  }
  return relocate(chunk, input, [index], () => ({ payload, rebuilt: false }));
}
