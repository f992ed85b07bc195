/**
 * Invariant K1 across real processes: no plaintext object data, object name
 * or attribute reaches any disk. A random 32-byte marker goes into the
 * content (raw and hex, inline, one chunk, many small chunks with the marker
 * straddling chunk boundaries), the names and the attributes of objects of a
 * shared-policy and an isolated-policy tenant; everything is read back,
 * listed, overwritten and deleted so the read and write paths all ran. Then
 * every process is stopped cleanly (LevelDB LOCKs released, files at rest)
 * and everything under the launcher's root is scanned — every node's and
 * the key manager's data dir (a node's temp dir is `<dataDir>/tmp`), the
 * captured logs, the temp dir given to the key manager and CLI runs, PKI
 * and keyring — for every encoding of the marker, and every LevelDB found
 * under the data dirs is iterated logically (Snappy can hide bytes from a
 * file scan).
 *
 * Exempt, by path, exactly what K1 exempts: TLS private keys and the file
 * root provider's key files; each exempt file is checked to be mode 0600 and
 * outside every data dir. A positive control plants the marker afterwards
 * and checks the same scan finds it, so a broken scan cannot pass silently.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import type { TesseraClient } from '@tessera/client';
import { findLevelDbDirs, scanFilesForCanary, scanLevelDbForCanary, type CanaryHit } from '@tessera/launcher';
import { DataCluster, type TenantHandle } from '../integration/support/data-cluster.js';
import { FailureFlag } from '../integration/support/failures.js';

const KiB = 1024;
const SMALL_CHUNK = 256 * KiB;

const marker = randomBytes(32);
const hex = marker.toString('hex');
const HEX = hex.toUpperCase();

let root: string;
let cluster: DataCluster;
const failures = new FailureFlag();
const { track } = failures;
const tenants: Array<{ handle: TenantHandle; client: TesseraClient }> = [];
/** name → bytes of every object expected to exist, per tenant id. */
const stored = new Map<string, Map<string, Buffer>>();

/** `size` random bytes with `parts` written at the given offsets. */
function planted(size: number, parts: ReadonlyArray<readonly [number, Buffer | string]>): Buffer {
  const b = randomBytes(size);
  for (const [offset, part] of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    if (offset < 0 || offset + bytes.length > size) throw new Error(`part at ${offset} does not fit in ${size} bytes`);
    bytes.copy(b, offset);
  }
  return b;
}

/** The objects every tenant stores: names, attributes and contents carrying the marker. */
function objectsFor(tenant: string): Array<{ name: string; bytes: Buffer; attributes: Record<string, string> }> {
  const attributes = { [`key-${hex}`]: `value-${HEX}`, plain: `owner ${hex}` };
  return [
    // Inline (≤ 4 KiB): the bytes live in the delta payload only.
    { name: `inline/${hex}`, bytes: Buffer.from(`text ${hex} then raw [${marker.toString('latin1')}] then ${HEX}; again ${hex}${hex}`, 'latin1'), attributes },
    { name: `inline-max/${HEX}.bin`, bytes: planted(4 * KiB, [[0, marker], [100, hex], [4 * KiB - marker.length, marker]]), attributes },
    // One chunk.
    { name: `${tenant}/one-chunk/${hex}`, bytes: planted(100 * KiB, [[1, marker], [50 * KiB, hex], [100 * KiB - 64, HEX]]), attributes },
    // Several 256 KiB chunks; the marker straddles the first and second boundaries, and ends the object.
    {
      name: `multi/${hex}/object`,
      bytes: planted(4 * SMALL_CHUNK + 1000, [
        [SMALL_CHUNK - 16, marker],
        [2 * SMALL_CHUNK - 32, hex],
        [3 * SMALL_CHUNK + 7, HEX],
        [4 * SMALL_CHUNK + 1000 - marker.length, marker],
      ]),
      attributes: { [`multi-${hex}`]: hex },
    },
    // Highly compressible text (LevelDB's Snappy and any log would keep it whole).
    { name: `compressible-${hex}`, bytes: Buffer.from(`${hex} `.repeat(3000), 'latin1'), attributes: {} },
  ];
}

/** Every encoding of the marker in any non-exempt file under `root`, and in every LevelDB under the data dirs. */
async function scanAll(exempt: ReadonlySet<string>): Promise<{ hits: CanaryHit[]; databases: string[] }> {
  const fileHits = await scanFilesForCanary([root], marker, { exclude: (p) => exempt.has(p) });
  const databases = await findLevelDbDirs(cluster.dataDirs());
  const dbHits = await scanLevelDbForCanary(databases, marker);
  return { hits: [...fileHits, ...dbHits], databases };
}

function describeHits(hits: readonly CanaryHit[]): string {
  return hits.map((h) => `${path.relative(root, h.where.replace(/^leveldb:/, '')) || h.where} [${h.where.startsWith('leveldb:') ? h.where.split(' ').slice(1).join(' ') : 'file'}] ${h.encoding} @${h.offset}`).join('\n');
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else if (entry.isFile()) yield p;
  }
}

