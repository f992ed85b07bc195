/**
 * The operator's view of the committed node/device table (issue #9, Admin
 * ListDevices and ClusterOverview): device rows, pool fill with its threshold
 * level, and what data placed now survives. Pure: reads a metadata machine
 * (after the caller's ReadIndex) and this node's measured device usage.
 */
import { poolUsage, survivability, type Topology } from '@tessera/storage';
import type { MetadataMachine } from '../metadata/machine.js';
import type { DeviceRecord } from '../metadata/types.js';

export type OverviewMachine = Pick<MetadataMachine, 'devices' | 'nodes' | 'chunksOnDevice'>;

export interface DeviceRow {
  readonly device: DeviceRecord;
  /** Measured bytes of extent files; undefined unless this node owns the device. */
  readonly measuredBytes: number | undefined;
  /** Bytes the committed table places on the device: ceil(size / k) per current shard. */
  readonly committedBytes: number;
  /** Live chunks with a current shard on the device. */
  readonly chunks: number;
}

export interface PoolRow {
  readonly pool: string;
  readonly usedBytes: number;
  readonly capacityBytes: number;
  readonly level: string;
  readonly nodes: number;
  readonly devices: number;
  readonly k: number;
  readonly m: number;
  readonly fullRedundancy: boolean;
  readonly nodeFailures: number;
  readonly deviceFailures: number;
  readonly tolerance: string;
}

/** One row per committed device, ordered by (node, device). */
export function deviceRows(machine: OverviewMachine, measuredBytes: (nodeId: string, deviceId: string) => number | undefined): DeviceRow[] {
  const devices = machine.devices().sort((a, b) => (a.nodeId === b.nodeId ? cmp(a.deviceId, b.deviceId) : cmp(a.nodeId, b.nodeId)));
  return devices.map((device) => {
    const records = machine.chunksOnDevice(device.nodeId, device.deviceId, Number.MAX_SAFE_INTEGER);
    let committedBytes = 0;
    for (const r of records) {
      const shards = r.slots.filter((s) => s.nodeId === device.nodeId && s.deviceId === device.deviceId).length;
      committedBytes += shards * Math.ceil(r.size / r.k);
    }
    return { device, measuredBytes: measuredBytes(device.nodeId, device.deviceId), committedBytes, chunks: records.length };
  });
}

/**
 * Pool fill and failure tolerance for the default profile. Fill uses the
 * measured usage where this node has it and the committed shard bytes
 * elsewhere (other nodes' usage is not replicated).
 */
export function poolRows(machine: OverviewMachine, rows: readonly DeviceRow[], profile: { readonly k: number; readonly m: number }, isLive: (nodeId: string) => boolean): PoolRow[] {
  const topology: Topology = {
    nodes: machine.nodes().map((n) => ({ nodeId: n.nodeId, live: isLive(n.nodeId) })),
    devices: rows.map((r) => ({
      nodeId: r.device.nodeId,
      deviceId: r.device.deviceId,
      pool: r.device.pool,
      state: r.device.state,
      capacityBytes: r.device.capacityBytes,
      usedBytes: r.measuredBytes ?? r.committedBytes,
    })),
  };
  const pools = [...new Set(rows.map((r) => r.device.pool))].sort(cmp);
  return pools.map((pool) => {
    const usage = poolUsage(topology, pool);
    const tolerance = survivability(topology, pool, profile.k, profile.m);
    return {
      pool,
      usedBytes: usage.usedBytes,
      capacityBytes: usage.capacityBytes,
      level: usage.level,
      nodes: usage.nodes,
      devices: usage.devices,
      k: tolerance.k,
      m: tolerance.m,
      fullRedundancy: tolerance.fullRedundancy,
      nodeFailures: tolerance.nodeFailures,
      deviceFailures: tolerance.deviceFailures,
      tolerance: tolerance.summary,
    };
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
