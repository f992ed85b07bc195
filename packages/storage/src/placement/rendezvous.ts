/**
 * Weighted rendezvous (highest-random-weight) hashing of chunks onto slots.
 *
 * Each (chunk, slot) pair gets a pseudo-random u ∈ (0, 1) from SHA-256; the
 * slot's score is weight / -ln(u), which makes the top slot a weighted random
 * choice with probability proportional to weight (capacity), and keeps the
 * ranking stable when slots come and go: removing a slot only moves the
 * chunks that ranked it first.
 */
import { createHash } from 'node:crypto';
import type { Slot } from './topology.js';

const TWO_53 = 2 ** 53;

/** u ∈ (0, 1), uniform, from the chunk id and the slot. */
export function slotHash(chunkId: Uint8Array, slot: Slot): number {
  const digest = createHash('sha256').update(chunkId).update('\u0000').update(slot.nodeId).update('\u0000').update(slot.deviceId).digest();
  const high = digest.readUInt32BE(0) >>> 11; // 21 bits
  const low = digest.readUInt32BE(4); // 32 bits
  return (high * 0x1_0000_0000 + low + 0.5) / TWO_53;
}

export function slotScore(chunkId: Uint8Array, slot: Slot, weight: number): number {
  return weight / -Math.log(slotHash(chunkId, slot));
}

/** Slots from most to least preferred for this chunk (ties, which are vanishingly rare, by name). */
export function rankSlots<T extends Slot>(chunkId: Uint8Array, slots: readonly T[], weight: (slot: T) => number = () => 1): T[] {
  const scored = slots.map((slot) => ({ slot, score: slotScore(chunkId, slot, Math.max(weight(slot), Number.MIN_VALUE)) }));
  scored.sort((a, b) => b.score - a.score || compare(a.slot.nodeId, b.slot.nodeId) || compare(a.slot.deviceId, b.slot.deviceId));
  return scored.map((s) => s.slot);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
