/**
 * The scrub → repair → replacePlacement loop in process: real ShardStores
 * for three nodes with three devices each, a real metadata machine. A lost
 * shard, a damaged (wrong-length) record, a device failed in the committed
 * table, an evacuating device and a crowded node are each found by the
 * placement scrub (or the evacuator), repaired under the SAME writeId onto
 * a device the chunk did not use, committed, and the replaced slot retired;
 * the chunk decodes to the same bytes from its new placement.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decode } from '@tessera/erasure';
import type { Slot } from '@tessera/storage';
import { Evacuator } from '../src/maintenance/evacuation.js';
import { PlacementScrub } from '../src/maintenance/placement-scrub.js';
import { RepairQueue } from '../src/maintenance/repair-queue.js';
import { repairOne } from '../src/maintenance/repairer.js';
import { NodeLiveness } from '../src/maintenance/topology.js';
import type { ChunkRecord } from '../src/metadata/types.js';
import { MaintenanceCluster, quietLogger, slot } from './support/maintenance-cluster.js';

const NODES = ['n1', 'n2', 'n3'];
const DEVICES = ['d1', 'd2', 'd3'];
/** Two shards per node, on d1 and d2: d3 of every node is free for repairs. */
const PLACEMENT: readonly Slot[] = [slot('n1', 'd1'), slot('n2', 'd1'), slot('n3', 'd1'), slot('n1', 'd2'), slot('n2', 'd2'), slot('n3', 'd2')];

let cluster: MaintenanceCluster;
let queue: RepairQueue;
let scrub: PlacementScrub;
let scrubNow = 0;
let liveness: NodeLiveness;

beforeEach(async () => {
  cluster = await MaintenanceCluster.start(NODES, DEVICES);
  liveness = new NodeLiveness('n1');
  const logger = quietLogger();
  queue = new RepairQueue(
    (task) => repairOne({ machine: cluster.machine, proposer: cluster.proposer, readBarrier: cluster.readBarrier, io: cluster, liveness, pool: 'default', clock: Date.now, logger }, task),
    { concurrency: 2, onDone: (task, report) => scrub.repairDone(task, report.outcome === 'ok') },
  );
  scrubNow = Date.now();
  scrub = new PlacementScrub({ machine: cluster.machine, io: cluster, queue, liveness, pool: 'default', clock: () => scrubNow, logger, intervalMs: 60_000, systemEpoch: () => 1 });
});

afterEach(async () => {
  queue.stop();
  await cluster.close();
});

function slotsOf(record: ChunkRecord): Slot[] {
  return [...record.slots].sort((a, b) => a.shardIndex - b.shardIndex).map((s) => slot(s.nodeId, s.deviceId));
}

/** Every shard of the committed writeId reads back from its slot, and the stripe decodes to `data`. */
async function expectFullyRedundant(record: ChunkRecord, data: Buffer): Promise<void> {
  const shards = await Promise.all(slotsOf(record).map((s, i) => cluster.readShard(s, { chunkId: record.chunkId, writeId: record.writeId, shardIndex: i })));
  const perNode = new Map<string, number>();
  for (const s of record.slots) perNode.set(s.nodeId, (perNode.get(s.nodeId) ?? 0) + 1);
  expect(Math.max(...perNode.values())).toBeLessThanOrEqual(record.m);
  expect(new Set(record.slots.map((s) => `${s.nodeId}/${s.deviceId}`)).size).toBe(record.k + record.m);
  // Data shards alone, then parity standing in for two data shards.
  expect(Buffer.from(decode(shards, record.k, record.m, data.length)).equals(data)).toBe(true);
  expect(Buffer.from(decode([undefined, undefined, ...shards.slice(2)], record.k, record.m, data.length)).equals(data)).toBe(true);
}

