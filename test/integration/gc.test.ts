/**
 * Issue #8 across processes: header-only compaction and chunk GC.
 *  - Compaction and GC run on nodes that never fetched a key: objects are
 *    overwritten and deleted while the key manager is up, then the key
 *    manager stops and every node restarts with no key manager configured;
 *    the leader compacts, collects, and every node deletes the condemned
 *    shards — with no key client in any node (no request, no cache hit).
 *    With the key manager back, the surviving versions read back.
 *  - With keys, a deleted object's chunks and their shards go, an
 *    overwritten object keeps only its current version, and objects still
 *    referenced are never touched.
 *  - After compaction, GC and a snapshot install on a new member, every
 *    replica reports the same state digest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { pollUntil } from '@tessera/launcher';
import { FabricClients } from '@tessera/node';
import type { TesseraClient } from '@tessera/client';
import { sampleValue } from '../../packages/transport/test/support/exposition.js';
import { DataCluster, type TenantHandle } from './support/data-cluster.js';
import { FailureFlag } from './support/failures.js';

const KiB = 1024;
const CHUNK = 64 * KiB;
const SHARDS_PER_CHUNK = 6; // 4+2
/** Housekeeping that never acts on its own (the leader's turn comes once an hour, grace 10 min). */
const IDLE = ['--housekeeping-interval-ms', '3600000', '--gc-grace-ms', '600000', '--reconcile-interval-ms', '3600000'];
/** Housekeeping that acts within a second or two. */
const BRISK = ['--housekeeping-interval-ms', '200', '--gc-grace-ms', '1000', '--reconcile-interval-ms', '300', '--tombstone-ttl-ms', '1', '--orphan-ttl-ms', '1500'];
const HOUSEKEEPING_FLAGS = ['--housekeeping-interval-ms', '--gc-grace-ms', '--reconcile-interval-ms', '--tombstone-ttl-ms', '--orphan-ttl-ms'];

const failures = new FailureFlag();
const { track } = failures;
let cluster: DataCluster;
let acme: TenantHandle;
let client: TesseraClient;

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function scrape(id: string): Promise<string> {
  const res = await fetch(`http://${cluster.launcher.node(id).ports.httpAddress}/metrics`);
  return res.text();
}

/**
 * Shards reclaimed on every node: condemned ones (the node reconciled while
 * the record was `deleting`) and orphans (the record was already gone when
 * the node looked — a node restarting late meets an unknown writeId).
 */
async function reclaimed(): Promise<number> {
  return (await total('tessera_storage_shards_reclaimed_total', { reason: 'condemned' })) + (await total('tessera_storage_shards_reclaimed_total', { reason: 'orphan' }));
}

/** A counter summed over every running node. */
async function total(name: string, labels: Record<string, string> = {}): Promise<number> {
  let sum = 0;
  for (const n of cluster.launcher.running()) sum += sampleValue(await scrape(n.id), name, labels) ?? 0;
  return sum;
}

async function restartAll(extra: readonly string[], dropFlags: readonly string[]): Promise<void> {
  await Promise.all(cluster.launcher.nodes().map((n) => cluster.launcher.stop(n.id)));
  await Promise.all(cluster.launcher.nodes().map((n) => cluster.raft.restart(n.id, { extraArgs: extra, dropFlags })));
  await cluster.raft.waitForLeader();
}

