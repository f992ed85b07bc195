/**
 * Automatic down-out (src/maintenance/down-out.ts and Maintenance.downOutTurn):
 * a storage node silent for downOutAfterMs in the leader's Raft view has its
 * healthy and degraded devices marked failed, never the leader, never below
 * minNodesFor(k, m) nodes with healthy devices in a pool. A virtual clock
 * drives every case.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Logger } from '@tessera/common';
import { decideDownOut, UnreachableSince, type DownOutInput } from '../src/maintenance/down-out.js';
import { Registry } from 'prom-client';
import { Maintenance } from '../src/maintenance/maintenance.js';
import { registerMaintenanceMetrics } from '../src/maintenance/metrics.js';
import { DEFAULT_MAINTENANCE } from '../src/maintenance/settings.js';
import type { MetadataCommand } from '../src/metadata/commands.js';
import type { DeviceRecord, DeviceState } from '../src/metadata/types.js';
import { resolveNodeConfig } from '../src/process/config.js';
import { Harness, T0 } from './support/metadata-fixtures.js';
import { MaintenanceCluster } from './support/maintenance-cluster.js';
import { samples } from '../../transport/test/support/exposition.js';

const AFTER = 60_000;

function device(nodeId: string, deviceId: string, state: DeviceState = 'healthy', pool = 'default'): Pick<DeviceRecord, 'nodeId' | 'deviceId' | 'pool' | 'state'> {
  return { nodeId, deviceId, pool, state };
}

/** Four nodes with two devices each; 4+2 needs three nodes. */
const FOUR = ['n1', 'n2', 'n3', 'n4'].flatMap((n) => [device(n, 'd1'), device(n, 'd2')]);

function input(overrides: Partial<DownOutInput> & { silentSince?: Record<string, number> }): DownOutInput {
  const silent = overrides.silentSince ?? {};
  return { now: T0, leaderId: 'n1', afterMs: AFTER, k: 4, m: 2, devices: FOUR, unreachableSince: (id) => silent[id], ...overrides };
}

describe('UnreachableSince', () => {
  it('keeps the start of an unbroken silence, forgets it on any contact, and forgets unlisted nodes', () => {
    const t = new UnreachableSince();
    let reachable = new Set(['n1', 'n2']);
    const nodes = ['n1', 'n2', 'n3'];
    t.observe(T0, nodes, (id) => reachable.has(id));
    t.observe(T0 + 1_000, nodes, (id) => reachable.has(id));
    expect(t.get('n3')).toBe(T0);
    expect(t.get('n2')).toBeUndefined();
    // One answer resets the silence: the next one starts later.
    reachable = new Set(['n1', 'n2', 'n3']);
    t.observe(T0 + 2_000, nodes, (id) => reachable.has(id));
    expect(t.get('n3')).toBeUndefined();
    reachable = new Set(['n1']);
    t.observe(T0 + 3_000, nodes, (id) => reachable.has(id));
    expect(t.get('n3')).toBe(T0 + 3_000);
    expect(t.get('n2')).toBe(T0 + 3_000);
    t.observe(T0 + 4_000, ['n1', 'n2'], (id) => reachable.has(id));
    expect(t.get('n3')).toBeUndefined();
    expect(t.get('n2')).toBe(T0 + 3_000);
    t.reset();
    expect(t.get('n2')).toBeUndefined();
  });
});

