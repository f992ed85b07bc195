/**
 * Proposing slots for a chunk's k+m shards (DESIGN section 6).
 *
 * Rules, in order of strength:
 *  - only healthy devices of the pool on live nodes, each below critical
 *    fill, in a pool below critical fill (POOL_CRITICAL otherwise);
 *  - one shard per device, always: fewer than k+m such devices is
 *    INSUFFICIENT_DEVICES (retriable);
 *  - at most m shards per node (full redundancy: losing a node loses at most
 *    m shards). When too few nodes are live for that, only this rule is
 *    relaxed — shards go to the nodes holding the fewest — and the placement
 *    says the chunk is under-protected.
 * Within those rules the rendezvous order of the chunk decides. A slot that
 * fails during the write is replaced by the next slot in that order; the
 * caller records the placement actually written.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { assertPlaceable } from '../device/thresholds.js';
import { rankSlots } from './rendezvous.js';
import { placeableDevices, poolUsage, slotKey, type Slot, type Topology, type TopologyDevice } from './topology.js';

export interface PlacementRequest {
  readonly topology: Topology;
  readonly pool: string;
  readonly chunkId: Uint8Array;
  readonly k: number;
  readonly m: number;
  /** Slots not to use (known bad). */
  readonly avoid?: readonly Slot[];
}

export interface Placement {
  /** slots[i] holds shard i. */
  readonly slots: readonly Slot[];
  /** More than m shards on some node: a node loss could lose the chunk. */
  readonly underProtected: boolean;
}

/**
 * Picks slots in rendezvous order under the per-node cap, then (relaxed)
 * on the node with the fewest shards so far.
 */
export class SlotPicker {
  private readonly perNode = new Map<string, number>();
  private readonly used = new Set<string>();

  constructor(
    private readonly ranked: readonly TopologyDevice[],
    private readonly cap: number,
    taken: readonly Slot[] = [],
  ) {
    for (const slot of taken) this.take(slot);
  }

  take(slot: Slot): void {
    this.used.add(slotKey(slot));
    this.perNode.set(slot.nodeId, (this.perNode.get(slot.nodeId) ?? 0) + 1);
  }

  release(slot: Slot): void {
    this.used.delete(slotKey(slot));
    this.perNode.set(slot.nodeId, Math.max(0, (this.perNode.get(slot.nodeId) ?? 0) - 1));
  }

  /** The next slot, marked taken; undefined when no unused device is left. */
  next(avoid: ReadonlySet<string>): { slot: Slot; relaxed: boolean } | undefined {
    let fallback: TopologyDevice | undefined;
    for (const device of this.ranked) {
      const key = slotKey(device);
      if (this.used.has(key) || avoid.has(key)) continue;
      const onNode = this.perNode.get(device.nodeId) ?? 0;
      if (onNode < this.cap) {
        this.take(device);
        return { slot: { nodeId: device.nodeId, deviceId: device.deviceId }, relaxed: false };
      }
      if (fallback === undefined || onNode < (this.perNode.get(fallback.nodeId) ?? 0)) fallback = device;
    }
    if (fallback === undefined) return undefined;
    this.take(fallback);
    return { slot: { nodeId: fallback.nodeId, deviceId: fallback.deviceId }, relaxed: true };
  }

  /** Whether any node holds more than the cap. */
  overCap(): boolean {
    for (const count of this.perNode.values()) if (count > this.cap) return true;
    return false;
  }
}

export function perNodeCap(m: number): number {
  return Math.max(1, m);
}

/** A placement for a new write, with replacement of slots that fail while writing. */
export class PlacementPlan implements Placement {
  private readonly current: Slot[];
  private readonly avoid: Set<string>;
  private readonly picker: SlotPicker;

  private constructor(ranked: readonly TopologyDevice[], request: PlacementRequest) {
    this.avoid = new Set((request.avoid ?? []).map(slotKey));
    this.picker = new SlotPicker(ranked, perNodeCap(request.m));
    this.current = [];
    for (let i = 0; i < request.k + request.m; i++) {
      const picked = this.picker.next(this.avoid);
      if (picked === undefined) throw insufficient();
      this.current.push(picked.slot);
    }
  }

  static propose(request: PlacementRequest): PlacementPlan {
    const { topology, pool, chunkId, k, m } = request;
    if (!Number.isInteger(k) || !Number.isInteger(m) || k < 1 || m < 0 || k + m > 255) {
      throw new TesseraError(ErrorCodes.ERASURE_BAD_PARAMS, 'erasure profile must satisfy 1 <= k, 0 <= m, k + m <= 255');
    }
    const usage = poolUsage(topology, pool);
    if (usage.capacityBytes === 0) throw insufficient();
    assertPlaceable(usage.level);
    const avoid = new Set((request.avoid ?? []).map(slotKey));
    const eligible = placeableDevices(topology, pool).filter((d) => !avoid.has(slotKey(d)));
    if (eligible.length < k + m) throw insufficient();
    return new PlacementPlan(
      rankSlots(chunkId, eligible, (d) => d.capacityBytes),
      request,
    );
  }

  get slots(): readonly Slot[] {
    return this.current;
  }

  get underProtected(): boolean {
    return this.picker.overCap();
  }

  /**
   * Shard `index` could not be written to its slot: the next rendezvous slot
   * (INSUFFICIENT_DEVICES when none is left). The failed slot is not proposed again.
   */
  replace(index: number): Slot {
    const failed = this.current[index];
    if (failed === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'no such shard index in the placement');
    this.avoid.add(slotKey(failed));
    this.picker.release(failed);
    const picked = this.picker.next(this.avoid);
    if (picked === undefined) throw insufficient();
    this.current[index] = picked.slot;
    return picked.slot;
  }

  snapshot(): Placement {
    return { slots: [...this.current], underProtected: this.underProtected };
  }
}

/** Convenience: the proposed placement of a new write. */
export function proposePlacement(request: PlacementRequest): PlacementPlan {
  return PlacementPlan.propose(request);
}

/**
 * A picker for repair: new slots for some shards of an existing placement,
 * honouring the cap against the slots that stay, never reusing a device the
 * chunk already has (kept or being replaced).
 */
export function replacementPicker(request: {
  readonly topology: Topology;
  readonly pool: string;
  readonly chunkId: Uint8Array;
  readonly m: number;
  readonly kept: readonly Slot[];
  readonly avoid: readonly Slot[];
}): { picker: SlotPicker; avoid: Set<string> } {
  const ranked = rankSlots(request.chunkId, placeableDevices(request.topology, request.pool), (d) => d.capacityBytes);
  const picker = new SlotPicker(ranked, perNodeCap(request.m), request.kept);
  return { picker, avoid: new Set(request.avoid.map(slotKey)) };
}

function insufficient(): TesseraError {
  return new TesseraError(ErrorCodes.INSUFFICIENT_DEVICES, 'not enough healthy devices for this erasure profile', { retriable: true });
}