beforeAll(async () => {
  cluster = await DataCluster.start({ nodes: 3, nodeArgs: [...IDLE, '--snapshot-entries', '50', '--retain-entries', '10'] });
  try {
    acme = await cluster.addTenant('acme', 'shared');
    client = await cluster.client(acme.client, { chunkSize: CHUNK });
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

describe('compaction and chunk GC', () => {
  const v1 = randomBytes(3 * CHUNK - 100); // 3 chunks, superseded below
  const v2 = randomBytes(CHUNK + 1); // 2 chunks, current
  const doomed = randomBytes(2 * CHUNK); // 2 chunks, deleted below
  const kept = randomBytes(CHUNK / 2); // 1 chunk, untouched

  it(
    'compacts and collects on nodes that never fetched a key: no key client anywhere, condemned shards deleted on every node',
    track(async () => {
      await client.put(v1, 'versioned');
      await client.put(v2, 'versioned');
      await client.put(doomed, 'doomed');
      await client.put(kept, 'kept');
      expect(await client.delete('doomed')).toEqual({ existed: true });

      await cluster.launcher.stop('km1');
      await restartAll(BRISK, ['--keymanager', ...HOUSEKEEPING_FLAGS]);
      const condemned = (3 + 2) * SHARDS_PER_CHUNK;
      const deleted = await pollUntil(
        'the superseded version and the deleted object compacted, collected and their shards deleted',
        async () => {
          const n = await reclaimed();
          return n >= condemned ? n : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      expect(deleted).toBe(condemned);
      expect(await total('tessera_data_housekeeping_proposals_total', { kind: 'compact' })).toBeGreaterThanOrEqual(1);
      expect(await total('tessera_data_housekeeping_proposals_total', { kind: 'chunk_delete' })).toBe(5);
      // No process had a key: no node has a key client (zero requests, zero cache hits), and the logs say why.
      for (const n of cluster.launcher.running()) {
        const body = await scrape(n.id);
        expect(sampleValue(body, 'tessera_keys_fetches_total') ?? 0, `${n.id} key fetches`).toBe(0);
        expect(sampleValue(body, 'tessera_keys_cache_hits_total') ?? 0, `${n.id} key cache hits`).toBe(0);
        expect(await n.logTail(400)).toContain('no key manager configured');
      }
    }),
    180_000,
  );

  it(
    'serves the surviving versions once the key manager is back; the deleted object stays gone',
    track(async () => {
      await cluster.launcher.restartKeyManager('km1');
      await restartAll(BRISK, HOUSEKEEPING_FLAGS);
      await cluster.waitReady();
      expect(sha(await client.getBuffer('versioned'))).toBe(sha(v2));
      expect(sha(await client.getBuffer('kept'))).toBe(sha(kept));
      await expect(client.stat('doomed')).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    }),
    180_000,
  );

  it(
    'with keys: a deleted object\'s chunks go, referenced ones never do; a new member installs a snapshot and every digest agrees',
    track(async () => {
      const before = await reclaimed();
      const again = randomBytes(2 * CHUNK);
      await client.put(again, 'again');
      await client.delete('again');
      await pollUntil(
        'the deleted object\'s shards reclaimed',
        async () => ((await reclaimed()) >= before + 2 * SHARDS_PER_CHUNK ? true : undefined),
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      expect(sha(await client.getBuffer('kept'))).toBe(sha(kept));
      expect(sha(await client.getBuffer('versioned'))).toBe(sha(v2));

      await cluster.addNode('n4');
      const statuses = await pollUntil(
        'every replica at the same applied index with the same state digest',
        async () => {
          const all = await cluster.raft.statuses();
          const digests = new Set(all.map((s) => s.stateDigest));
          return all.length === 4 && digests.size === 1 && !digests.has('') ? all : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 20 },
      );
      expect(statuses.find((s) => s.nodeId === 'n4')?.snapshotsInstalled).toBeGreaterThanOrEqual(1);
    }),
    180_000,
  );

  it(
    'reclaims the shards of a gateway that died between its shard writes and its commit, once they are older than orphanTTL',
    track(async () => {
      // Play the dead gateway: n1's identity writes a shard to n2 over Fabric and never commits it.
      const n1 = cluster.launcher.nodeTls('n1');
      const fabric = await FabricClients.create({ trustDomain: cluster.launcher.trustDomain, tls: n1, watch: false });
      try {
        const before = sampleValue(await scrape('n2'), 'tessera_storage_shards_reclaimed_total', { reason: 'orphan' }) ?? 0;
        const gatewayTime = Date.now();
        await fabric.putShard(cluster.launcher.node('n2').ports.peerAddress, {
          deviceId: 'd1',
          chunkId: randomBytes(32),
          writeId: randomBytes(16),
          shardIndex: 0,
          payload: randomBytes(4096),
          sysEpoch: 1,
          gatewayTime,
        });
        // Young, it is kept (a slow commit may still come); past orphanTTL (1.5 s here), it goes.
        const reclaimedAt = await pollUntil(
          'the orphan shard reclaimed on n2',
          async () => ((sampleValue(await scrape('n2'), 'tessera_storage_shards_reclaimed_total', { reason: 'orphan' }) ?? 0) > before ? Date.now() : undefined),
          { timeoutMs: 20_000, intervalMs: 100 },
        );
        expect(reclaimedAt - gatewayTime).toBeGreaterThanOrEqual(1_500);
      } finally {
        fabric.close();
      }
    }),
    60_000,
  );
});