describe('decideDownOut', () => {
  it('downs out a node silent for the whole interval, not a moment earlier', () => {
    expect(decideDownOut(input({ now: T0 + AFTER - 1, silentSince: { n3: T0 } }))).toEqual({ downOut: [], held: [] });
    expect(decideDownOut(input({ now: T0 + AFTER, silentSince: { n3: T0 } }))).toEqual({ downOut: [{ nodeId: 'n3', deviceIds: ['d1', 'd2'], unreachableMs: AFTER }], held: [] });
  });

  it('is off at 0, and never downs out the leader itself', () => {
    expect(decideDownOut(input({ afterMs: 0, now: T0 + 10 * AFTER, silentSince: { n3: T0 } })).downOut).toEqual([]);
    expect(decideDownOut(input({ now: T0 + AFTER, silentSince: { n1: T0 } })).downOut).toEqual([]);
  });

  it('marks only healthy and degraded devices, and skips a node with none left', () => {
    const devices = [...FOUR.filter((d) => d.nodeId !== 'n3'), device('n3', 'd1', 'degraded'), device('n3', 'd2', 'failed'), device('n3', 'd3', 'evacuating')];
    expect(decideDownOut(input({ devices, now: T0 + AFTER, silentSince: { n3: T0 } })).downOut).toEqual([{ nodeId: 'n3', deviceIds: ['d1'], unreachableMs: AFTER }]);
    const gone = [...FOUR.filter((d) => d.nodeId !== 'n3'), device('n3', 'd1', 'failed'), device('n3', 'd2', 'removed')];
    expect(decideDownOut(input({ devices: gone, now: T0 + AFTER, silentSince: { n3: T0 } }))).toEqual({ downOut: [], held: [] });
  });

  it('holds a node whose departure would leave fewer than minNodesFor(k, m) nodes with healthy devices', () => {
    // Three nodes, 4+2: losing one would leave two, fewer than three.
    const three = FOUR.filter((d) => d.nodeId !== 'n4');
    expect(decideDownOut(input({ devices: three, now: T0 + AFTER, silentSince: { n3: T0 } }))).toEqual({ downOut: [], held: [{ nodeId: 'n3', pool: 'default', nodesLeft: 2, nodesNeeded: 3 }] });
    // Replication 1+2 needs ceil(3/2) = 2 nodes: the same loss is allowed.
    expect(decideDownOut(input({ devices: three, k: 1, m: 2, now: T0 + AFTER, silentSince: { n3: T0 } })).downOut.map((d) => d.nodeId)).toEqual(['n3']);
  });

  it('of two silent nodes only one goes when the pool can lose only one: the one silent longest', () => {
    const decision = decideDownOut(input({ now: T0 + 2 * AFTER, silentSince: { n3: T0 + 10, n4: T0 } }));
    expect(decision.downOut.map((d) => d.nodeId)).toEqual(['n4']);
    expect(decision.held).toEqual([{ nodeId: 'n3', pool: 'default', nodesLeft: 2, nodesNeeded: 3 }]);
    // With five nodes both may go.
    const five = [...FOUR, device('n5', 'd1')];
    expect(decideDownOut(input({ devices: five, now: T0 + 2 * AFTER, silentSince: { n3: T0 + 10, n4: T0 } })).downOut.map((d) => d.nodeId)).toEqual(['n4', 'n3']);
  });

  it('counts only healthy devices toward what a pool keeps, pool by pool', () => {
    // n2 is degraded only: the pool already has three nodes with healthy devices (n1, n3, n4); losing n4 leaves two.
    const devices = FOUR.map((d) => (d.nodeId === 'n2' ? { ...d, state: 'degraded' as const } : d));
    expect(decideDownOut(input({ devices, now: T0 + AFTER, silentSince: { n4: T0 } })).held.map((h) => h.nodeId)).toEqual(['n4']);
    // A silent node whose only healthy device is in a roomy pool, beside a tight pool it has no healthy device in.
    const pools = [...FOUR, device('n2', 'f1', 'healthy', 'fast'), device('n3', 'f1', 'healthy', 'fast'), device('n4', 'f1', 'degraded', 'fast')];
    expect(decideDownOut(input({ devices: pools, k: 1, m: 1, now: T0 + AFTER, silentSince: { n4: T0 } })).downOut).toEqual([{ nodeId: 'n4', deviceIds: ['d1', 'd2', 'f1'], unreachableMs: AFTER }]);
  });
});

