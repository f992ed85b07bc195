import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { openDurableKv } from '@tessera/common/durable';
import { tempDirs } from '@tessera/common/testing';
import { KeyMaterial } from '@tessera/crypto';
import { KeyClient, localKeyFetcher, type FetchedKey, type KeyFetcher, type KmEvent } from '../src/index.js';
import { MemoryRootProvider, nodeCaller, seed, stack, tenantAdmin } from './helpers.js';

const dirs = tempDirs('tessera-km-client-');
afterAll(() => dirs.cleanup());

/** A fetcher whose reachability the test controls, over an in-process key manager. */
async function setup(ttlMs = 60_000) {
  const kv = await openDurableKv(await dirs.make());
  const s = await stack(kv, new MemoryRootProvider());
  await seed(s);
  const inner = localKeyFetcher(s.service, nodeCaller('n1'));
  const net = { up: true, calls: 0 };
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<FetchedKey>) => async (...a: A): Promise<FetchedKey> => {
    net.calls++;
    if (!net.up) throw new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'connection refused', { retriable: true });
    return fn(...a);
  };
  const fetcher: KeyFetcher = {
    masterKey: guard(inner.masterKey),
    dedupKey: guard(inner.dedupKey),
    tenantDataKey: guard(inner.tenantDataKey),
    tenantIndexKey: guard(inner.tenantIndexKey),
  };
  const time = { now: 0 };
  const listeners = new Set<(e: KmEvent) => void>();
  s.machine.subscribe((e) => listeners.forEach((l) => l(e)));
  const client = new KeyClient({
    fetcher,
    clock: () => time.now,
    ttlMs,
    watch: { subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) },
  });
  return { s, kv, client, net, time };
}

