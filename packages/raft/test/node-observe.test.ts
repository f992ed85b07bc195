/**
 * The driver's metrics hooks and counters: synced-write and commit timings
 * reach observers, proposals are counted by outcome, leader changes are
 * counted, and a throwing observer never stops consensus.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '@tessera/common/testing';
import { RaftNode, type RaftNodeObserver } from '../src/node/raft-node.js';
import type { StateMachine } from '../src/node/state-machine.js';
import { openDurableKv } from '../src/storage/crashsim.js';
import { LevelRaftStorage } from '../src/storage/level.js';
import type { Transport } from '../src/transport/types.js';
import { StateRole, type Entry, type Snapshot } from '../src/types.js';
import { FAST, TestCluster, waitFor } from './node-cluster.js';

const dirs = tempDirs('tessera-observe-');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  await dirs.cleanup();
});

class EchoMachine implements StateMachine<number> {
  applied = 0;
  appliedIndex(): number {
    return this.applied;
  }
  async apply(entries: readonly Entry[]): Promise<readonly number[]> {
    this.applied = entries[entries.length - 1]!.index;
    return entries.map((e) => e.index);
  }
  async snapshot(): Promise<Uint8Array> {
    return new Uint8Array(0);
  }
  async restore(snapshot: Snapshot): Promise<void> {
    this.applied = snapshot.metadata.index;
  }
}

const silent: Transport = { localId: 'n1', send: () => true, subscribe: () => () => undefined };

/** A one-voter group on the real core: it elects itself and commits alone. */
async function single(): Promise<RaftNode<number>> {
  const kv = await openDurableKv(await dirs.make(), { crashSim: true });
  const storage = await LevelRaftStorage.open(kv, { group: 1, nodeId: 'n1', init: { kind: 'bootstrap', address: 'a' } });
  const node = await RaftNode.start({ ...FAST, group: 1, storage, transport: silent, stateMachine: new EchoMachine() });
  cleanups.push(async () => {
    await node.stop();
    await kv.close();
  });
  await waitFor('self-election', () => node.status().role === StateRole.Leader);
  return node;
}

describe('RaftNode metrics hooks', () => {
  it('reports synced writes and propose-to-applied times for every applied proposal', async () => {
    const node = await single();
    const syncs: number[] = [];
    const commits: number[] = [];
    const observer: RaftNodeObserver = { onSync: (s) => syncs.push(s), onCommit: (s) => commits.push(s) };
    const stopObserving = node.observe(observer);
    await Promise.all([1, 2, 3].map((i) => node.propose(Uint8Array.of(i))));
    expect(commits).toHaveLength(3);
    for (const s of [...commits, ...syncs]) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(60);
    }
    expect(syncs.length).toBeGreaterThanOrEqual(1);
    expect(node.stats.proposalsApplied).toBeGreaterThanOrEqual(3);
    // Removed observers hear nothing more.
    stopObserving();
    await node.propose(Uint8Array.of(4));
    expect(commits).toHaveLength(3);
  });

  it('keeps committing when an observer throws', async () => {
    const node = await single();
    node.observe({
      onSync: () => {
        throw new Error('broken metrics');
      },
      onCommit: () => {
        throw new Error('broken metrics');
      },
    });
    expect(await node.propose(Uint8Array.of(1))).toBeGreaterThan(0);
    expect(await node.propose(Uint8Array.of(2))).toBeGreaterThan(0);
    expect(node.failed).toBeUndefined();
  });

  it('counts proposals refused by a follower and leader changes across a transfer', async () => {
    const cluster = await TestCluster.start(['n1', 'n2', 'n3']);
    cleanups.push(() => cluster.shutdown());
    const leaderId = await cluster.waitForLeader();
    const follower = cluster.running().find((m) => m.id !== leaderId)!;
    const before = follower.node.stats.leaderChanges;
    expect(before).toBeGreaterThanOrEqual(1);
    await follower.node.propose(Uint8Array.of(1)).catch(() => undefined);
    expect(follower.node.stats.proposalsNotLeader).toBe(1);
    expect(follower.node.stats.proposalsApplied).toBe(0);
    await cluster.leaderNode().transferLeader(follower.id);
    await waitFor('the follower to see itself lead', () => follower.node.status().role === StateRole.Leader);
    expect(follower.node.stats.leaderChanges).toBe(before + 1);
  });
});