describe('configuration', () => {
  const base = { cert: 'c', key: 'k', ca: 'a', crl: 'r', id: 'n1', dataDir: '/d/n1' };

  it('maintenance.downOutAfterMs: default 10 min, file and flag (which wins), 0 disables, bounded', () => {
    expect(resolveNodeConfig({}, base).maintenance.downOutAfterMs).toBe(600_000);
    expect(resolveNodeConfig({ maintenance: { downOutAfterMs: 5_000 } }, base).maintenance.downOutAfterMs).toBe(5_000);
    expect(resolveNodeConfig({ maintenance: { downOutAfterMs: 5_000 } }, { ...base, downOutAfterMs: 0 }).maintenance.downOutAfterMs).toBe(0);
    expect(() => resolveNodeConfig({}, { ...base, downOutAfterMs: 500 })).toThrow(/downOutAfterMs/);
    expect(() => resolveNodeConfig({ maintenance: { downOutAfterMs: 31 * 24 * 3600_000 } }, base)).toThrow(/downOutAfterMs/);
    expect(() => resolveNodeConfig({ maintenance: { downOutAfterMs: 'soon' } }, base)).toThrow(/downOutAfterMs/);
  });
});

describe('Maintenance.downOutTurn (the leader shell)', () => {
  let cluster: MaintenanceCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
    await Harness.closeAll();
  });

  it('proposes setDeviceState failed through the metadata machine once a node stayed silent long enough, logging one line', async () => {
    cluster = await MaintenanceCluster.start(['n1', 'n2', 'n3', 'n4'], ['d1', 'd2']);
    const c = cluster;
    let now = T0;
    let leader = true;
    const silent = new Set<string>();
    const proposed: MetadataCommand[] = [];
    const lines: Array<Record<string, unknown>> = [];
    const maintenance = new Maintenance({
      nodeId: 'n1',
      machine: c.machine,
      proposer: {
        propose: async (cmd) => {
          proposed.push(cmd);
          return c.proposer.propose(cmd);
        },
        isLeader: () => leader,
      },
      readBarrier: c.readBarrier,
      io: c,
      store: c.stores.get('n1')!,
      pool: 'default',
      settings: { ...DEFAULT_MAINTENANCE, downOutAfterMs: AFTER },
      clock: () => now,
      logger: new Logger({ level: 'info', sink: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) } }),
      downOut: {
        profile: { k: 4, m: 2 },
        raftProgress: () => new Map(['n2', 'n3', 'n4'].map((id) => [id, { recentActive: !silent.has(id) }])),
      },
    });
    const states = (nodeId: string): string[] => c.machine.devices().filter((d) => d.nodeId === nodeId).map((d) => d.state);

    silent.add('n4');
    await maintenance.downOutTurn();
    now += AFTER - 1;
    await maintenance.downOutTurn();
    expect(proposed).toEqual([]);
    // Leadership lost and regained: the new term's silence starts over.
    leader = false;
    await maintenance.downOutTurn();
    leader = true;
    now += 1;
    await maintenance.downOutTurn();
    now += AFTER - 1;
    await maintenance.downOutTurn();
    expect(proposed).toEqual([]);
    now += 1;
    await maintenance.downOutTurn();
    expect(proposed.map((p) => p.op === 'setDeviceState' && `${p.nodeId}/${p.deviceId}:${p.state}`)).toEqual(['n4/d1:failed', 'n4/d2:failed']);
    expect(states('n4')).toEqual(['failed', 'failed']);
    expect(states('n3')).toEqual(['healthy', 'healthy']);
    expect(maintenance.downOutCount()).toBe(1);
    const registry = new Registry();
    registerMaintenanceMetrics(registry, maintenance);
    expect(samples(await registry.metrics()).find((s) => s.name === 'tessera_storage_nodes_down_out_total')?.value).toBe(1);
    const downOuts = lines.filter((l) => typeof l['msg'] === 'string' && l['msg'].startsWith('node down-out'));
    expect(downOuts).toHaveLength(1);
    expect(downOuts[0]).toMatchObject({ level: 'info', peerNode: 'n4', devices: 'd1,d2', unreachableMs: AFTER });

    // Nothing more to do for n4; n3 going silent now would leave two nodes for 4+2: held, logged once, never proposed.
    silent.add('n3');
    await maintenance.downOutTurn();
    now += 2 * AFTER;
    await maintenance.downOutTurn();
    await maintenance.downOutTurn();
    expect(proposed).toHaveLength(2);
    expect(states('n3')).toEqual(['healthy', 'healthy']);
    expect(lines.filter((l) => l['peerNode'] === 'n3' && l['level'] === 'warn')).toHaveLength(1);
    await maintenance.stop();
  });
});