describe('placement scrub and repair', () => {
  it('finds a clean table clean, counting its progress', async () => {
    await cluster.randomChunk(1, PLACEMENT);
    await cluster.randomChunk(2, PLACEMENT);
    // A new leader waits one interval before its first pass (a failover does not start a full scan at once).
    expect(await scrub.turn(100)).toBe(0);
    scrubNow += 60_000;
    expect(await scrub.turn(100)).toBe(2);
    expect(scrub.lastPass()).toMatchObject({ scanned: 2, total: 2, missing: 0, corrupt: 0, badDevice: 0, underProtected: 0, queued: 0 });
    expect(scrub.lastPass()!.finishedAt).toBeGreaterThanOrEqual(scrub.lastPass()!.startedAt);
    // The next pass waits for the interval.
    expect(await scrub.turn(100)).toBe(0);
    scrubNow += 60_000;
    expect(await scrub.turn(100)).toBe(2);
  });

  it('forgets its passes when the node stops leading (a deposed leader reports nothing stale)', async () => {
    const { record } = await cluster.randomChunk(4, PLACEMENT);
    cluster.cut.add('n3');
    expect(await scrub.turn(100)).toBe(0);
    scrubNow += 60_000;
    expect(await scrub.turn(100)).toBe(1);
    expect(scrub.lastPass()).toMatchObject({ unreachable: 2 });
    scrub.resign();
    expect(scrub.lastPass()).toBeUndefined();
    expect(scrub.progress()).toMatchObject({ scanned: 0, unreachable: 0 });
    // Leading again: a fresh interval before the next pass, which sees the healed node.
    cluster.cut.delete('n3');
    expect(await scrub.turn(100)).toBe(0);
    scrubNow += 60_000;
    expect(await scrub.turn(100)).toBe(1);
    expect(scrub.lastPass()).toMatchObject({ unreachable: 0, missing: 0 });
    expect(cluster.machine.chunk(record.chunkId)!.writeId.equals(record.writeId)).toBe(true);
  });

  it('rebuilds a lost shard under the same writeId on a device the chunk did not use, and retires the old slot', async () => {
    const { record, data } = await cluster.randomChunk(3, PLACEMENT);
    await cluster.stores.get('n2')!.deleteShard('d1', { chunkId: record.chunkId, writeId: record.writeId, shardIndex: 1 });
    const verdict = await scrub.check(record);
    expect(verdict.bad).toEqual([{ shardIndex: 1, problem: 'missing' }]);
    await queue.idle();
    const after = cluster.machine.chunk(record.chunkId)!;
    expect(after.writeId.equals(record.writeId)).toBe(true);
    const moved = after.slots.find((s) => s.shardIndex === 1)!;
    expect(moved).not.toMatchObject({ nodeId: 'n2', deviceId: 'd1' });
    expect(moved.deviceId).toBe('d3');
    expect(after.retired).toHaveLength(1);
    expect(after.retired[0]!.writeId.equals(record.writeId)).toBe(true);
    expect(after.retired[0]!.slots).toEqual([{ nodeId: 'n2', deviceId: 'd1', shardIndex: 1 }]);
    expect(after.gatewayTimeMs).toBeGreaterThanOrEqual(record.gatewayTimeMs);
    await expectFullyRedundant(after, data);
    expect(queue.count('missing', 'ok')).toBe(1);
    expect(queue.history()).toEqual([expect.objectContaining({ chunk: record.chunkId.toString('hex').slice(0, 16), reason: 'missing', outcome: 'ok', moved: [expect.objectContaining({ shardIndex: 1, from: 'n2/d1', rebuilt: true })] })]);
    // The next check finds it clean.
    expect((await scrub.check(after)).bad).toEqual([]);
  });

  it('treats a record whose length disagrees with the stripe as corrupt', async () => {
    const { record, data } = await cluster.randomChunk(4, PLACEMENT);
    const key = { chunkId: record.chunkId, writeId: record.writeId, shardIndex: 4 };
    await cluster.stores.get('n2')!.putShard('d2', { ...key, payload: Buffer.alloc(10), sysEpoch: 1, gatewayTime: Date.now() });
    expect((await scrub.check(record)).bad).toEqual([{ shardIndex: 4, problem: 'corrupt' }]);
    await queue.idle();
    const after = cluster.machine.chunk(record.chunkId)!;
    expect(after.slots.find((s) => s.shardIndex === 4)).not.toMatchObject({ nodeId: 'n2', deviceId: 'd2' });
    await expectFullyRedundant(after, data);
  });

  it('moves shards off a device the committed table has failed, and leaves a chunk alone whose node does not answer', async () => {
    const { record, data } = await cluster.randomChunk(5, PLACEMENT);
    cluster.cut.add('n3');
    const unknown = await scrub.check(record);
    expect(unknown).toMatchObject({ bad: [], unknown: 2 });
    await queue.idle();
    expect(cluster.proposals.filter((c) => c.op === 'replacePlacement')).toHaveLength(0);
    cluster.cut.clear();
    await cluster.proposer.propose({ op: 'setDeviceState', timeMs: Date.now(), nodeId: 'n1', deviceId: 'd2', state: 'failed' });
    expect((await scrub.check(record)).bad).toEqual([{ shardIndex: 3, problem: 'device' }]);
    await queue.idle();
    const after = cluster.machine.chunk(record.chunkId)!;
    expect(after.slots.some((s) => s.nodeId === 'n1' && s.deviceId === 'd2')).toBe(false);
    expect(queue.count('device', 'ok')).toBe(1);
    await expectFullyRedundant(after, data);
  });

  it('rebalances a crowded node once enough nodes are live, and only then', async () => {
    // Three shards on n1 (more than m = 2): written while n3 was away.
    const crowded = [slot('n1', 'd1'), slot('n2', 'd1'), slot('n1', 'd3'), slot('n1', 'd2'), slot('n2', 'd2'), slot('n2', 'd3')];
    const { record, data } = await cluster.randomChunk(6, crowded);
    // While n3 is down, two nodes cannot hold 6 shards at most 2 each: nothing to do but count it.
    const away = new NodeLiveness('n1');
    away.markDown('n3');
    const blind = new PlacementScrub({ machine: cluster.machine, io: cluster, queue, liveness: away, pool: 'default', clock: Date.now, logger: quietLogger(), intervalMs: 0, systemEpoch: () => 1 });
    expect(await blind.check(record)).toMatchObject({ bad: [], underProtected: true });
    // n3 is back: the excess moves there.
    const rebalance = await scrub.check(record);
    expect(rebalance.bad.map((b) => b.problem)).toEqual(['crowded', 'crowded']);
    await queue.idle();
    const after = cluster.machine.chunk(record.chunkId)!;
    expect(after.slots.filter((s) => s.nodeId === 'n3')).toHaveLength(2);
    expect(queue.count('under-protected', 'ok')).toBe(1);
    await expectFullyRedundant(after, data);
  });

  it('reports an unrecoverable chunk without committing anything', async () => {
    const { record } = await cluster.randomChunk(7, PLACEMENT);
    for (const i of [0, 1, 2]) {
      const s = slotsOf(record)[i]!;
      await cluster.stores.get(s.nodeId)!.deleteShard(s.deviceId, { chunkId: record.chunkId, writeId: record.writeId, shardIndex: i });
    }
    await scrub.check(record);
    await queue.idle();
    expect(queue.count('missing', 'unrecoverable')).toBe(1);
    expect(cluster.machine.chunk(record.chunkId)!.slots).toEqual(record.slots);
  });

  it('does not commit over a record that changed meanwhile (stale), nor repair twice from one judgement', async () => {
    const { record, data } = await cluster.randomChunk(8, PLACEMENT);
    const deps = { machine: cluster.machine, proposer: cluster.proposer, readBarrier: cluster.readBarrier, io: cluster, liveness, pool: 'default', clock: Date.now, logger: quietLogger() };
    const otherWriteId = await repairOne(deps, { chunkId: record.chunkId, writeId: Buffer.alloc(16, 0xee), judged: record.slots, reason: 'missing', knownBad: [0], vacate: [] });
    expect(otherWriteId.outcome).toBe('stale');
    expect(cluster.proposals.filter((c) => c.op === 'replacePlacement')).toHaveLength(0);
    // Two scrub judgements of the same lost shard: the first repair moves it, the second finds the record moved.
    await cluster.stores.get('n3')!.deleteShard('d1', { chunkId: record.chunkId, writeId: record.writeId, shardIndex: 2 });
    const task = { chunkId: record.chunkId, writeId: record.writeId, judged: record.slots, reason: 'missing' as const, knownBad: [2], vacate: [] };
    expect((await repairOne(deps, task)).outcome).toBe('ok');
    expect((await repairOne(deps, task)).outcome).toBe('stale');
    const after = cluster.machine.chunk(record.chunkId)!;
    expect(after.retired).toHaveLength(1);
    await expectFullyRedundant(after, data);
  });
});

