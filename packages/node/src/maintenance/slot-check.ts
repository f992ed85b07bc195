/**
 * What the placement scrub concludes about one chunk record from the
 * answers its slots gave (pure). Full redundancy (issue #8) is k+m clean
 * shards of the committed writeId on distinct devices, at most m per node.
 *
 * A slot is bad when its shard is missing, its record's length differs from
 * the other shards' (all shards of a stripe have one length), its device is
 * failed/unknown on the node, or the committed table has the device
 * evacuating, failed or removed. A node holding more than m shards is
 * under-protected; when enough nodes are live to spread them, the excess
 * slots are moved (rebalance). A slot on a node that did not answer is
 * unknown: no repair is started for that alone (the node may be restarting;
 * an operator marks its devices failed to have them rebuilt).
 */
import { minNodesFor } from '@tessera/storage';
import type { DeviceState } from '../metadata/types.js';
import type { ChunkRecord, PlacementSlot } from '../metadata/types.js';

/** What a slot's node answered to HasShard. */
export type SlotObservation =
  | { readonly kind: 'present'; readonly length: number }
  | { readonly kind: 'absent' }
  /** The node answered that the device is failed or unknown to it. */
  | { readonly kind: 'device-unavailable' }
  /** No answer (unreachable, timed out). */
  | { readonly kind: 'unreachable' };

export type SlotProblem = 'missing' | 'corrupt' | 'device' | 'evacuating' | 'crowded';

export interface BadSlot {
  readonly shardIndex: number;
  readonly problem: SlotProblem;
}

export interface SlotVerdict {
  readonly bad: readonly BadSlot[];
  /** Slots whose node did not answer. */
  readonly unknown: number;
  /** Some node holds more than m of the current slots. */
  readonly underProtected: boolean;
}

/** Committed device states a shard may stay on. */
const KEEPABLE: ReadonlySet<DeviceState> = new Set(['healthy', 'degraded']);

export function judgeSlots(
  record: Pick<ChunkRecord, 'k' | 'm' | 'slots'>,
  observations: readonly SlotObservation[],
  deviceState: (slot: PlacementSlot) => DeviceState | undefined,
  /** Distinct live nodes with a healthy device in the pool. */
  spreadableNodes: number,
): SlotVerdict {
  const slots = [...record.slots].sort((a, b) => a.shardIndex - b.shardIndex);
  const bad = new Map<number, SlotProblem>();
  let unknown = 0;
  const lengths = observations.flatMap((o) => (o.kind === 'present' ? [o.length] : []));
  const usual = mode(lengths);
  slots.forEach((slot, i) => {
    const state = deviceState(slot);
    const seen = observations[i] ?? { kind: 'unreachable' };
    if (state === 'evacuating') bad.set(slot.shardIndex, 'evacuating');
    else if (state === undefined || !KEEPABLE.has(state)) bad.set(slot.shardIndex, 'device');
    else if (seen.kind === 'device-unavailable') bad.set(slot.shardIndex, 'device');
    else if (seen.kind === 'absent') bad.set(slot.shardIndex, 'missing');
    else if (seen.kind === 'present' && usual !== undefined && seen.length !== usual) bad.set(slot.shardIndex, 'corrupt');
    else if (seen.kind === 'unreachable') unknown++;
  });
  const perNode = new Map<string, PlacementSlot[]>();
  for (const slot of slots) perNode.set(slot.nodeId, [...(perNode.get(slot.nodeId) ?? []), slot]);
  const cap = Math.max(1, record.m);
  const underProtected = [...perNode.values()].some((s) => s.length > cap);
  if (underProtected && spreadableNodes >= minNodesFor(record.k, record.m)) {
    for (const onNode of perNode.values()) {
      // Slots leaving anyway count toward the excess first; then the highest shard indexes move.
      const staying = onNode.filter((s) => !bad.has(s.shardIndex));
      for (const slot of staying.slice(cap)) bad.set(slot.shardIndex, 'crowded');
    }
  }
  return { bad: [...bad].map(([shardIndex, problem]) => ({ shardIndex, problem })).sort((a, b) => a.shardIndex - b.shardIndex), unknown, underProtected };
}

/** The most common value (the lowest among ties); undefined for none. */
function mode(values: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && best !== undefined && v < best)) [best, bestCount] = [v, c];
  return best;
}
