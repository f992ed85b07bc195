import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '@tessera/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeviceState } from '../src/device/state.js';
import { proposePlacement } from '../src/placement/plan.js';
import { acceptProfile, minNodesFor, survivability } from '../src/placement/profile.js';
import { rankSlots } from '../src/placement/rendezvous.js';
import { slotKey, type Slot, type Topology, type TopologyDevice } from '../src/placement/topology.js';

const GiB = 1024 ** 3;

function topology(nodes: number, devicesPerNode: number, overrides: (d: TopologyDevice) => Partial<TopologyDevice> = () => ({}), down: string[] = []): Topology {
  const devices: TopologyDevice[] = [];
  for (let n = 1; n <= nodes; n++) {
    for (let d = 1; d <= devicesPerNode; d++) {
      const base: TopologyDevice = { nodeId: `n${n}`, deviceId: `d${d}`, pool: 'p', state: 'healthy', capacityBytes: GiB, usedBytes: 0 };
      devices.push({ ...base, ...overrides(base) });
    }
  }
  return { nodes: Array.from({ length: nodes }, (_, i) => ({ nodeId: `n${i + 1}`, live: !down.includes(`n${i + 1}`) })), devices };
}

function perNode(slots: readonly Slot[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of slots) out.set(s.nodeId, (out.get(s.nodeId) ?? 0) + 1);
  return out;
}