describe('evacuation', () => {
  it('moves every shard off an evacuating device and then reports it done (the device stays evacuating)', async () => {
    const chunks = [await cluster.randomChunk(11, PLACEMENT), await cluster.randomChunk(12, PLACEMENT), await cluster.randomChunk(13, PLACEMENT)];
    await cluster.proposer.propose({ op: 'setDeviceState', timeMs: Date.now(), nodeId: 'n2', deviceId: 'd1', state: 'evacuating' });
    const evacuator = new Evacuator({ machine: cluster.machine, queue, logger: quietLogger() });
    evacuator.turn();
    expect(evacuator.status()).toEqual([{ nodeId: 'n2', deviceId: 'd1', state: 'evacuating', remaining: 3, done: false }]);
    await queue.idle();
    evacuator.turn();
    expect(evacuator.status()).toEqual([{ nodeId: 'n2', deviceId: 'd1', state: 'evacuating', remaining: 0, done: true }]);
    expect(cluster.machine.devices().find((d) => d.nodeId === 'n2' && d.deviceId === 'd1')!.state).toBe('evacuating');
    expect(queue.count('evacuate', 'ok')).toBe(3);
    for (const { record, data } of chunks) {
      const after = cluster.machine.chunk(record.chunkId)!;
      expect(after.slots.some((s) => s.nodeId === 'n2' && s.deviceId === 'd1')).toBe(false);
      // Copied, not rebuilt: the evacuating device still read fine.
      expect(queue.history().find((h) => h.chunk === record.chunkId.toString('hex').slice(0, 16))!.moved).toEqual([expect.objectContaining({ from: 'n2/d1', rebuilt: false })]);
      await expectFullyRedundant(after, data);
    }
  });

  it('rebuilds the shards of a device the table marks failed without waiting for a scrub pass', async () => {
    const { record, data } = await cluster.randomChunk(14, PLACEMENT);
    await cluster.proposer.propose({ op: 'setDeviceState', timeMs: Date.now(), nodeId: 'n3', deviceId: 'd2', state: 'failed' });
    const evacuator = new Evacuator({ machine: cluster.machine, queue, logger: quietLogger() });
    evacuator.turn();
    await queue.idle();
    expect(queue.count('device', 'ok')).toBe(1);
    evacuator.turn();
    expect(evacuator.status()).toEqual([{ nodeId: 'n3', deviceId: 'd2', state: 'failed', remaining: 0, done: true }]);
    await expectFullyRedundant(cluster.machine.chunk(record.chunkId)!, data);
  });
});