/**
 * The K1 exemptions, by path, relative to the launcher's root: TLS private
 * keys (cluster CA, every node / key manager / admin leaf, every tenant CA
 * and tenant leaf) and the file root provider's key files. Nothing else.
 */
const EXEMPT_PATTERNS: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp }> = [
  { what: 'cluster CA private key', pattern: /^pki\/ca\/ca\.key$/ },
  { what: 'node, key-manager and admin TLS private keys', pattern: /^pki\/certs\/[^/]+\.key$/ },
  { what: 'tenant CA private keys', pattern: /^tenants\/[^/]+\/ca\/ca\.key$/ },
  { what: 'tenant admin and client TLS private keys', pattern: /^tenants\/[^/]+\/certs\/[^/]+\.key$/ },
  { what: 'file root provider key files', pattern: /^keyring\/[^/]+$/ },
];

async function exemptFiles(): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const file of walk(root)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (EXEMPT_PATTERNS.some((e) => e.pattern.test(rel))) out.add(file);
  }
  return out;
}

function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tessera-k1-'));
  // The key manager and every CLI run get a temp dir under the root (nodes use <dataDir>/tmp), so it is scanned too.
  const tmp = path.join(root, 'tmp');
  await mkdir(tmp, { mode: 0o700 });
  try {
    cluster = await DataCluster.start({ nodes: 3, root, env: { TMPDIR: tmp } });
    for (const [id, policy] of [['alpha', 'shared'], ['beta', 'isolated']] as const) {
      const handle = await cluster.addTenant(id, policy);
      tenants.push({ handle, client: await cluster.client(handle.client, { chunkSize: SMALL_CHUNK }) });
    }
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
  if (!failures.failed && root !== undefined) await rm(root, { recursive: true, force: true });
  else if (root !== undefined) process.stderr.write(`K1 test files kept in ${root}\n`);
}, 60_000);

