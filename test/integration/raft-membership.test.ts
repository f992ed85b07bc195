/**
 * Issue #4, the five-process variant: a cluster grown to five voters
 * (bootstrap, then four --join members added as learners and promoted)
 * removes its leader — which steps down once the change commits — and adds
 * a new member under a fresh id, writing throughout; a removed id can never
 * come back. Every acknowledged write ends up on every current member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcFailure } from '@tessera/node';
import { RaftProcessCluster } from './support/raft-cluster.js';
import { Workload } from './support/workload.js';
import { FailureFlag } from './support/failures.js';

let cluster: RaftProcessCluster;
let load: Workload;
const failures = new FailureFlag();
const { track } = failures;

// Workaround for a driver liveness bug (reported): a replica refuses messages
// from senders outside the configuration it has applied, so a joiner that
// installs a snapshot predating the current leader's membership (here: the
// bootstrap snapshot, which names only n1, once n1 is removed) refuses that
// leader forever. Frequent snapshots make the leader's latest snapshot name it.
const SNAPSHOT_ARGS = ['--snapshot-entries', '100', '--retain-entries', '20'];

beforeAll(async () => {
  cluster = await RaftProcessCluster.start({ size: 5, nodeArgs: SNAPSHOT_ARGS });
  load = await Workload.open(cluster.client, 8);
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

const roles = (members: readonly { id: string; role: string }[]): string[] => members.map((m) => `${m.id}:${m.role}`).sort();

describe('five node processes: remove and add members', () => {
  it(
    'grow to five voters that all applied the same configuration, and take writes',
    track(async () => {
      const statuses = await cluster.waitForConfiguration();
      expect(statuses).toHaveLength(5);
      expect(roles(statuses[0]!.members)).toEqual(['n1:voter', 'n2:voter', 'n3:voter', 'n4:voter', 'n5:voter']);
      await load.write(200);
      expect(load.acked.size).toBe(200);
    }),
  );

  let removed = '';
  it(
    'remove the leader: it steps down once the change commits and the other four elect a leader',
    track(async () => {
      removed = await cluster.waitForLeader();
      await cluster.client.removeMember(removed);
      // SIGTERM: a clean stop.
      expect(await cluster.launcher.stop(removed)).toEqual({ code: 0, signal: null });
      const leader = await cluster.waitForLeader({ exclude: [removed] });
      const statuses = await cluster.waitForConfiguration();
      expect(statuses).toHaveLength(4);
      expect(statuses.every((s) => s.leaderId === leader)).toBe(true);
      expect(statuses[0]!.members.map((m) => m.id)).not.toContain(removed);
      cluster.client.removeNode(removed);
      await load.write(200);
    }),
  );

  it(
    'add a new member under a fresh id: it joins as a learner, catches up and is promoted',
    track(async () => {
      await cluster.join('n6');
      const statuses = await cluster.waitForConfiguration();
      expect(statuses).toHaveLength(5);
      expect(roles(statuses[0]!.members)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].filter((id) => id !== removed).map((id) => `${id}:voter`));
      await load.write(200);
    }),
  );

  it(
    'refuse to add the removed id again, even with its old incarnation',
    track(async () => {
      const old = cluster.launcher.ports(removed);
      const attempt = cluster.client.addMember({ id: removed, incarnationId: old.incarnationId, address: old.peerAddress }, { voter: true });
      await expect(attempt).rejects.toBeInstanceOf(RpcFailure);
      await expect(attempt).rejects.toMatchObject({ code: 'RAFT_REJECTED' });
    }),
  );

  it(
    'every acknowledged write is on every current member',
    track(async () => {
      expect(load.acked.size).toBeGreaterThan(550);
      for (const id of cluster.runningIds()) {
        await cluster.waitCaughtUp(id);
        const state = await cluster.client.scan({ node: id });
        expect(load.missingFrom(state), `acknowledged writes missing on ${id}`).toEqual([]);
      }
    }),
  );
});
