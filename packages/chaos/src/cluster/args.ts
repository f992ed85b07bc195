/**
 * Process flags of a chaos cluster: Raft timing fit for a shared 2-core
 * machine, the device folders of a node, and the `--peer` overrides that
 * route each node's outgoing peer traffic through the fault proxies.
 */
import path from 'node:path';
import type { PeersOverride } from '../proxy/mesh.js';

/** 50 ms ticks, 1-2 s election timeout (DESIGN section 4 scaled for tests). */
export const CHAOS_RAFT_ARGS = ['--tick-ms', '50', '--election-ticks', '20', '--heartbeat-ticks', '1', '--log-level', 'info'] as const;

/** The longest a leaderless follower waits before campaigning, in ms (20 ticks × 2 × 50 ms). */
export const MAX_ELECTION_TIMEOUT_MS = 2_000;

export const DEFAULT_DEVICE_CAPACITY = 4 * 1024 * 1024 * 1024;

export interface DeviceSpec {
  readonly id: string;
  readonly path: string;
  readonly capacityBytes: number;
}

/** `count` device folders under the node's data dir: d1, d2, ... */
export function deviceSpecs(dataDir: string, count: number, capacityBytes = DEFAULT_DEVICE_CAPACITY): DeviceSpec[] {
  return Array.from({ length: count }, (_, i) => ({ id: `d${i + 1}`, path: path.join(dataDir, 'devices', `d${i + 1}`), capacityBytes }));
}

export function deviceArgs(devices: readonly DeviceSpec[]): string[] {
  return devices.flatMap((d) => ['--device', `${d.id}=${d.path}:${d.capacityBytes}`]);
}

/** `--peer ID=HOST:PORT` for each entry of a mesh's `peersConfig(id)`. */
export function peerArgs(peers: PeersOverride): string[] {
  return Object.entries(peers).flatMap(([id, { address }]) => ['--peer', `${id}=${address}`]);
}
