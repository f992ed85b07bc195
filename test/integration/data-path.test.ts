/**
 * Issue #7 across processes: a key manager and three storage nodes (real
 * mTLS, LevelDB, extent files), a tenant with its own CA, and the
 * @tessera/client SDK:
 *  - objects of 0 B, 1 B, 4 KiB, 4 KiB + 1, 10 MiB and 64 MiB put and read
 *    back byte for byte, through different gateway nodes;
 *  - ranged reads across chunk boundaries;
 *  - stat, list (pages, prefixes), delete;
 *  - a node killed: every object still reads back (4+2 over 3 nodes loses at
 *    most 2 shards), and with too few devices left a chunk upload fails with
 *    INSUFFICIENT_DEVICES and nothing is acknowledged;
 *  - the node restarts and catches up;
 *  - a tenant disabled by a cluster admin is refused by every node until
 *    it is enabled again;
 *  - a fourth node joins later (learner, snapshot of the metadata state,
 *    promoted) and serves every object as gateway.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import type { TesseraClient } from '@tessera/client';
import { DataCluster, type TenantHandle } from './support/data-cluster.js';
import { FailureFlag } from './support/failures.js';

const MiB = 1024 * 1024;
const CHUNK = 4 * MiB;

let cluster: DataCluster;
let acme: TenantHandle;
let client: TesseraClient;
const failures = new FailureFlag();
const { track } = failures;
const stored = new Map<string, Buffer>();

function sha(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

beforeAll(async () => {
  // Small snapshots, so a node that joins later catches up from a snapshot of the metadata state.
  cluster = await DataCluster.start({ nodes: 3, nodeArgs: ['--snapshot-entries', '40', '--retain-entries', '10'] });
  try {
    acme = await cluster.addTenant('acme', 'shared');
    client = await cluster.client(acme.client);
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

describe('objects on a 3-node cluster', () => {
  it(
    'puts and gets objects of 0 B, 1 B, 4 KiB, 4 KiB + 1, 10 MiB and 64 MiB byte for byte',
    track(async () => {
      for (const size of [0, 1, 4096, 4097, 10 * MiB, 64 * MiB]) {
        const name = `sizes/${size}`;
        const bytes = randomBytes(size);
        const info = await client.put(bytes, name);
        expect(info).toMatchObject({ name, size, chunks: size <= 4096 ? 0 : Math.ceil(size / CHUNK) });
        stored.set(name, bytes);
        const back = await client.getBuffer(name);
        expect(back.byteLength).toBe(size);
        expect(sha(back)).toBe(sha(bytes));
      }
    }),
    240_000,
  );

  it(
    'reads byte ranges across chunk boundaries, reading only what covers them',
    track(async () => {
      const bytes = stored.get(`sizes/${10 * MiB}`)!;
      const ranges: Array<[number, number]> = [
        [0, 1],
        [CHUNK - 3, 7],
        [CHUNK - 1, CHUNK + 2],
        [2 * CHUNK + 5, 10 * MiB - (2 * CHUNK + 5)],
        [10 * MiB - 1, 1],
      ];
      for (const [offset, length] of ranges) {
        const part = await client.getBuffer(`sizes/${10 * MiB}`, { offset, length });
        expect(sha(part)).toBe(sha(bytes.subarray(offset, offset + length)));
      }
      // Length omitted: to the end. Inline objects take ranges too.
      expect(sha(await client.getBuffer(`sizes/${10 * MiB}`, { offset: 9 * MiB }))).toBe(sha(bytes.subarray(9 * MiB)));
      const small = stored.get('sizes/4096')!;
      expect((await client.getBuffer('sizes/4096', { offset: 100, length: 50 })).equals(small.subarray(100, 150))).toBe(true);
    }),
    60_000,
  );

  it(
    'stats, lists in pages by prefix, and deletes',
    track(async () => {
      const info = await client.stat(`sizes/${64 * MiB}`);
      expect(info).toMatchObject({ name: `sizes/${64 * MiB}`, size: 64 * MiB, chunks: 16 });
      for (let i = 0; i < 25; i++) await client.put(Buffer.from(`item ${i}`), `list/${String(i).padStart(3, '0')}`, { attributes: { i: String(i) } });
      const names: string[] = [];
      for await (const o of client.list({ prefix: 'list/', pageSize: 10 })) names.push(o.name);
      expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `list/${String(i).padStart(3, '0')}`));
      expect((await client.stat('list/007')).attributes).toEqual({ i: '7' });
      expect(await client.delete('list/007')).toEqual({ existed: true });
      expect(await client.delete('list/007')).toEqual({ existed: false });
      await expect(client.stat('list/007')).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
      const after: string[] = [];
      for await (const o of client.list({ prefix: 'list/00' })) after.push(o.name);
      expect(after).toEqual(['list/000', 'list/001', 'list/002', 'list/003', 'list/004', 'list/005', 'list/006', 'list/008', 'list/009']);
    }),
    60_000,
  );

  it(
    'serves every object with a node killed, refuses new chunks with INSUFFICIENT_DEVICES, and catches the node up after restart',
    track(async () => {
      await cluster.raft.kill9('n3');
      for (const [name, bytes] of stored) {
        expect(sha(await client.getBuffer(name))).toBe(sha(bytes));
      }
      // 4 devices are left for a 4+2 profile: no chunk can be stored (inline objects still can).
      const impatient = await cluster.client(acme.client, { retryTimeoutMs: 1_000 });
      await expect(impatient.put(randomBytes(64 * 1024), 'refused')).rejects.toMatchObject({ code: ErrorCodes.INSUFFICIENT_DEVICES });
      await expect(client.stat('refused')).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
      await client.put(Buffer.from('small'), 'while-n3-down');
      await cluster.raft.restart('n3');
      await cluster.waitReady();
      const direct = await cluster.client(acme.client, { endpoints: [cluster.launcher.node('n3').ports.clientAddress] });
      expect((await direct.getBuffer('while-n3-down')).toString()).toBe('small');
      const big = randomBytes(5 * MiB);
      await direct.put(big, 'after-restart');
      expect(sha(await client.getBuffer('after-restart'))).toBe(sha(big));
    }),
    180_000,
  );

  it(
    'stops serving a tenant a cluster admin disabled (on every node, until it is enabled again); its tenant admin cannot enable it',
    track(async () => {
      const answer = async (address: string): Promise<string> => {
        const direct = await cluster.client(acme.client, { endpoints: [address], retryTimeoutMs: 0 });
        try {
          await direct.stat('sizes/4096');
          return 'served';
        } catch (err) {
          return (err as { code?: string }).code ?? 'unknown';
        } finally {
          direct.close();
        }
      };
      const addresses = cluster.launcher.running().map((n) => n.ports.clientAddress);
      const everyNode = async (wanted: string): Promise<void> => {
        const deadline = Date.now() + 30_000;
        let seen: string[] = [];
        while (Date.now() < deadline) {
          seen = await Promise.all(addresses.map(answer));
          if (seen.every((a) => a === wanted)) return;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(seen).toEqual(addresses.map(() => wanted));
      };
      const disabled = await cluster.kms.cli(['-o', 'json', 'tenant', 'disable', '--tenant', 'acme']);
      expect(disabled.code, disabled.stderr).toBe(0);
      expect(JSON.parse(disabled.stdout)).toMatchObject({ id: 'acme', disabled: true });
      await everyNode(ErrorCodes.TENANT_NOT_ACTIVE);
      // The tenant's own admin cannot lift it.
      expect((await cluster.kms.cli(['tenant', 'enable', '--tenant', 'acme'], acme.admin)).code).not.toBe(0);
      const enabled = await cluster.kms.cli(['-o', 'json', 'tenant', 'enable', '--tenant', 'acme']);
      expect(enabled.code, enabled.stderr).toBe(0);
      await everyNode('served');
      expect(sha(await client.getBuffer('sizes/4096'))).toBe(sha(stored.get('sizes/4096')!));
    }),
    120_000,
  );

  it(
    'uploads chunks and writes shards over the bulk ports (ADR 0026); a client with bulk: false uploads over PutChunk',
    track(async () => {
      /** A counter summed over every node's /metrics. */
      const total = async (pattern: RegExp): Promise<number> => {
        let sum = 0;
        for (const node of cluster.launcher.nodes()) {
          const text = await (await fetch(`http://${node.ports.httpAddress}/metrics`)).text();
          for (const line of text.split('\n')) if (pattern.test(line)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
        }
        return sum;
      };
      const bulkChunks = (): Promise<number> => total(/^tessera_bulk_requests_total\{kind="put_chunk",code="OK"\}/);
      const bulkShards = (): Promise<number> => total(/^tessera_bulk_requests_total\{kind="put_shard",code="OK"\}/);
      const grpcChunks = (): Promise<number> => total(/^tessera_grpc_requests_total\{.*method="PutChunk".*code="OK"/);
      const grpcShards = (): Promise<number> => total(/^tessera_grpc_requests_total\{.*method="PutShard"/);

      const bulkClient = await cluster.client(acme.client, { endpoints: [cluster.launcher.node('n1').ports.clientAddress] });
      // The first upload asks n1 where its bulk port is (and may go over PutChunk meanwhile).
      await bulkClient.put(randomBytes(MiB), 'bulk/first');
      const before = { chunks: await bulkChunks(), shards: await bulkShards(), grpc: await grpcChunks(), grpcShards: await grpcShards() };
      const bytes = randomBytes(3 * CHUNK);
      await bulkClient.put(bytes, 'bulk/three-chunks');
      expect(await bulkChunks()).toBe(before.chunks + 3);
      expect(await grpcChunks()).toBe(before.grpc);
      // Every shard a gateway sends to another node goes over that node's bulk port (4 of 6 per chunk when all are up).
      expect(await bulkShards()).toBeGreaterThanOrEqual(before.shards + 3);
      expect(await grpcShards()).toBe(before.grpcShards);
      expect(sha(await client.getBuffer('bulk/three-chunks'))).toBe(sha(bytes));

      const plain = await cluster.client(acme.client, { endpoints: [cluster.launcher.node('n1').ports.clientAddress], bulk: false });
      const more = randomBytes(2 * CHUNK);
      await plain.put(more, 'bulk/over-grpc');
      expect(await grpcChunks()).toBe(before.grpc + 2);
      expect(await bulkChunks()).toBe(before.chunks + 3);
      expect(sha(await bulkClient.getBuffer('bulk/over-grpc'))).toBe(sha(more));
    }),
    120_000,
  );

  it(
    'grows by a fourth node that catches up from a snapshot and serves every object as gateway',
    track(async () => {
      await cluster.addNode('n4');
      const viaN4 = await cluster.client(acme.client, { endpoints: [cluster.launcher.node('n4').ports.clientAddress] });
      for (const [name, bytes] of stored) expect(sha(await viaN4.getBuffer(name))).toBe(sha(bytes));
      const names: string[] = [];
      for await (const o of viaN4.list({ prefix: 'list/' })) names.push(o.name);
      expect(names).toHaveLength(24);
      const fresh = randomBytes(3 * MiB);
      await viaN4.put(fresh, 'via-n4');
      expect(sha(await client.getBuffer('via-n4'))).toBe(sha(fresh));
    }),
    120_000,
  );
});
