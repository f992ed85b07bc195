/**
 * The placement topology: the committed node/device table as placement sees
 * it (DESIGN section 7 keeps it in the metadata group). Pure data; the node
 * builds it from the committed table, liveness and reported usage.
 */
import type { DeviceState } from '../device/state.js';
import { usageLevel, type UsageLevel } from '../device/thresholds.js';

/** Where a shard lives: a device of a node. Readers use the committed slot, never recompute it. */
export interface Slot {
  readonly nodeId: string;
  readonly deviceId: string;
}

export interface TopologyDevice extends Slot {
  readonly pool: string;
  readonly state: DeviceState;
  readonly capacityBytes: number;
  readonly usedBytes: number;
}

export interface TopologyNode {
  readonly nodeId: string;
  /** Reachable now (heartbeats); placement only uses live nodes. */
  readonly live: boolean;
}

export interface Topology {
  readonly nodes: readonly TopologyNode[];
  readonly devices: readonly TopologyDevice[];
}

export function slotKey(slot: Slot): string {
  return `${slot.nodeId}\u0000${slot.deviceId}`;
}

export function sameSlot(a: Slot, b: Slot): boolean {
  return a.nodeId === b.nodeId && a.deviceId === b.deviceId;
}

export interface PoolUsage {
  readonly pool: string;
  readonly usedBytes: number;
  readonly capacityBytes: number;
  readonly level: UsageLevel;
  /** Distinct nodes with a device in the pool that is not removed (what profile acceptance counts). */
  readonly nodes: number;
  readonly devices: number;
}

/** Pool fill over its working devices (healthy, degraded, evacuating); removed and failed ones hold no usable space. */
export function poolUsage(topology: Topology, pool: string): PoolUsage {
  let used = 0;
  let capacity = 0;
  let devices = 0;
  const nodes = new Set<string>();
  for (const d of topology.devices) {
    if (d.pool !== pool || d.state === 'removed') continue;
    nodes.add(d.nodeId);
    devices++;
    if (d.state === 'failed') continue;
    used += d.usedBytes;
    capacity += d.capacityBytes;
  }
  return { pool, usedBytes: used, capacityBytes: capacity, level: usageLevel(used, capacity), nodes: nodes.size, devices };
}

/** Devices placement may propose: healthy, in the pool, on a live node, and themselves below critical fill. */
export function placeableDevices(topology: Topology, pool: string): TopologyDevice[] {
  const live = new Set(topology.nodes.filter((n) => n.live).map((n) => n.nodeId));
  return topology.devices.filter((d) => {
    if (d.pool !== pool || d.state !== 'healthy' || !live.has(d.nodeId)) return false;
    const level = usageLevel(d.usedBytes, d.capacityBytes);
    return level === 'ok' || level === 'warning';
  });
}
