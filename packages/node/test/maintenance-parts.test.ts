/**
 * The pure and small parts of maintenance: the slot verdict, the repair
 * queue (dedup, merge, urgency, concurrency, bounded history), the device
 * scrub's quarantine of damaged records, failed-device reports, the
 * configuration block, and the orchestrator's leader turns and status.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '@tessera/common/testing';
import { RECORD_HEADER_BYTES, ShardStore } from '@tessera/storage';
import { DeviceScrubber } from '../src/maintenance/device-scrub.js';
import { reportFailedDevices } from '../src/maintenance/device-health.js';
import { Maintenance } from '../src/maintenance/maintenance.js';
import { RepairQueue, type RepairReport, type RepairTask } from '../src/maintenance/repair-queue.js';
import { DEFAULT_MAINTENANCE, REPAIR_HISTORY } from '../src/maintenance/settings.js';
import { judgeSlots, type SlotObservation } from '../src/maintenance/slot-check.js';
import { resolveNodeConfig } from '../src/process/config.js';
import type { DeviceState, PlacementSlot } from '../src/metadata/types.js';
import { MaintenanceCluster, quietLogger, slot } from './support/maintenance-cluster.js';
import { registerMaintenanceMetrics } from '../src/maintenance/metrics.js';
import { Registry } from 'prom-client';
import { samples } from '../../transport/test/support/exposition.js';
import { PROMTOOL_HINT, itWithTool, promtoolCheckMetrics } from '../../transport/test/support/promtool.js';

const dirs = tempDirs('tessera-maintenance-parts-');
afterEach(async () => dirs.cleanup());

const SIX: PlacementSlot[] = ['n1', 'n2', 'n3', 'n1', 'n2', 'n3'].map((nodeId, shardIndex) => ({ nodeId, deviceId: `d${1 + Math.floor(shardIndex / 3)}`, shardIndex }));
const present = (length = 100): SlotObservation => ({ kind: 'present', length });
const healthy = (): DeviceState => 'healthy';

describe('judgeSlots', () => {
  it('finds nothing wrong with six present shards of one length on healthy devices', () => {
    expect(judgeSlots({ k: 4, m: 2, slots: SIX }, SIX.map(() => present()), healthy, 3)).toEqual({ bad: [], unknown: 0, underProtected: false });
  });

  it('names each problem: missing, wrong length, failed or unknown device, evacuating; an unreachable node is unknown', () => {
    const seen: SlotObservation[] = [{ kind: 'absent' }, present(99), { kind: 'device-unavailable' }, { kind: 'unreachable' }, present(), present()];
    const states = (s: PlacementSlot): DeviceState | undefined => (s.shardIndex === 4 ? 'evacuating' : s.shardIndex === 5 ? undefined : s.shardIndex === 3 ? 'degraded' : 'healthy');
    expect(judgeSlots({ k: 4, m: 2, slots: SIX }, seen, states, 3)).toEqual({
      bad: [
        { shardIndex: 0, problem: 'missing' },
        { shardIndex: 1, problem: 'corrupt' },
        { shardIndex: 2, problem: 'device' },
        { shardIndex: 4, problem: 'evacuating' },
        { shardIndex: 5, problem: 'device' },
      ],
      unknown: 1,
      underProtected: false,
    });
    for (const state of ['failed', 'removed'] as const) {
      expect(judgeSlots({ k: 4, m: 2, slots: SIX }, SIX.map(() => present()), (s) => (s.shardIndex === 0 ? state : 'healthy'), 3).bad).toEqual([{ shardIndex: 0, problem: 'device' }]);
    }
  });

  it('moves the excess of a crowded node only when enough nodes can take it', () => {
    const crowded = SIX.map((s, i) => ({ ...s, nodeId: i < 4 ? 'n1' : 'n2', deviceId: `d${i}` }));
    const seen = crowded.map(() => present());
    expect(judgeSlots({ k: 4, m: 2, slots: crowded }, seen, healthy, 2)).toEqual({ bad: [], unknown: 0, underProtected: true });
    expect(judgeSlots({ k: 4, m: 2, slots: crowded }, seen, healthy, 3).bad).toEqual([
      { shardIndex: 2, problem: 'crowded' },
      { shardIndex: 3, problem: 'crowded' },
    ]);
    // A slot already leaving counts toward the excess.
    const withMissing = seen.map((o, i) => (i === 0 ? ({ kind: 'absent' } as const) : o));
    expect(judgeSlots({ k: 4, m: 2, slots: crowded }, withMissing, healthy, 3).bad).toEqual([
      { shardIndex: 0, problem: 'missing' },
      { shardIndex: 3, problem: 'crowded' },
    ]);
  });

  it('never flags more than it was given and never throws, whatever the answers', () => {
    const observation = fc.oneof(
      fc.record({ kind: fc.constant('present' as const), length: fc.integer({ min: 0, max: 3 }) }),
      fc.constant({ kind: 'absent' as const }),
      fc.constant({ kind: 'device-unavailable' as const }),
      fc.constant({ kind: 'unreachable' as const }),
    );
    fc.assert(
      fc.property(fc.array(observation, { minLength: 6, maxLength: 6 }), fc.array(fc.constantFrom<DeviceState>('healthy', 'degraded', 'evacuating', 'failed', 'removed'), { minLength: 6, maxLength: 6 }), fc.integer({ min: 0, max: 5 }), (seen, states, spread) => {
        const v = judgeSlots({ k: 4, m: 2, slots: SIX }, seen, (s) => states[s.shardIndex], spread);
        expect(new Set(v.bad.map((b) => b.shardIndex)).size).toBe(v.bad.length);
        expect(v.bad.length + v.unknown).toBeLessThanOrEqual(6);
        for (const b of v.bad) if (b.problem === 'missing') expect(seen[b.shardIndex]!.kind).toBe('absent');
      }),
      { numRuns: 200 },
    );
  });
});

function task(n: number, reason: RepairTask['reason'] = 'missing', knownBad: number[] = [0]): RepairTask {
  return { chunkId: Buffer.alloc(32, n), writeId: Buffer.alloc(16, n), judged: SIX, reason, knownBad, vacate: [] };
}

describe('RepairQueue', () => {
  it('runs at most `concurrency` repairs, most urgent first, merging a second request for a waiting chunk', async () => {
    const started: RepairTask[] = [];
    const release: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const queue = new RepairQueue(
      async (t) => {
        started.push(t);
        most = Math.max(most, ++running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
        return { outcome: 'ok', moved: [{ shardIndex: 0, from: slot('n1', 'd1'), to: slot('n2', 'd3'), rebuilt: true }] };
      },
      { concurrency: 1 },
    );
    expect(queue.enqueue(task(1, 'under-protected', []))).toBe(true);
    expect(queue.enqueue(task(2, 'evacuate', []))).toBe(true);
    expect(queue.enqueue(task(3, 'missing', [1]))).toBe(true);
    expect(queue.enqueue({ ...task(3, 'device', []), vacate: [slot('n3', 'd1')] })).toBe(true);
    expect(queue.length).toBe(2);
    expect(queue.has(Buffer.alloc(32, 3))).toBe(true);
    const drain = async (): Promise<void> => {
      while (release.length > 0 || queue.length > 0 || queue.active > 0) {
        await new Promise((r) => setImmediate(r));
        release.shift()?.();
      }
    };
    await drain();
    await queue.idle();
    expect(most).toBe(1);
    expect(started.map((t) => t.chunkId[0])).toEqual([1, 3, 2]);
    expect(started[1]).toMatchObject({ reason: 'missing', knownBad: [1], vacate: [slot('n3', 'd1')] });
    expect(queue.count('missing', 'ok')).toBe(1);
    expect(queue.shardsMoved).toBe(3);
  });

  it('refuses beyond its limit, counts thrown repairs as failed, and keeps the last REPAIR_HISTORY entries', async () => {
    const queue = new RepairQueue(async (t): Promise<RepairReport> => {
      if (t.chunkId[0] === 0) throw new Error('boom');
      return { outcome: 'nothing', moved: [] };
    }, { concurrency: 2, limit: 1 });
    for (let i = 0; i < REPAIR_HISTORY + 20; i++) {
      queue.enqueue(task(i % 250));
      await queue.idle();
    }
    expect(queue.count('missing', 'failed')).toBe(1);
    expect(queue.history()).toHaveLength(REPAIR_HISTORY);
    expect(queue.history()[0]!.chunk).toHaveLength(16);
    const blocked = new RepairQueue(() => new Promise<RepairReport>(() => undefined), { concurrency: 1, limit: 1 });
    expect(blocked.enqueue(task(1))).toBe(true); // runs
    expect(blocked.enqueue(task(2))).toBe(true); // waits
    expect(blocked.enqueue(task(3))).toBe(false); // full
    blocked.stop();
    expect(blocked.enqueue(task(4))).toBe(false);
  });
});

describe('device scrub', () => {
  it('deletes a live record that fails its CRC so the slot reads as missing; clean records stay', async () => {
    const devicePath = await dirs.make();
    const open = (): Promise<ShardStore> => ShardStore.open({ nodeId: 'n1', devices: [{ deviceId: 'd1', path: devicePath, capacityBytes: 64 << 20 }], crashSim: false, healthCheckIntervalMs: 0 });
    const good = { chunkId: Buffer.alloc(32, 1), writeId: Buffer.alloc(16, 1), shardIndex: 0 };
    const bad = { chunkId: Buffer.alloc(32, 2), writeId: Buffer.alloc(16, 2), shardIndex: 1 };
    const first = await open();
    await first.putShard('d1', { ...good, payload: Buffer.alloc(5000, 7), sysEpoch: 1, gatewayTime: 1 });
    const location = await first.putShard('d1', { ...bad, payload: Buffer.alloc(5000, 9), sysEpoch: 1, gatewayTime: 1 });
    // Closed and opened again, so the index covers both records (scrub reads only the indexed part of an extent).
    await first.close();
    const file = path.join(devicePath, 'extents', `${location.extentId.toString(16).padStart(8, '0')}.ext`);
    const handle = await fs.open(file, 'r+');
    await handle.write(Buffer.from([0x42]), 0, 1, location.offset + RECORD_HEADER_BYTES + 100);
    await handle.close();
    const store = await open();
    try {
      const scrubber = new DeviceScrubber({ store, bytesPerSec: 0, logger: quietLogger() });
      await scrubber.round();
      expect(scrubber.status()).toMatchObject({ badRecords: 1, quarantined: 1, rounds: 1 });
      expect(scrubber.badRecordsByDevice().get('d1')).toBe(1);
      expect(await store.hasShard('d1', bad)).toBe(false);
      expect(await store.hasShard('d1', good)).toBe(true);
      // The damaged bytes are dead now: a second round counts nothing new.
      await scrubber.round();
      expect(scrubber.status()).toMatchObject({ badRecords: 1, quarantined: 1, rounds: 2 });
    } finally {
      await store.close();
    }
  });
});

describe('failed-device reports', () => {
  it('proposes failed for a device that failed locally and is still placeable in the committed table, once', async () => {
    const cluster = await MaintenanceCluster.start(['n1', 'n2', 'n3'], ['d1', 'd2']);
    try {
      const info = () => [{ deviceId: 'd1', state: 'failed' }, { deviceId: 'd2', state: 'healthy' }] as ReturnType<ShardStore['info']>;
      const deps = { nodeId: 'n1', store: { info }, machine: cluster.machine, proposer: cluster.proposer, clock: Date.now, logger: quietLogger() };
      expect(await reportFailedDevices(deps)).toBe(1);
      expect(cluster.machine.devices().find((d) => d.nodeId === 'n1' && d.deviceId === 'd1')!.state).toBe('failed');
      expect(await reportFailedDevices(deps)).toBe(0);
    } finally {
      await cluster.close();
    }
  });
});

describe('configuration', () => {
  const base = { cert: 'c', key: 'k', ca: 'a', crl: 'r', id: 'n1', dataDir: '/d/n1' };

  it('defaults, file values and flags (which win), with bounds', () => {
    expect(resolveNodeConfig({}, base).maintenance).toEqual(DEFAULT_MAINTENANCE);
    expect(resolveNodeConfig({ maintenance: { scrubBytesPerSec: 0, placementScrubIntervalMs: 500, reencryptChunksPerSec: 0, repairConcurrency: 2 } }, base).maintenance).toEqual({
      scrubBytesPerSec: 0,
      placementScrubIntervalMs: 500,
      reencryptChunksPerSec: 0,
      repairConcurrency: 2,
      downOutAfterMs: DEFAULT_MAINTENANCE.downOutAfterMs,
    });
    expect(resolveNodeConfig({ maintenance: { repairConcurrency: 2 } }, { ...base, repairConcurrency: 1, reencryptChunksPerSec: 9 }).maintenance).toMatchObject({ repairConcurrency: 1, reencryptChunksPerSec: 9 });
    expect(() => resolveNodeConfig({ maintenance: { repairConcurrency: 3 } }, base)).toThrow(/repairConcurrency/);
    expect(() => resolveNodeConfig({}, { ...base, placementScrubIntervalMs: 5 })).toThrow(/placementScrubIntervalMs/);
    expect(() => resolveNodeConfig({ maintenance: { scrubBytesPerSec: 'fast' } }, base)).toThrow(/scrubBytesPerSec/);
  });
});

describe('Maintenance (orchestration)', () => {
  it('scrubs and repairs on leader turns, does nothing as a follower, and reports its status', async () => {
    const cluster = await MaintenanceCluster.start(['n1', 'n2', 'n3'], ['d1', 'd2', 'd3']);
    let leader = false;
    let now = Date.now();
    const maintenance = new Maintenance({
      nodeId: 'n1',
      machine: cluster.machine,
      proposer: { propose: cluster.proposer.propose, isLeader: () => leader },
      readBarrier: cluster.readBarrier,
      io: cluster,
      store: cluster.stores.get('n1')!,
      pool: 'default',
      settings: { ...DEFAULT_MAINTENANCE, placementScrubIntervalMs: 100 },
      clock: () => now,
      logger: quietLogger(),
    });
    try {
      const placement = [slot('n1', 'd1'), slot('n2', 'd1'), slot('n3', 'd1'), slot('n1', 'd2'), slot('n2', 'd2'), slot('n3', 'd2')];
      const { record } = await cluster.randomChunk(9, placement);
      await cluster.stores.get('n2')!.deleteShard('d2', { chunkId: record.chunkId, writeId: record.writeId, shardIndex: 4 });
      await maintenance.leaderTurn();
      expect(maintenance.status().placementScrub.passes).toBe(0);
      leader = true;
      // The first pass comes one interval after the node became leader.
      await maintenance.leaderTurn();
      expect(maintenance.status().placementScrub.passes).toBe(0);
      now += 100;
      await maintenance.leaderTurn();
      await maintenance.queue.idle();
      const status = maintenance.status();
      expect(status).toMatchObject({ leader: true, placementScrub: { passes: 1, scanned: 1, total: 1, missing: 1, repaired: 1 }, repairs: { queued: 0, running: 0, counts: { 'missing/ok': 1 } }, evacuations: [], reencryption: undefined });
      expect(status.repairs.history).toHaveLength(1);
      expect(cluster.machine.chunk(record.chunkId)!.slots.some((s) => s.nodeId === 'n2' && s.deviceId === 'd2')).toBe(false);

      // Metrics: the repair is counted by reason and outcome, the pass's figures are exposed; no label names a chunk.
      const registry = new Registry();
      registerMaintenanceMetrics(registry, maintenance);
      exposition = await registry.metrics();
      const exposed = samples(exposition);
      const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
        exposed.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;
      expect(value('tessera_storage_repairs_total', { reason: 'missing', outcome: 'ok' })).toBe(1);
      expect(value('tessera_storage_shards_repaired_total')).toBe(1);
      expect(value('tessera_storage_placement_scrub_passes_total')).toBe(1);
      expect(value('tessera_storage_placement_scrub_bad_slots', { problem: 'missing' })).toBe(1);
      for (const x of exposed) for (const v of Object.values(x.labels)) expect(v).not.toMatch(/[0-9a-f]{16}/);

      // Deposed: the pass it remembers is stale, so its gauges read zero (the new leader reports).
      leader = false;
      await maintenance.leaderTurn();
      const after = samples(await registry.metrics());
      expect(after.find((x) => x.name === 'tessera_storage_placement_scrub_bad_slots' && x.labels['problem'] === 'missing')?.value).toBe(0);
    } finally {
      await maintenance.stop();
      await cluster.close();
    }
  });

  itWithTool('promtool', PROMTOOL_HINT, 'its metric families pass promtool check metrics', async () => {
    expect(exposition).toContain('tessera_storage_repairs_total');
    const verdict = await promtoolCheckMetrics(exposition);
    expect(verdict.output).toBe('');
    expect(verdict.ok).toBe(true);
  });
});

/** Filled by the orchestration test above (one cluster serves both). */
let exposition = '';
