/**
 * An operator's `scrub start` (Admin StartScrub → PlacementScrub.startNow):
 * a pass begins at once whatever the interval, a second request while it
 * runs starts nothing, and the leader's turns carry the pass to its end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Slot } from '@tessera/storage';
import { PlacementScrub } from '../src/maintenance/placement-scrub.js';
import { RepairQueue } from '../src/maintenance/repair-queue.js';
import { NodeLiveness } from '../src/maintenance/topology.js';
import { MaintenanceCluster, quietLogger, slot } from './support/maintenance-cluster.js';

const PLACEMENT: readonly Slot[] = [slot('n1', 'd1'), slot('n2', 'd1'), slot('n3', 'd1'), slot('n1', 'd2'), slot('n2', 'd2'), slot('n3', 'd2')];

let cluster: MaintenanceCluster;
let queue: RepairQueue;
let scrub: PlacementScrub;
let now = 0;

beforeEach(async () => {
  cluster = await MaintenanceCluster.start(['n1', 'n2', 'n3'], ['d1', 'd2']);
  queue = new RepairQueue(async () => ({ outcome: 'nothing', moved: [] }), { concurrency: 1 });
  now = Date.now();
  scrub = new PlacementScrub({ machine: cluster.machine, io: cluster, queue, liveness: new NodeLiveness('n1'), pool: 'default', clock: () => now, logger: quietLogger(), intervalMs: 3_600_000, systemEpoch: () => 1 });
});

afterEach(async () => {
  queue.stop();
  await cluster.close();
});

describe('placement scrub started by an operator', () => {
  it('starts a pass now whatever the interval, refuses a second while it runs, and finishes it on the next turns', async () => {
    await cluster.randomChunk(1, PLACEMENT);
    await cluster.randomChunk(2, PLACEMENT);
    // A new leader waits an interval (an hour here) before its first pass.
    expect(await scrub.turn(100)).toBe(0);
    expect(scrub.isRunning()).toBe(false);
    expect(scrub.startNow()).toBe(true);
    expect(scrub.isRunning()).toBe(true);
    expect(scrub.progress()).toMatchObject({ scanned: 0, total: 2, startedAt: now, finishedAt: 0 });
    expect(scrub.startNow()).toBe(false);
    now += 10;
    expect(await scrub.turn(1)).toBe(1);
    expect(scrub.isRunning()).toBe(true);
    expect(await scrub.turn(100)).toBe(1);
    expect(scrub.isRunning()).toBe(false);
    expect(scrub.passesCompleted()).toBe(1);
    expect(scrub.lastPass()).toMatchObject({ scanned: 2, total: 2, missing: 0, finishedAt: now });
    // Started again at once, though the interval has not passed.
    expect(scrub.startNow()).toBe(true);
  });
});
