/**
 * A node that dies for good (issues #8 and #9): four storage nodes with two
 * devices each, 4+2 (three nodes are enough for at most m shards per node),
 * a short down-out interval and placement scrub by flag.
 *  - a non-leader node is SIGKILLed and never comes back: the metadata
 *    leader marks its devices failed by itself once it has been silent for
 *    the down-out interval, and repair rebuilds its shards on the remaining
 *    three nodes: a placement scrub pass completed after the repairs finds
 *    every chunk with k+m clean shards, at most m per node; every object
 *    reads back byte-identical;
 *  - membership safety: removing the dead node (no current shard left on it)
 *    succeeds; removing a live node that holds shards is refused with
 *    NODE_HOLDS_SHARDS; the cluster keeps taking writes.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { pollUntil } from '@tessera/launcher';
import type { TesseraClient } from '@tessera/client';
import { u64Number } from '@tessera/wire';
import { samples } from '../../packages/transport/test/support/exposition.js';
import { DataCluster } from './support/data-cluster.js';
import { FailureFlag } from './support/failures.js';

const MiB = 1024 * 1024;
const DOWN_OUT_AFTER_MS = 5_000;

let cluster: DataCluster;
let acme: TesseraClient;
const objects = new Map<string, Buffer>();
const failures = new FailureFlag();
const { track } = failures;
/** The node killed for good. */
let victim = '';

beforeAll(async () => {
  cluster = await DataCluster.start({
    nodes: 4,
    nodeArgs: ['--placement-scrub-interval-ms', '300', '--repair-concurrency', '2', '--down-out-after-ms', String(DOWN_OUT_AFTER_MS)],
  });
  try {
    acme = await cluster.client((await cluster.addTenant('acme', 'shared')).client);
    // 4 MiB chunks: 9 MiB is three chunks, 5 MiB two, 300 KiB one.
    for (const [name, size] of [['a-9m', 9 * MiB], ['a-5m', 5 * MiB], ['a-300k', 300 * 1024]] as const) {
      const bytes = randomBytes(size);
      await acme.put(bytes, name);
      objects.set(name, bytes);
    }
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

async function expectEveryObjectReadsBack(): Promise<void> {
  for (const [name, bytes] of objects) expect((await acme.getBuffer(name)).equals(bytes), name).toBe(true);
}

type Scrape = ReturnType<typeof samples>;

function value(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  return scrape.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

/** The leader's view: the running node that finished a placement scrub pass most recently. */
async function leaderScrape(): Promise<Scrape> {
  let best: Scrape = [];
  let at = -1;
  for (const node of cluster.launcher.running()) {
    const scrape = samples(await (await fetch(`http://${node.ports.httpAddress}/metrics`)).text());
    const t = value(scrape, 'tessera_storage_placement_scrub_last_pass_timestamp_seconds');
    if (t > at) [best, at] = [scrape, t];
  }
  return best;
}

/** Waits for a placement scrub pass that started after `sinceMs` and found every slot clean, at most m per node. */
async function fullRedundancy(what: string, sinceMs: number): Promise<Scrape> {
  return pollUntil(
    what,
    async () => {
      const leader = await leaderScrape();
      const finished = value(leader, 'tessera_storage_placement_scrub_last_pass_timestamp_seconds') * 1000;
      const bad = value(leader, 'tessera_storage_placement_scrub_bad_slots');
      const crowded = value(leader, 'tessera_storage_chunks_under_protected');
      return finished > sinceMs + 500 && bad === 0 && crowded === 0 && value(leader, 'tessera_storage_placement_scrub_total_chunks') > 0 ? leader : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

/** The committed device table: state and live chunks with a current shard, per device of `node`. */
async function devicesOf(node: string): Promise<Array<{ device: string; state: string; chunks: number }>> {
  const all = await cluster.raft.client.listDevices();
  return all.filter((d) => d.nodeId === node).map((d) => ({ device: d.deviceId, state: d.state, chunks: u64Number(d.chunks) }));
}

describe('a storage node lost for good', () => {
  it(
    'is marked down by the metadata leader after the interval, and repair restores full redundancy on the other three',
    track(async () => {
      await fullRedundancy('a clean first placement scrub pass', 0);
      const leader = await cluster.raft.waitForLeader();
      victim = ['n4', 'n3', 'n2'].find((id) => id !== leader)!;
      const before = await devicesOf(victim);
      expect(before.map((d) => d.state)).toEqual(['healthy', 'healthy']);
      // Six chunks of six shards over eight devices: the victim holds some (else the test proves nothing).
      expect(before.reduce((n, d) => n + d.chunks, 0)).toBeGreaterThan(0);

      const killedAt = Date.now();
      await cluster.raft.kill9(victim);
      // Reads keep working meanwhile (parity covers the dead node's shards).
      await expectEveryObjectReadsBack();
      const failed = await pollUntil(
        `${victim}'s devices marked failed by the leader`,
        async () => {
          const devices = await devicesOf(victim);
          return devices.every((d) => d.state === 'failed') ? devices : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(failed).toHaveLength(2);
      // Not before the interval: one missed heartbeat is no death.
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(DOWN_OUT_AFTER_MS);

      // Exactly one down-out line, on the node that led, naming the victim and both devices.
      const lines: Array<Record<string, unknown>> = [];
      for (const node of cluster.launcher.running()) {
        const log = await readFile(path.join(cluster.logsDir, `${node.id}.log`), 'utf8').catch(() => '');
        for (const line of log.split('\n')) {
          if (!line.includes('node down-out')) continue;
          lines.push(JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);
        }
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'info', peerNode: victim, devices: 'd1,d2' });

      // Repair moves every current slot off the failed devices...
      await pollUntil(
        `no current shard left on ${victim}`,
        async () => ((await devicesOf(victim)).every((d) => d.chunks === 0) ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      // ...and a pass completed after that finds k+m clean shards of every chunk, at most m per node.
      const after = await fullRedundancy('full redundancy on the remaining three nodes', Date.now());
      expect(value(after, 'tessera_storage_repairs_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
      await expectEveryObjectReadsBack();
    }),
    150_000,
  );

  it(
    'RemoveMember: the drained dead node goes; a live node holding shards is refused with NODE_HOLDS_SHARDS',
    track(async () => {
      expect(victim).not.toBe('');
      await cluster.raft.client.removeMember(victim);
      cluster.raft.client.removeNode(victim);
      const statuses = await cluster.raft.waitForConfiguration();
      expect(statuses[0]!.members.map((m) => m.id)).not.toContain(victim);

      const leader = await cluster.raft.waitForLeader();
      const live = cluster.raft.runningIds().find((id) => id !== leader)!;
      expect((await devicesOf(live)).reduce((n, d) => n + d.chunks, 0)).toBeGreaterThan(0);
      await expect(cluster.raft.client.removeMember(live)).rejects.toMatchObject({ code: ErrorCodes.NODE_HOLDS_SHARDS });
      expect((await cluster.raft.waitForConfiguration()).map((s) => s.members.length)).toEqual([3, 3, 3]);

      // Still a working cluster: a new chunked object lands on the three nodes and everything reads back.
      const bytes = randomBytes(5 * MiB);
      await acme.put(bytes, 'after-removal');
      objects.set('after-removal', bytes);
      await expectEveryObjectReadsBack();
      await fullRedundancy('full redundancy with the new object', Date.now());
    }),
    90_000,
  );
});
