/**
 * The SDK against fake client ports (real mTLS, the real authorization
 * table, a tenant client certificate of the tenant's own CA): round trips
 * inline and chunked, sources of every kind, ranges, listing pages, stat,
 * delete, retries, leader redirect, lost replies and outcome-unknown.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import type { InMemoryTenantCaRegistry } from '@tessera/transport';
import { TesseraClient, type TesseraClientOptions } from '../src/index.js';
import { FakeDataServer, FakeDataStore, createTenantTestPki, type TenantTestPki } from '../src/testing/index.js';

const CHUNK = 64 * 1024;

let pki: TenantTestPki;
let registry: InMemoryTenantCaRegistry;
const started: FakeDataServer[] = [];
const clients: TesseraClient[] = [];

async function startServer(label: string, store?: FakeDataStore, frameBytes?: number): Promise<FakeDataServer> {
  const server = await FakeDataServer.start({
    trustDomain: pki.trustDomain,
    tls: await pki.node(label),
    tenantCas: registry,
    label,
    ...(store !== undefined ? { store } : {}),
    ...(frameBytes !== undefined ? { frameBytes } : {}),
  });
  started.push(server);
  return server;
}

async function connect(endpoints: readonly string[], extra: Partial<TesseraClientOptions> = {}): Promise<TesseraClient> {
  const client = await TesseraClient.connect({ tls: pki.client, endpoints, chunkSize: CHUNK, retryTimeoutMs: 5_000, ...extra });
  clients.push(client);
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

function sha(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

beforeAll(async () => {
  pki = await createTenantTestPki();
  registry = await pki.registry();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(started.splice(0).map((s) => s.close()));
});

afterAll(() => pki.cleanup());

describe('put and get', () => {
  it.each([
    ['0 B', 0, 0],
    ['1 B', 1, 0],
    ['4 KiB (inline)', 4096, 0],
    ['4 KiB + 1 (one chunk)', 4097, 1],
    ['3 chunks + 5 B', 3 * CHUNK + 5, 4],
  ])('round-trips %s', async (_name, size, chunks) => {
    const server = await startServer('n1');
    const client = await connect([server.address]);
    const data = randomBytes(size);
    const info = await client.put(data, 'objects/a', { attributes: { kind: 'test' } });
    expect(info).toMatchObject({ name: 'objects/a', size, chunks, attributes: { kind: 'test' } });
    const stored = server.store.objects.get('objects/a')!;
    expect(stored.inline.length).toBe(chunks === 0 ? size : 0);
    expect(stored.chunkIds).toHaveLength(chunks);
    expect(sha(await client.getBuffer('objects/a'))).toBe(sha(data));
    const readable = await client.get('objects/a');
    expect(readable.info.etag).toBe(info.etag);
    expect(server.store.protocolViolations).toEqual([]);
  });

  it('reads streams, async iterables and files without holding them whole', async () => {
    const server = await startServer('n1');
    const client = await connect([server.address], { concurrency: 2 });
    const data = randomBytes(5 * CHUNK + 123);
    // Odd piece sizes, so chunks are assembled across pieces.
    const pieces = (): Buffer[] => {
      const out: Buffer[] = [];
      for (let at = 0; at < data.length; at += 10_007) out.push(data.subarray(at, at + 10_007));
      return out;
    };
    await client.put(Readable.from(pieces()), 'from-stream');
    await client.put(
      (async function* () {
        yield* pieces();
      })(),
      'from-iterable',
    );
    const file = path.join(pki.cluster.root, 'upload.bin');
    await writeFile(file, data);
    await client.put({ file }, 'from-file');
    for (const name of ['from-stream', 'from-iterable', 'from-file']) {
      expect(sha(await client.getBuffer(name))).toBe(sha(data));
      expect(server.store.objects.get(name)!.chunkIds).toHaveLength(6);
    }
    const missing = await rejection(client.put({ file: path.join(pki.cluster.root, 'absent') }, 'x'));
    expect(isTesseraError(missing, ErrorCodes.INVALID_ARGUMENT)).toBe(true);
  });

  it('reads byte ranges across chunk boundaries', async () => {
    const server = await startServer('n1', undefined, 16 * 1024);
    const client = await connect([server.address]);
    const data = randomBytes(3 * CHUNK + 5);
    await client.put(data, 'ranged');
    const cases: [number, number | undefined][] = [
      [CHUNK - 10, 20],
      [0, 1],
      [100, undefined],
      [3 * CHUNK, 5],
      [2 * CHUNK - 1, CHUNK + 2],
      [CHUNK, 10 * CHUNK],
      [data.length, undefined],
    ];
    for (const [offset, length] of cases) {
      const got = await client.getBuffer('ranged', length === undefined ? { offset } : { offset, length });
      const end = length === undefined ? data.length : Math.min(data.length, offset + length);
      expect(got.equals(data.subarray(offset, end))).toBe(true);
    }
    expect(isTesseraError(await rejection(client.get('ranged', { offset: -1 })), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
    expect(isTesseraError(await rejection(client.get('ranged', { offset: 0, length: 0 })), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
  });

  it('resumes a read cut mid-stream, and refuses to splice two versions', async () => {
    const server = await startServer('n1', undefined, 8 * 1024);
    const client = await connect([server.address]);
    const data = randomBytes(2 * CHUNK);
    await client.put(data, 'resumed');
    server.inject({ method: 'GetObject', kind: 'unavailable', afterBytes: CHUNK });
    expect((await client.getBuffer('resumed')).equals(data)).toBe(true);
    expect(server.store.attemptsOf('GetObject')).toBe(2);

    server.inject({ method: 'GetObject', kind: 'unavailable', afterBytes: CHUNK });
    const readable = await client.get('resumed');
    server.store.putObject('resumed', {}, [server.store.putChunk(randomBytes(2 * CHUNK))], Buffer.alloc(0));
    const err = await rejection((async () => {
      for await (const _ of readable) void _;
    })());
    expect(isTesseraError(err, ErrorCodes.OBJECT_CHANGED)).toBe(true);
  });
});

describe('a node that answers the info and then fails every time', () => {
  it('gives up after the retry window instead of resuming forever', async () => {
    const server = await startServer('n1', undefined, 8 * 1024);
    const client = await connect([server.address], { retryTimeoutMs: 400 });
    const data = randomBytes(2 * CHUNK);
    await client.put(data, 'unreadable');
    // Every GetObject sends the object's info, then fails before any data (as a chunk nobody can read does).
    server.inject({ method: 'GetObject', kind: 'unavailable', afterBytes: 0, times: Infinity });
    const err = await rejection(client.getBuffer('unreadable'));
    expect(err).toMatchObject({ code: expect.any(String) as string });
    const attempts = server.store.attemptsOf('GetObject');
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(40);
  }, 20_000);
});

describe('metadata', () => {
  it('stats, lists in pages and deletes', async () => {
    const server = await startServer('n1');
    const client = await connect([server.address]);
    const names = Array.from({ length: 25 }, (_, i) => `logs/${String(i).padStart(3, '0')}`);
    for (const name of names) await client.put(Buffer.from(name), name);
    for (const other of ['a', 'logz', 'm/logs/1']) await client.put(Buffer.from(other), other);

    const listed: string[] = [];
    for await (const info of client.list({ prefix: 'logs/', pageSize: 10 })) listed.push(info.name);
    expect(listed).toEqual(names);
    expect(server.store.attemptsOf('ListObjects')).toBe(3);
    const all: string[] = [];
    for await (const info of client.list()) all.push(info.name);
    expect(all).toHaveLength(28);

    await client.put(Buffer.from('x'), 'with-attrs', { attributes: { owner: 'alice' } });
    expect(await client.stat('with-attrs')).toMatchObject({ name: 'with-attrs', size: 1, chunks: 0, attributes: { owner: 'alice' } });
    expect(isTesseraError(await rejection(client.stat('nope')), ErrorCodes.NOT_FOUND)).toBe(true);

    expect(await client.delete('with-attrs')).toEqual({ existed: true });
    expect(await client.delete('with-attrs')).toEqual({ existed: false });
    expect(isTesseraError(await rejection(client.getBuffer('with-attrs')), ErrorCodes.NOT_FOUND)).toBe(true);
    expect(isTesseraError(await rejection(client.stat('')), ErrorCodes.INVALID_ARGUMENT)).toBe(true);
    await expect(client.list({ pageSize: 1001 }).next()).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });
});

describe('sessions and retries', () => {
  it('retries chunk uploads through UNAVAILABLE and INSUFFICIENT_DEVICES', async () => {
    const server = await startServer('n1');
    const client = await connect([server.address]);
    server.inject({ method: 'PutChunk', kind: 'unavailable', times: 2 });
    server.inject({ method: 'PutChunk', kind: 'insufficient-devices', times: 2 });
    const data = randomBytes(2 * CHUNK + 1);
    await client.put(data, 'retried');
    expect((await client.getBuffer('retried')).equals(data)).toBe(true);
    expect(server.store.attemptsOf('PutChunk')).toBe(3 + 4);
    // Every write carried a distinct seq, and the acked mark never reached an open one.
    const seqs = server.store.calls.map((c) => c.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(server.store.protocolViolations).toEqual([]);
  });

  it('follows a leader hint to the named node', async () => {
    const store = new FakeDataStore();
    const n1 = await startServer('n1', store);
    const n2 = await startServer('n2', store);
    n1.inject({ method: 'OpenSession', kind: 'not-leader', leader: 'n2', times: Infinity });
    const client = await connect([`n1=${n1.address}`, `n2=${n2.address}`]);
    await client.put(Buffer.from('hello'), 'redirected');
    expect(client.endpoint).toBe(n2.address);
    expect(store.attemptsOf('OpenSession', 'n1')).toBe(1);
    expect(store.calledWith('PutObject').map((c) => c.server)).toEqual(['n2']);
  });

  it('moves to the next endpoint when a node is unavailable and names no leader', async () => {
    const store = new FakeDataStore();
    const n1 = await startServer('n1', store);
    const n2 = await startServer('n2', store);
    n1.inject({ method: 'StatObject', kind: 'not-leader', times: Infinity });
    store.putObject('known', {}, [], Buffer.from('k'));
    const client = await connect([n1.address, n2.address]);
    expect((await client.stat('known')).size).toBe(1);
    expect(client.endpoint).toBe(n2.address);
  });

  it('answers a retried write whose reply was lost from the session (same seq, applied once)', async () => {
    const server = await startServer('n1');
    const client = await connect([server.address]);
    server.inject({ method: 'PutObject', kind: 'unknown-outcome', afterApply: true });
    const info = await client.put(Buffer.from('once'), 'lost-reply');
    const puts = server.store.calledWith('PutObject');
    expect(puts.map((c) => c.replayed)).toEqual([false, true]);
    expect(puts[0]!.seq).toBe(puts[1]!.seq);
    expect(info.etag).toBe(server.store.objects.get('lost-reply')!.etag);

    server.inject({ method: 'DeleteObject', kind: 'deadline', afterApply: true });
    // The replayed answer is the first one: it existed (a second apply would say it did not).
    expect(await client.delete('lost-reply')).toEqual({ existed: true });
    expect(server.store.protocolViolations).toEqual([]);
  });

  it('surfaces a write it could not confirm as outcome-unknown', async () => {
    const server = await startServer('n1');
    const client = await connect([server.address], { retryTimeoutMs: 150 });
    server.inject({ method: 'PutObject', kind: 'unknown-outcome', afterApply: true, times: Infinity });
    const err = await rejection(client.put(Buffer.from('maybe'), 'unknown'));
    expect(isTesseraError(err, ErrorCodes.RAFT_UNKNOWN_OUTCOME)).toBe(true);
    expect((err as Error).message).not.toContain('maybe applied bytes');
    // Every attempt used the same seq: it was applied exactly once.
    const seqs = new Set(server.store.calledWith('PutObject').map((c) => c.seq));
    expect(seqs.size).toBe(1);
    expect(server.store.objects.has('unknown')).toBe(true);
  });

  it('retries a write whose stream broke (INTERNAL without a code) with its seq: applied once', async () => {
    const server = await startServer('n1');
    const client = await connect([server.address]);
    server.inject({ method: 'PutObject', kind: 'broken-stream', afterApply: true });
    const info = await client.put(Buffer.from('once'), 'broken');
    const puts = server.store.calledWith('PutObject');
    expect(puts.map((c) => c.replayed)).toEqual([false, true]);
    expect(info.etag).toBe(server.store.objects.get('broken')!.etag);
  });

  it('after an attempt that may have been applied, a definite refusal leaves the write outcome-unknown', async () => {
    const server = await startServer('n1');
    const client = await connect([server.address], { retryTimeoutMs: 2_000 });
    server.inject({ method: 'PutObject', kind: 'deadline', afterApply: true });
    server.inject({ method: 'PutObject', kind: 'chunk-not-found', times: Infinity });
    const err = await rejection(client.put(Buffer.from('applied'), 'refused-later'));
    expect(isTesseraError(err, ErrorCodes.RAFT_UNKNOWN_OUTCOME)).toBe(true);
    expect(server.store.objects.has('refused-later')).toBe(true);
  });

  it('does not retry a definite refusal, and gives up on an unreachable cluster', async () => {
    const server = await startServer('n1');
    const client = await connect([server.address], { retryTimeoutMs: 100 });
    server.inject({ method: 'PutObject', kind: 'not-leader', times: Infinity });
    const err = await rejection(client.put(Buffer.from('x'), 'refused'));
    expect(isTesseraError(err, ErrorCodes.RAFT_NOT_LEADER)).toBe(true);
    expect(server.store.objects.has('refused')).toBe(false);

    const address = server.address;
    await server.close();
    started.splice(started.indexOf(server), 1);
    const gone = await connect([address], { retryTimeoutMs: 100 });
    const unreachable = await rejection(gone.stat('any'));
    expect(isTesseraError(unreachable, ErrorCodes.TRANSPORT_PEER_UNREACHABLE)).toBe(true);
  });

  it('opens a new session after the cluster forgot the old one', async () => {
    const server = await startServer('n1');
    const client = await connect([server.address]);
    await client.put(Buffer.from('a'), 'first');
    server.store.expireSession('1');
    const err = await rejection(client.put(Buffer.from('b'), 'second'));
    expect(isTesseraError(err, ErrorCodes.RAFT_SESSION_EXPIRED)).toBe(true);
    await client.put(Buffer.from('c'), 'third');
    expect(server.store.attemptsOf('OpenSession')).toBe(2);
  });

  it('refuses bad options and certificates that are not a tenant principal', async () => {
    await expect(TesseraClient.connect({ tls: pki.client, endpoints: [] })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    await expect(TesseraClient.connect({ tls: pki.client, endpoints: ['h:1'], chunkSize: 0 })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    await expect(TesseraClient.connect({ tls: pki.client, endpoints: ['no port'] })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    const node = await pki.node('n9');
    await expect(TesseraClient.connect({ tls: node, endpoints: ['127.0.0.1:1'] })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });
});