describe('KeyClient', () => {
  it('caches a TDK for an absolute TTL, then zero-fills it and fetches again', async () => {
    const { client, time, kv } = await setup();
    const first = await client.tenantDataKey('acme', 1);
    const bytes = first.key.expose();
    expect(bytes.some((b) => b !== 0)).toBe(true);
    time.now = 59_999;
    expect((await client.tenantDataKey('acme', 1)).key).toBe(first.key); // reads never extend the TTL ...
    expect(client.stats).toMatchObject({ requests: 1, cacheHits: 1 });
    time.now = 60_000;
    const second = await client.tenantDataKey('acme', 1);
    expect(second.key).not.toBe(first.key);
    expect(first.key.destroyed).toBe(true);
    expect(bytes.every((b) => b === 0)).toBe(true); // ... and expiry wipes the bytes
    expect(client.stats.requests).toBe(2);
    client.close();
    await kv.close();
  });

  it('destroys ChunkKeys derived from a TDK or TIK together with it', async () => {
    const { client, time, kv } = await setup();
    const keys = await client.isolatedChunkKeys('acme', 1, 1);
    const id = keys.chunkIdOf(Buffer.from('some plaintext'));
    expect(await client.isolatedChunkKeys('acme', 1, 1)).toBe(keys);
    const shared = await client.sharedChunkKeys(1);
    time.now = 61_000;
    const rebuilt = await client.isolatedChunkKeys('acme', 1, 1);
    expect(keys.destroyed).toBe(true);
    expect(() => keys.chunkIdOf(Buffer.from('x'))).toThrow(expect.objectContaining({ code: ErrorCodes.CRYPTO_KEY_DESTROYED }));
    expect(rebuilt.chunkIdOf(Buffer.from('some plaintext')).equals(id)).toBe(true);
    expect(shared.destroyed).toBe(false); // master and dedup keys have no TTL
    client.close();
    expect(rebuilt.destroyed).toBe(true);
    expect(shared.destroyed).toBe(true);
    await kv.close();
  });

  it('drops a tenant on a shred event and refuses it afterwards, without asking the key manager', async () => {
    const { s, client, kv } = await setup();
    const tdk = await client.tenantDataKey('acme');
    const chunkKeys = await client.isolatedChunkKeys('acme', 1, 1);
    const dropped: string[] = [];
    client.onTenantKeysDropped((t) => dropped.push(t));
    await s.admin.requestShred(tenantAdmin('acme'), 'acme', 0);
    expect(tdk.key.destroyed).toBe(false); // scheduled is not executed
    await s.admin.executeDueShreds();
    expect(tdk.key.destroyed).toBe(true);
    expect(chunkKeys.destroyed).toBe(true);
    expect(dropped).toEqual(['acme']);
    const requests = client.stats.requests;
    await expect(client.tenantIndexKey('acme')).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    expect(client.stats.requests).toBe(requests);
    client.close();
    await kv.close();
  });

  it('drops a tenant on a KEK rotation and fetches the same key again', async () => {
    const { s, client, kv } = await setup();
    const before = await client.tenantDataKey('acme', 1);
    const copy = Buffer.from(before.key.expose());
    await s.admin.rotateKek(tenantAdmin('acme'), 'acme');
    expect(before.key.destroyed).toBe(true);
    expect(client.stats.invalidations).toBe(1);
    expect((await client.tenantDataKey('acme', 1)).key.expose().equals(copy)).toBe(true);
    client.close();
    await kv.close();
  });

  it('keeps cached keys working while the key manager is unreachable, and fails uncached ones retriably', async () => {
    const { client, net, time, kv } = await setup();
    const tdk = await client.tenantDataKey('acme', 1);
    await client.masterKey(1);
    net.up = false;
    time.now = 30_000;
    expect((await client.tenantDataKey('acme', 1)).key).toBe(tdk.key);
    await expect(client.masterKey(1)).resolves.toMatchObject({ epoch: 1 });
    const err = await client.tenantIndexKey('acme').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.KM_UNAVAILABLE, retriable: true });
    time.now = 60_000;
    await expect(client.tenantDataKey('acme', 1)).rejects.toMatchObject({ code: ErrorCodes.KM_UNAVAILABLE });
    expect(tdk.key.destroyed).toBe(true);
    net.up = true;
    await expect(client.tenantDataKey('acme', 1)).resolves.toMatchObject({ epoch: 1 });
    expect(client.stats.failures).toBe(2);
    client.close();
    await kv.close();
  });

  it('passes refusals through unchanged (not retriable)', async () => {
    const { client, kv } = await setup();
    await expect(client.tenantDataKey('ghost')).rejects.toMatchObject({ code: ErrorCodes.KM_TENANT_NOT_FOUND, retriable: false });
    client.close();
    await kv.close();
  });

  it('shares one fetch between concurrent requests for the same key', async () => {
    const { client, net, kv } = await setup();
    const results = await Promise.all([client.tenantIndexKey('acme'), client.tenantIndexKey('acme'), client.tenantIndexKey('acme')]);
    expect(net.calls).toBe(1);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
    client.close();
    await kv.close();
  });

  it('honours a TTL shorter than its own when the key manager grants one', async () => {
    const time = { now: 0 };
    const fetcher: KeyFetcher = {
      masterKey: async () => ({ key: KeyMaterial.generate(), ttlMs: 0, epoch: 1 }),
      dedupKey: async () => ({ key: KeyMaterial.generate(), ttlMs: 0, epoch: 0 }),
      tenantDataKey: async () => ({ key: KeyMaterial.generate(), ttlMs: 1_000, epoch: 1 }),
      tenantIndexKey: async () => ({ key: KeyMaterial.generate(), ttlMs: 1_000, epoch: 0 }),
    };
    const client = new KeyClient({ fetcher, clock: () => time.now });
    const a = await client.tenantDataKey('t', 1);
    time.now = 1_000;
    const b = await client.tenantDataKey('t', 1);
    expect(b.key).not.toBe(a.key);
    expect(a.key.destroyed).toBe(true);
    client.close();
  });
});
