/**
 * Issue #4 in TESSERA_CRASHSIM mode: three node processes whose stores keep
 * every write not covered by a completed sync in memory, and drop it when
 * the process is told to lose power (SIGUSR2; the node then kills itself
 * with SIGKILL). The state machine here never syncs on its own, so a node
 * that loses power loses its whole un-synced tail of applied state and must
 * rebuild it from its Raft log and snapshot. Through a leader's power loss
 * under load, and then every node's at once, no acknowledged write is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@tessera/launcher';
import { RaftProcessCluster } from './support/raft-cluster.js';
import { Workload } from './support/workload.js';
import { FailureFlag } from './support/failures.js';

let cluster: RaftProcessCluster;
let load: Workload;
const failures = new FailureFlag();
const { track } = failures;

beforeAll(async () => {
  cluster = await RaftProcessCluster.start({
    size: 3,
    env: { TESSERA_CRASHSIM: '1' },
    nodeArgs: ['--snapshot-entries', '250', '--retain-entries', '100', '--sync-every-entries', '1000000000'],
  });
  load = await Workload.open(cluster.client, 16);
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

/** Sends SIGUSR2 and waits for the node to end itself with SIGKILL. */
async function powerLoss(id: string): Promise<void> {
  const node = cluster.launcher.node(id);
  node.signal('SIGUSR2');
  const exit = await node.exited();
  expect(exit.signal).toBe('SIGKILL');
}

interface CrashRecord {
  readonly applied: number;
  readonly durableApplied: number;
}

/** The node's last power-loss record and the state-machine opening that followed it. */
async function crashAndReopen(id: string): Promise<{ crash: CrashRecord; reopenedAt: number }> {
  const records = await cluster.launcher.node(id).logRecords();
  const crashAt = records.findLastIndex((r) => r['msg'] === 'simulating power loss');
  const crash = records[crashAt] as unknown as CrashRecord & { crashSim: boolean };
  expect(crash.crashSim).toBe(true);
  const reopened = records.slice(crashAt).find((r) => r['msg'] === 'state machines opened');
  return { crash, reopenedAt: Number(reopened?.['applied']) };
}

describe('power loss (TESSERA_CRASHSIM=1) of node processes', () => {
  it(
    'acknowledge writes before any fault',
    track(async () => {
      await load.write(300);
      expect(load.acked.size).toBe(300);
    }),
  );

  it(
    'a leader that loses power under load loses its un-synced tail; the others carry on',
    track(async () => {
      const victim = await cluster.waitForLeader();
      await load.write(300, async (acked) => {
        if (acked === 80) await powerLoss(victim);
      });
      const successor = await cluster.waitForLeader({ exclude: [victim] });
      expect(successor).not.toBe(victim);
      await cluster.restart(victim);
      const { crash, reopenedAt } = await crashAndReopen(victim);
      // What the state machine had applied but never synced is gone after the restart...
      expect(crash.applied).toBeGreaterThan(crash.durableApplied);
      expect(reopenedAt).toBe(crash.durableApplied);
      // ...and comes back from the Raft log and snapshot.
      const s = await cluster.waitCaughtUp(victim);
      expect(s.appliedIndex).toBeGreaterThan(crash.applied);
    }),
  );

  it(
    'every node loses power at once; after a restart no acknowledged write is missing anywhere',
    track(async () => {
      await load.write(200);
      const ids = cluster.runningIds();
      await Promise.all(ids.map((id) => powerLoss(id)));
      for (const id of ids) await cluster.restart(id);
      await cluster.waitForLeader();
      await cluster.waitForConfiguration();
      for (const id of ids) {
        const { crash, reopenedAt } = await crashAndReopen(id);
        expect(reopenedAt).toBe(crash.durableApplied);
      }
      // The cluster still takes writes.
      await load.write(50);
      expect(load.indeterminate, JSON.stringify([...load.errors])).toBe(0);
      for (const id of ids) {
        await cluster.waitCaughtUp(id);
        const state = await pollUntil(`${id} to serve a scan`, () => cluster.client.scan({ node: id }).catch(() => undefined), { timeoutMs: 30_000 });
        expect(load.missingFrom(state), `acknowledged writes missing on ${id}`).toEqual([]);
      }
    }),
  );
});
