/**
 * Issue #4, "Raft across processes": three `tessera node start` processes on
 * loopback, mTLS on every port. Elect, write 1,000 entries 16 at a time,
 * kill -9 the leader while writing, a new leader takes over and writes go on,
 * the old leader restarts and catches up by log; then the leader is killed
 * again and stays down across several snapshots and compactions, so it
 * catches up by snapshot. At the end every acknowledged write is on every
 * node, read on each node through ReadIndex.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RaftProcessCluster } from './support/raft-cluster.js';
import { Workload } from './support/workload.js';
import { FailureFlag } from './support/failures.js';

// A snapshot every 250 applied entries, keeping 200 below it: a member that
// misses under 200 entries catches up by log; one that misses 600 finds the
// leader's log compacted past its own and needs a snapshot.
const SNAPSHOT_ARGS = ['--snapshot-entries', '250', '--retain-entries', '200'];

let cluster: RaftProcessCluster;
let load: Workload;
const failures = new FailureFlag();
const { track } = failures;

beforeAll(async () => {
  cluster = await RaftProcessCluster.start({ size: 3, nodeArgs: SNAPSHOT_ARGS });
  load = await Workload.open(cluster.client, 16);
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

describe('three node processes over mTLS gRPC', () => {
  it(
    'elect one leader, and every member applies the same three-voter configuration',
    track(async () => {
      const leader = await cluster.waitForLeader();
      const statuses = await cluster.waitForConfiguration();
      expect(statuses).toHaveLength(3);
      for (const s of statuses) {
        expect(s.leaderId).toBe(leader);
        expect(s.members.map((m) => `${m.id}:${m.role}`).sort()).toEqual(['n1:voter', 'n2:voter', 'n3:voter']);
        expect(new Set(statuses.map((x) => x.clusterId)).size).toBe(1);
      }
      // Each member's committed identity is the incarnation its process reported.
      for (const m of statuses[0]!.members) expect(m.incarnationId).toBe(cluster.launcher.ports(m.id).incarnationId);
    }),
  );

  it(
    'acknowledge 1,000 writes from 16 concurrent sessions',
    track(async () => {
      await load.write(1_000);
      expect(load.acked.size).toBe(1_000);
      expect(load.indeterminate).toBe(0);
    }),
  );

  let oldLeader = '';
  it(
    'keep writing through kill -9 of the leader: another leader is elected and acknowledges',
    track(async () => {
      oldLeader = await cluster.waitForLeader();
      const before = load.acked.size;
      await load.write(200, async (acked) => {
        if (acked === 60) await cluster.kill9(oldLeader);
      });
      expect(cluster.launcher.node(oldLeader).state).toBe('stopped');
      const newLeader = await cluster.waitForLeader();
      expect(newLeader).not.toBe(oldLeader);
      expect(load.acked.size - before).toBeGreaterThan(150);
    }),
  );

  it(
    'restart the old leader, which catches up by log',
    track(async () => {
      await cluster.restart(oldLeader);
      const s = await cluster.waitCaughtUp(oldLeader);
      expect(s.snapshotsInstalled).toBe(0);
      await cluster.waitForConfiguration();
    }),
  );

  it(
    'a leader killed for longer than the leader keeps its log catches up by snapshot after restart',
    track(async () => {
      const victim = await cluster.waitForLeader();
      const held = (await cluster.client.status(victim)).commitIndex;
      await cluster.kill9(victim);
      const successor = await cluster.waitForLeader({ exclude: [victim] });
      await load.write(600);
      // The survivors compacted well past everything the victim holds.
      const leaderStatus = await cluster.client.status(successor);
      expect(leaderStatus.firstLogIndex).toBeGreaterThan(held + 1);
      await cluster.restart(victim);
      const s = await cluster.waitCaughtUp(victim);
      expect(s.snapshotsInstalled).toBeGreaterThanOrEqual(1);
    }),
  );

  it(
    'every acknowledged write is on every node (read through ReadIndex on each)',
    track(async () => {
      expect(load.acked.size).toBeGreaterThan(1_750);
      await cluster.waitForConfiguration();
      for (const id of ['n1', 'n2', 'n3']) {
        const state = await cluster.client.scan({ node: id });
        expect(load.missingFrom(state), `acknowledged writes missing on ${id}`).toEqual([]);
      }
    }),
  );
});
