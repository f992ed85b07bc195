/**
 * The placement topology maintenance works with: the committed node/device
 * table, with nodes that just failed a shard call left out for a while (a
 * local circuit breaker, as the gateway's) so repairs and re-encryption do
 * not keep choosing a node that is down.
 */
import type { Topology } from '@tessera/storage';
import type { MetadataMachine } from '../metadata/machine.js';

/** A node that failed a shard call is not proposed for new shards this long. */
export const NODE_DOWN_MS = 10_000;

export class NodeLiveness {
  private readonly downUntil = new Map<string, number>();

  constructor(
    private readonly localNodeId: string,
    private readonly now: () => number = Date.now,
  ) {}

  markDown(nodeId: string): void {
    if (nodeId !== this.localNodeId) this.downUntil.set(nodeId, this.now() + NODE_DOWN_MS);
  }

  isLive(nodeId: string): boolean {
    return nodeId === this.localNodeId || (this.downUntil.get(nodeId) ?? 0) <= this.now();
  }
}

export function clusterTopology(machine: MetadataMachine, liveness: NodeLiveness): Topology {
  return {
    nodes: machine.nodes().map((n) => ({ nodeId: n.nodeId, live: liveness.isLive(n.nodeId) })),
    devices: machine.devices().map((d) => ({ nodeId: d.nodeId, deviceId: d.deviceId, pool: d.pool, state: d.state, capacityBytes: d.capacityBytes, usedBytes: 0 })),
  };
}

/** Distinct live nodes with at least one healthy device in the pool: how far shards can spread now. */
export function spreadableNodes(topology: Topology, pool: string): number {
  const live = new Set(topology.nodes.filter((n) => n.live).map((n) => n.nodeId));
  const nodes = new Set<string>();
  for (const d of topology.devices) if (d.pool === pool && d.state === 'healthy' && live.has(d.nodeId)) nodes.add(d.nodeId);
  return nodes.size;
}