describe('rendezvous placement', () => {
  it('is deterministic per chunk and spreads chunks evenly over slots', () => {
    const topo = topology(4, 3);
    const chunk = randomBytes(32);
    expect(proposePlacement({ topology: topo, pool: 'p', chunkId: chunk, k: 4, m: 2 }).slots).toEqual(
      proposePlacement({ topology: topo, pool: 'p', chunkId: chunk, k: 4, m: 2 }).slots,
    );
    const firsts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const top = rankSlots(randomBytes(32), topo.devices)[0]!;
      firsts.set(slotKey(top), (firsts.get(slotKey(top)) ?? 0) + 1);
    }
    expect(firsts.size).toBe(12);
    for (const count of firsts.values()) expect(count).toBeGreaterThan(150); // 250 expected each
  });

  it('moves only the chunks that ranked a removed slot first', () => {
    const topo = topology(4, 3);
    const without = { ...topo, devices: topo.devices.filter((d) => !(d.nodeId === 'n2' && d.deviceId === 'd2')) };
    for (let i = 0; i < 300; i++) {
      const chunk = randomBytes(32);
      const before = rankSlots(chunk, topo.devices)[0]!;
      const after = rankSlots(chunk, without.devices)[0]!;
      if (!(before.nodeId === 'n2' && before.deviceId === 'd2')) expect(slotKey(after)).toBe(slotKey(before));
    }
  });

  it('honours every rule: distinct devices, at most m per node, only healthy devices on live nodes (property)', () => {
    const states: DeviceState[] = ['healthy', 'healthy', 'healthy', 'degraded', 'evacuating', 'failed', 'removed'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat({ max: states.length - 1 }), { minLength: 32, maxLength: 32 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.constantFrom([4, 2], [8, 3], [1, 2], [2, 1]),
        (nodes, perNodeDevices, stateIdx, live, [k, m]) => {
          let i = 0;
          const topo = topology(nodes, perNodeDevices, () => ({ state: states[stateIdx[i++ % 32]!]! }));
          const liveTopo: Topology = { ...topo, nodes: topo.nodes.map((n, j) => ({ ...n, live: live[j]! })) };
          const healthy = liveTopo.devices.filter((d) => d.state === 'healthy' && liveTopo.nodes.find((n) => n.nodeId === d.nodeId)!.live);
          let plan;
          try {
            plan = proposePlacement({ topology: liveTopo, pool: 'p', chunkId: randomBytes(32), k: k!, m: m! });
          } catch (err) {
            expect(err).toMatchObject({ code: ErrorCodes.INSUFFICIENT_DEVICES, retriable: true });
            expect(healthy.length).toBeLessThan(k! + m!);
            return;
          }
          const slots = plan.slots;
          expect(slots).toHaveLength(k! + m!);
          expect(new Set(slots.map(slotKey)).size).toBe(slots.length);
          for (const s of slots) expect(healthy.some((h) => h.nodeId === s.nodeId && h.deviceId === s.deviceId)).toBe(true);
          const counts = perNode(slots);
          const maxPerNode = Math.max(...counts.values());
          expect(plan.underProtected).toBe(maxPerNode > m!);
          // Relaxed only when the live topology cannot give at most m per node.
          const room = [...new Set(healthy.map((h) => h.nodeId))].reduce((sum, node) => sum + Math.min(m!, healthy.filter((h) => h.nodeId === node).length), 0);
          expect(plan.underProtected).toBe(room < k! + m!);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes the next rendezvous slot when one fails, never the failed one again', () => {
    const topo = topology(4, 2);
    const chunk = randomBytes(32);
    const plan = proposePlacement({ topology: topo, pool: 'p', chunkId: chunk, k: 4, m: 2 });
    const first = plan.slots[3]!;
    const replaced = plan.replace(3);
    expect(slotKey(replaced)).not.toBe(slotKey(first));
    expect(new Set(plan.slots.map(slotKey)).size).toBe(6);
    expect(plan.replace(3)).toBeDefined();
    expect(plan.slots.map(slotKey)).not.toContain(slotKey(first));
    // 8 devices, 6 in use, 2 already failed: nothing left.
    expect(() => plan.replace(3)).toThrow(expect.objectContaining({ code: ErrorCodes.INSUFFICIENT_DEVICES }));
  });

  it('relaxes only the per-node rule when too few nodes are live, and says so', () => {
    const topo = topology(3, 3, () => ({}), ['n3']);
    const plan = proposePlacement({ topology: topo, pool: 'p', chunkId: randomBytes(32), k: 4, m: 2 });
    expect(plan.underProtected).toBe(true);
    expect(Math.max(...perNode(plan.slots).values())).toBe(3);
    expect(plan.slots.every((s) => s.nodeId !== 'n3')).toBe(true);
  });

  it('places nothing on a pool at or over critical, nor on a device that is', () => {
    const critical = topology(3, 2, () => ({ usedBytes: 0.86 * GiB }));
    expect(() => proposePlacement({ topology: critical, pool: 'p', chunkId: randomBytes(32), k: 2, m: 1 })).toThrow(
      expect.objectContaining({ code: ErrorCodes.POOL_CRITICAL, retriable: true }),
    );
    const oneHot = topology(3, 2, (d) => (d.nodeId === 'n1' && d.deviceId === 'd1' ? { usedBytes: 0.9 * GiB } : {}));
    for (let i = 0; i < 50; i++) {
      const slots = proposePlacement({ topology: oneHot, pool: 'p', chunkId: randomBytes(32), k: 3, m: 2 }).slots;
      expect(slots.some((s) => s.nodeId === 'n1' && s.deviceId === 'd1')).toBe(false);
    }
  });
});

describe('profiles and survivability', () => {
  it('accepts k+m only on a pool spanning ceil((k+m)/m) nodes', () => {
    expect(minNodesFor(4, 2)).toBe(3);
    expect(minNodesFor(8, 3)).toBe(4);
    expect(minNodesFor(1, 2)).toBe(2);
    expect(() => acceptProfile(topology(3, 4), 'p', 4, 2)).not.toThrow();
    expect(() => acceptProfile(topology(2, 8), 'p', 4, 2)).toThrow(expect.objectContaining({ code: ErrorCodes.POOL_PROFILE_REJECTED }));
    expect(() => acceptProfile(topology(3, 4), 'p', 8, 3)).toThrow(expect.objectContaining({ code: ErrorCodes.POOL_PROFILE_REJECTED }));
    expect(() => acceptProfile(topology(4, 4), 'p', 8, 3)).not.toThrow();
  });

  it('reports node and device losses a fully redundant chunk survives', () => {
    expect(survivability(topology(3, 3), 'p', 4, 2).summary).toBe('can lose 1 node or 2 devices');
    expect(survivability(topology(6, 1), 'p', 4, 2).summary).toBe('can lose 2 nodes or 2 devices');
    expect(survivability(topology(4, 3), 'p', 8, 3)).toMatchObject({ nodeFailures: 1, deviceFailures: 3, fullRedundancy: true });
    expect(survivability(topology(11, 1), 'p', 8, 3).summary).toBe('can lose 3 nodes or 3 devices');
    const twoLive = survivability(topology(3, 3, () => ({}), ['n3']), 'p', 4, 2);
    expect(twoLive).toMatchObject({ fullRedundancy: false, nodeFailures: 0, placeable: true });
    expect(twoLive.summary).toContain('under-protected');
    expect(survivability(topology(2, 2), 'p', 4, 2)).toMatchObject({ placeable: false, nodeFailures: 0, deviceFailures: 0 });
  });
});