describe('K1: no plaintext on any disk (shared and isolated tenants)', () => {
  it(
    'stores, reads back, lists, overwrites and deletes objects whose content, names and attributes carry the marker',
    track(async () => {
      for (const { handle, client } of tenants) {
        const mine = new Map<string, Buffer>();
        stored.set(handle.id, mine);
        for (const { name, bytes, attributes } of objectsFor(handle.id)) {
          const info = await client.put(bytes, name, { attributes });
          expect(info).toMatchObject({ name, size: bytes.length, chunks: bytes.length <= 4 * KiB ? 0 : Math.ceil(bytes.length / SMALL_CHUNK) });
          mine.set(name, bytes);
        }
        // The read path: whole objects, a range across the straddled boundary, stat with attributes.
        for (const [name, bytes] of mine) expect((await client.getBuffer(name)).equals(bytes)).toBe(true);
        const multi = `multi/${hex}/object`;
        const range = await client.getBuffer(multi, { offset: SMALL_CHUNK - 20, length: 40 });
        expect(range.equals(mine.get(multi)!.subarray(SMALL_CHUNK - 20, SMALL_CHUNK + 20))).toBe(true);
        expect((await client.stat(multi)).attributes).toEqual({ [`multi-${hex}`]: hex });
        // A new version (the old delta is superseded), then a delete (a tombstone).
        const v2 = Buffer.from(`version two ${HEX} ${hex}`, 'latin1');
        await client.put(v2, `inline/${hex}`, { attributes: { [`v2-${hex}`]: HEX } });
        mine.set(`inline/${hex}`, v2);
        expect((await client.getBuffer(`inline/${hex}`)).equals(v2)).toBe(true);
        expect(await client.delete(`${handle.id}/one-chunk/${hex}`)).toEqual({ existed: true });
        mine.delete(`${handle.id}/one-chunk/${hex}`);
        // Error paths carrying the marker in the request (a node must not log the names it refuses).
        await expect(client.stat(`missing/${hex}`)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
        await expect(client.getBuffer(`${handle.id}/one-chunk/${hex}`)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
        expect(await client.delete(`missing/${HEX}`)).toEqual({ existed: false });
        // Listing (the node builds its name index from decrypted payloads).
        const names: string[] = [];
        for await (const o of client.list({ pageSize: 2 })) names.push(o.name);
        expect(names).toEqual([...mine.keys()].sort());
        const byPrefix: string[] = [];
        for await (const o of client.list({ prefix: `multi/${hex}` })) byPrefix.push(o.name);
        expect(byPrefix).toEqual([multi]);
      }
      // The same content in both tenants, twice in each: the dedup path (a pending reference only) runs too.
      const same = planted(2 * SMALL_CHUNK + 5, [[SMALL_CHUNK - 3, marker]]);
      for (const { handle, client } of tenants) {
        await client.put(same, `dedup/${hex}`);
        await client.put(same, `dedup-again/${hex}`);
        stored.get(handle.id)!.set(`dedup/${hex}`, same).set(`dedup-again/${hex}`, same);
        expect((await client.getBuffer(`dedup/${hex}`)).equals(same)).toBe(true);
      }
    }),
    120_000,
  );

  let exempt: Set<string>;

  it(
    'finds the marker nowhere after a clean stop: files under the whole root (data dirs, temp dirs, logs, PKI, keyring) and every LevelDB logically',
    track(async () => {
      const exits = await cluster.stopAll();
      expect([...exits].filter(([, exit]) => exit.code !== 0).map(([id, exit]) => `${id}: ${JSON.stringify(exit)}`)).toEqual([]);

      // The exemptions: listed above, each a 0600 file outside every data dir.
      exempt = await exemptFiles();
      const dataDirs = cluster.dataDirs();
      const problems: string[] = [];
      for (const file of exempt) {
        const st = await lstat(file);
        if (!st.isFile() || (st.mode & 0o777) !== 0o600) problems.push(`${path.relative(root, file)} has mode ${(st.mode & 0o777).toString(8)}`);
        if (dataDirs.some((d) => inside(file, d))) problems.push(`${path.relative(root, file)} is inside a data dir`);
      }
      expect(problems).toEqual([]);
      const rel = [...exempt].map((f) => path.relative(root, f));
      // Sanity: the exemptions are the files they claim to be (so the patterns are not silently matching nothing).
      for (const id of ['n1', 'n2', 'n3']) expect(rel).toContain(`pki/certs/node-${id}.key`);
      expect(rel).toContain('pki/certs/keymanager-km1.key');
      expect(rel.filter((f) => f.startsWith('keyring/')).length).toBeGreaterThan(0);
      expect(rel.filter((f) => f.startsWith('tenants/')).length).toBeGreaterThanOrEqual(2 * 3);

      // Sanity: the data really is on these disks (the extents hold at least the sealed chunk bytes).
      let dataBytes = 0;
      for (const d of dataDirs) for await (const f of walk(d)) dataBytes += (await lstat(f)).size;
      const plaintextBytes = [...stored.values()].flatMap((m) => [...m.values()]).reduce((n, b) => n + b.length, 0);
      expect(dataBytes).toBeGreaterThan(plaintextBytes);

      const { hits, databases } = await scanAll(exempt);
      // Each node has a Raft LevelDB and a state-machine LevelDB; the key manager has its own.
      for (const d of dataDirs) expect(databases.some((db) => inside(db, d))).toBe(true);
      expect(databases.length).toBeGreaterThanOrEqual(2 * 3 + 1);
      if (hits.length > 0) process.stderr.write(`K1 violations (${hits.length}):\n${describeHits(hits)}\n`);
      expect(describeHits(hits)).toBe('');
    }),
    120_000,
  );

  it(
    'positive control: the same scan finds the marker planted in a scratch file under the root and in a LevelDB under a data dir',
    track(async () => {
      expect(exempt).toBeDefined();
      const scratch = path.join(root, 'scratch');
      await mkdir(scratch);
      // Raw at an odd offset, base64 after 1 and 2 bytes of prefix, UTF-16LE of the upper-case hex, in a log-like line.
      await writeFile(path.join(scratch, 'raw.bin'), Buffer.concat([randomBytes(7), marker, randomBytes(9)]));
      await writeFile(path.join(scratch, 'b64.json'), JSON.stringify({ a: Buffer.concat([Buffer.from('x'), marker]).toString('base64'), b: Buffer.concat([Buffer.from('yz'), marker]).toString('base64url') }));
      await writeFile(path.join(scratch, 'wide.log'), Buffer.from(`name=${HEX}\n`, 'utf16le'));
      // A LevelDB whose only copy of the marker is in a Snappy-compressible value (the logical scan must see it).
      const dbDir = path.join(cluster.dataDirs()[0]!, 'scratch-canary-db');
      const db = new ClassicLevel<string, string>(dbDir);
      await db.put('k', `${'padding '.repeat(200)}${hex}${'padding '.repeat(200)}`);
      await db.close();

      const { hits } = await scanAll(exempt);
      const where = (h: CanaryHit): string => path.relative(root, h.where.replace(/^leveldb:/, '').replace(/ entry#.*$/, ''));
      const found = hits.map((h) => `${where(h)} ${h.where.startsWith('leveldb:') ? 'leveldb' : 'file'} ${h.encoding}`);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^scratch\/raw\.bin file raw/),
          expect.stringMatching(/^scratch\/b64\.json file .*base64@1/),
          expect.stringMatching(/^scratch\/b64\.json file .*base64url@2/),
          expect.stringMatching(/^scratch\/wide\.log file utf16le\(HEX\)/),
          expect.stringMatching(/scratch-canary-db leveldb hex/),
        ]),
      );
      // Nothing but the planted copies (the rest of the root stayed clean).
      expect(hits.filter((h) => !where(h).startsWith('scratch/') && !where(h).includes('scratch-canary-db'))).toEqual([]);
    }),
    60_000,
  );
});
