/**
 * Maintenance of a real cluster (issue #8), observed the way an operator
 * does (issues #9/#10: Admin MaintenanceStatus/StartScrub through the
 * `tessera` CLI): three nodes with three devices each (4+2 leaves room to
 * move shards). Scrub passes come only when asked for (`tessera scrub start`;
 * the interval is 10 min), so the test knows which pass found what.
 *  - bytes flipped inside shard records on disk: reads stay correct (parity
 *    covers the damaged shard); the device scrub, woken on the two nodes,
 *    finds the damage and deletes the records; `scrub start --wait` finds
 *    the slots missing and waits for the repairs that rebuild them
 *    elsewhere; `repair history` lists them with reason and outcome; the
 *    next pass finds every chunk with k+m clean shards and `cluster status`
 *    says the cluster is at full redundancy;
 *  - a device folder deleted under a running node: the node marks the device
 *    failed, its shards are rebuilt on the others (`repair history`:
 *    reason device), full redundancy again;
 *  - a system-epoch rotation: re-encryption moves every chunk to the new
 *    epoch, the metadata leader retires the old one and reports it to the
 *    key manager, and every object still reads back;
 *  - `tessera device add` (issue #9): a new device folder under the node's
 *    device root is attached and registered healthy; a folder outside the
 *    roots is refused; after a restart the node attaches it again by itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, type CliRun } from '@tessera/launcher';
import type { TesseraClient } from '@tessera/client';
import { EXTENT_HEADER_BYTES, RECORD_HEADER_BYTES, parseRecordHeader } from '@tessera/storage';
import { u64Number } from '@tessera/wire';
import { samples } from '../../packages/transport/test/support/exposition.js';
import { json } from './support/km-processes.js';
import { DataCluster } from './support/data-cluster.js';
import { FailureFlag } from './support/failures.js';

const MiB = 1024 * 1024;
const NODES = ['n1', 'n2', 'n3'];
const DEVICES = ['d1', 'd2', 'd3'];

let cluster: DataCluster;
let devicesRoot: string;
const objects = new Map<string, { client: TesseraClient; bytes: Buffer }>();
const failures = new FailureFlag();
const { track } = failures;

const deviceDir = (node: string, device: string): string => path.join(devicesRoot, node, device);

beforeAll(async () => {
  devicesRoot = await mkdtemp(path.join(tmpdir(), 'tessera-repair-devices-'));
  cluster = await DataCluster.start({
    nodes: 3,
    argsOf: (id) => DEVICES.flatMap((d) => ['--device', `${d}=${deviceDir(id, d)}:${1024 * MiB}`]),
    nodeArgs: ['--scrub-bytes-per-sec', String(256 * MiB), '--placement-scrub-interval-ms', '600000', '--reencrypt-chunks-per-sec', '50', '--repair-concurrency', '2'],
  });
  try {
    const acme = await cluster.client((await cluster.addTenant('acme', 'shared')).client);
    const iso = await cluster.client((await cluster.addTenant('iso', 'isolated')).client);
    // 4 MiB chunks: 9 MiB is three chunks; the isolated tenant's chunks name it in their envelopes.
    for (const [client, name, size] of [[acme, 'a-9m', 9 * MiB], [acme, 'a-5m', 5 * MiB], [iso, 'i-6m', 6 * MiB], [iso, 'i-small', 300 * 1024]] as const) {
      const bytes = randomBytes(size);
      await client.put(bytes, name);
      objects.set(name, { client, bytes });
    }
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
  if (devicesRoot !== undefined && !failures.failed) await rm(devicesRoot, { recursive: true, force: true });
}, 60_000);

async function expectEveryObjectReadsBack(): Promise<void> {
  for (const [name, { client, bytes }] of objects) expect((await client.getBuffer(name)).equals(bytes), name).toBe(true);
}

type Scrape = ReturnType<typeof samples>;

async function scrapeAll(): Promise<Map<string, Scrape>> {
  const out = new Map<string, Scrape>();
  for (const node of cluster.launcher.running()) {
    const res = await fetch(`http://${node.ports.httpAddress}/metrics`);
    out.set(node.id, samples(await res.text()));
  }
  return out;
}

function value(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  return scrape.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

/** The leader's view: the node that finished a placement scrub pass most recently. */
function leaderOf(scrapes: Map<string, Scrape>): Scrape {
  let best: Scrape = [];
  let at = -1;
  for (const scrape of scrapes.values()) {
    const t = value(scrape, 'tessera_storage_placement_scrub_last_pass_timestamp_seconds');
    if (t > at) [best, at] = [scrape, t];
  }
  return best;
}

/** `tessera <args>` as the cluster admin against every running node's client port (the verbs find the leader). */
function tessera(args: readonly string[]): Promise<CliRun> {
  const tls = cluster.launcher.adminTls;
  const endpoints = cluster.launcher.running().map((n) => n.ports.clientAddress).join(',');
  return cluster.launcher.runCli(args, { env: { TESSERA_DATA_ENDPOINT: endpoints, TESSERA_CERT: tls.certFile, TESSERA_KEY: tls.keyFile, TESSERA_CA: tls.caFile, TESSERA_CRL: tls.crlFile } });
}

interface ScrubPass {
  readonly scanned: number;
  readonly total: number;
  readonly badSlots: { readonly missing: number; readonly corrupt: number; readonly device: number; readonly unreachable: number };
  readonly underProtected: number;
  readonly repairsQueued: number;
  readonly repaired: number;
}
interface ScrubWaited {
  readonly redundancy: string;
  readonly pass: ScrubPass;
  readonly repairs: { readonly queued: number; readonly running: number };
}
interface RepairRow {
  readonly chunk: string;
  readonly reason: string;
  readonly outcome: string;
  readonly moved: ReadonlyArray<{ readonly rebuilt: boolean }>;
}

/** `tessera scrub start --wait`: a pass now, followed with the repairs it queued to the end. */
async function scrubAndWait(): Promise<ScrubWaited> {
  return json(await tessera(['-o', 'json', 'scrub', 'start', '--wait', '--timeout', '60'])) as unknown as ScrubWaited;
}

/** Scrub passes until one finds every slot of every chunk clean (k+m shards, at most m per node) with no repair left. */
async function fullRedundancy(what: string): Promise<ScrubWaited> {
  return pollUntil(
    what,
    async () => {
      const waited = await scrubAndWait();
      return waited.redundancy === 'full' && waited.pass.total > 0 ? waited : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

async function repairHistory(): Promise<RepairRow[]> {
  return (json(await tessera(['-o', 'json', 'repair', 'history'])) as unknown as { repairs: RepairRow[] }).repairs;
}

async function clusterRedundancy(): Promise<string> {
  return (json(await tessera(['-o', 'json', 'cluster', 'status'])) as unknown as { redundancy: { state: string } }).redundancy.state;
}

/** Extent files of a node's devices, largest first. */
async function extentFiles(node: string): Promise<Array<{ device: string; file: string; size: number }>> {
  const out: Array<{ device: string; file: string; size: number }> = [];
  for (const device of DEVICES) {
    const dir = path.join(deviceDir(node, device), 'extents');
    for (const name of await readdir(dir).catch(() => [])) out.push({ device, file: path.join(dir, name), size: (await stat(path.join(dir, name))).size });
  }
  return out.sort((a, b) => b.size - a.size);
}

/**
 * Flips one byte in the middle of a shard record's payload in the node's
 * largest extent file. The record is found by walking the file's records: the
 * middle of the file can fall in the zero padding that ends each synced
 * batch, which no scrub may call damage, and the test would then wait for a
 * quarantine that never comes.
 */
async function flipByteOn(node: string): Promise<void> {
  const largest = (await extentFiles(node))[0];
  expect(largest?.size ?? 0).toBeGreaterThan(MiB);
  const bytes = await readFile(largest!.file);
  const records = shardRecords(bytes);
  // The record holding the middle of the file, or else the one before it.
  const middle = bytes.length / 2;
  const record = records.findLast((r) => r.offset <= middle) ?? records[0];
  expect(record?.payloadLength ?? 0).toBeGreaterThan(0);
  const at = record!.offset + RECORD_HEADER_BYTES + Math.floor(record!.payloadLength / 2);
  const handle = await open(largest!.file, 'r+');
  try {
    await handle.write(Buffer.of(bytes[at]! ^ 0xff), 0, 1, at);
  } finally {
    await handle.close();
  }
}

/** The shard records of an extent file, walked as the scanner does: records back to back, zero padding to the next 4 KiB. */
function shardRecords(bytes: Buffer): Array<{ offset: number; payloadLength: number }> {
  const out: Array<{ offset: number; payloadLength: number }> = [];
  let at = EXTENT_HEADER_BYTES;
  while (at + RECORD_HEADER_BYTES <= bytes.length) {
    const parsed = parseRecordHeader(bytes, at);
    if (parsed.ok) {
      if (parsed.header.kind === 'shard') out.push({ offset: at, payloadLength: parsed.header.payloadLength });
      at += parsed.header.recordLength;
    } else if (bytes.readUInt32BE(at) === 0) {
      at = (Math.floor(at / 4096) + 1) * 4096;
    } else {
      throw new Error(`unexpected bytes at offset ${at} of an undamaged extent (${parsed.problem})`);
    }
  }
  return out;
}

async function keyHealth(): Promise<{ systemEpoch: number; minDecryptEpoch: number }> {
  const h = await cluster.kms.admin.call('GetKeyHealth', {}, { idempotent: true });
  return { systemEpoch: u64Number(h.systemEpoch), minDecryptEpoch: u64Number(h.minDecryptEpoch) };
}

describe('repair, scrub and re-encryption', () => {
  it(
    'rebuilds shards whose bytes were flipped on disk; reads stay correct meanwhile',
    track(async () => {
      const clean = await fullRedundancy('a clean first placement scrub pass');
      expect(clean.pass.scanned).toBe(clean.pass.total);
      const before = leaderOf(await scrapeAll());
      const repairedBefore = value(before, 'tessera_storage_repairs_total', { outcome: 'ok' });
      const historyBefore = (await repairHistory()).length;
      // Two damaged shards on two nodes: within m = 2 for any chunk.
      await flipByteOn('n1');
      await flipByteOn('n3');
      await expectEveryObjectReadsBack();
      // The device scrub of each damaged node, woken through that node's own Admin service.
      const address = (id: string): string => cluster.launcher.running().find((n) => n.id === id)!.ports.clientAddress;
      await pollUntil('the device scrub to quarantine the damaged records', async () => {
        for (const id of ['n1', 'n3']) {
          const woken = json(await tessera(['-o', 'json', 'scrub', 'start', '--device-only', '--endpoint', address(id)]));
          expect(['started', 'running']).toContain(woken['device']);
        }
        const all = [...(await scrapeAll()).values()];
        return all.reduce((n, s) => n + value(s, 'tessera_storage_scrub_quarantined_records_total'), 0) >= 2 ? true : undefined;
      }, { timeoutMs: 30_000, intervalMs: 500 });
      // From now on the slots read as missing: the pass asked for finds them and its repairs rebuild them.
      const found = await scrubAndWait();
      expect(found.pass.badSlots.missing).toBeGreaterThanOrEqual(2);
      expect(found.pass.repairsQueued).toBeGreaterThanOrEqual(1);
      expect(found.pass.repaired).toBe(found.pass.repairsQueued);
      expect(found.repairs).toEqual({ queued: 0, running: 0 });
      expect(found.redundancy).toBe('degraded');
      const history = (await repairHistory()).slice(historyBefore);
      const rebuilt = history.filter((r) => r.reason === 'missing' && r.outcome === 'ok');
      expect(rebuilt.length).toBe(found.pass.repaired);
      for (const r of rebuilt) {
        expect(r.chunk).toMatch(/^[0-9a-f]{16}$/);
        expect(r.moved.length).toBeGreaterThanOrEqual(1);
        expect(r.moved.every((m) => m.rebuilt)).toBe(true);
      }
      // A clean pass proves they were rebuilt; cluster status says so.
      await fullRedundancy('full redundancy after the flips');
      expect(await clusterRedundancy()).toBe('full');
      // The metrics count the same repairs (and any a later pass queued).
      expect(value(leaderOf(await scrapeAll()), 'tessera_storage_repairs_total', { outcome: 'ok' }) - repairedBefore).toBeGreaterThanOrEqual(rebuilt.length);
      await expectEveryObjectReadsBack();
    }),
    150_000,
  );

  it(
    'restores full redundancy after a device folder is deleted under its node',
    track(async () => {
      const before = leaderOf(await scrapeAll());
      const deviceRepairs = value(before, 'tessera_storage_repairs_total', { reason: 'device', outcome: 'ok' });
      const historyBefore = (await repairHistory()).length;
      // The device of n2 holding the most shards.
      const device = (await extentFiles('n2'))[0]!.device;
      await rm(deviceDir('n2', device), { recursive: true, force: true });
      await pollUntil(`repairs of the shards of n2/${device}`, async () => {
        const leader = leaderOf(await scrapeAll());
        return value(leader, 'tessera_storage_repairs_total', { reason: 'device', outcome: 'ok' }) > deviceRepairs ? true : undefined;
      }, { timeoutMs: 30_000, intervalMs: 200 });
      await fullRedundancy(`full redundancy without n2/${device}`);
      const moved = (await repairHistory()).slice(historyBefore).filter((r) => r.reason === 'device' && r.outcome === 'ok');
      expect(moved.length).toBeGreaterThanOrEqual(1);
      expect(moved.every((r) => /^[0-9a-f]{16}$/.test(r.chunk) && r.moved.length >= 1)).toBe(true);
      // What an operator reads: the redundancy line of `cluster status`.
      const status = await tessera(['cluster', 'status']);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/ {2}redundancy +full \(last placement scrub pass finished \S+: no bad slot, 0 under-protected\)\n/);
      await expectEveryObjectReadsBack();
    }),
    150_000,
  );

  it(
    're-encrypts every chunk after a system-epoch rotation; the old epoch is retired and every object reads back',
    track(async () => {
      expect(await keyHealth()).toEqual({ systemEpoch: 1, minDecryptEpoch: 0 });
      json(await cluster.kms.cli(['-o', 'json', 'keymanager', 'rotate-system-epoch']));
      const health = await pollUntil('the key manager to learn minDecryptEpoch 2', async () => {
        const h = await keyHealth();
        return h.minDecryptEpoch === 2 ? h : undefined;
      }, { timeoutMs: 40_000, intervalMs: 200 });
      expect(health).toEqual({ systemEpoch: 2, minDecryptEpoch: 2 });
      const leader = leaderOf(await scrapeAll());
      // 3 + 2 + 2 + 1 chunks were sealed under epoch 1.
      expect(value(leader, 'tessera_storage_reencrypt_chunks_total', { outcome: 'rewritten' })).toBeGreaterThanOrEqual(8);
      expect(value(leader, 'tessera_storage_reencrypt_remaining_chunks')).toBe(0);
      await expectEveryObjectReadsBack();
    }),
    60_000,
  );

  it(
    'device add attaches a new folder under the node\'s device root, registered healthy, and the node finds it again after a restart',
    track(async () => {
      const address = (): string => cluster.launcher.running().find((n) => n.id === 'n1')!.ports.clientAddress;
      /** n1's own rows: it measures its devices, so a number in usedBytes means the device is attached there. */
      const devicesOnN1 = async (): Promise<Array<{ device: string; state: string; usedBytes: number | null }>> => {
        const rows = (json(await tessera(['-o', 'json', 'device', 'list', '--endpoint', address()])) as unknown as { devices: Array<{ node: string; device: string; state: string; usedBytes: number | null }> }).devices;
        return rows.filter((r) => r.node === 'n1').map(({ device, state, usedBytes }) => ({ device, state, usedBytes }));
      };
      const added = json(await tessera(['-o', 'json', 'device', 'add', '--node', 'n1', '--id', 'd4', '--path', deviceDir('n1', 'd4'), '--capacity', '1GiB']));
      expect(added).toMatchObject({ node: 'n1', device: 'd4', state: 'healthy', capacityBytes: 1024 * MiB, formatted: true });
      expect((await stat(path.join(deviceDir('n1', 'd4'), 'SUPERBLOCK'))).isFile()).toBe(true);
      expect(await devicesOnN1()).toContainEqual({ device: 'd4', state: 'healthy', usedBytes: expect.any(Number) });
      // Outside every device root of n1: refused, nothing created.
      const outside = await tessera(['device', 'add', '--node', 'n1', '--id', 'd5', '--path', path.join(devicesRoot, 'n2', 'd5'), '--capacity', '1GiB']);
      expect(outside.code).toBe(1);
      expect(outside.stderr).toContain('device roots');
      await expect(stat(path.join(devicesRoot, 'n2', 'd5'))).rejects.toMatchObject({ code: 'ENOENT' });

      await cluster.launcher.node('n1').stop();
      await cluster.raft.restart('n1');
      const after = await pollUntil('n1 to list its devices after the restart', async () => {
        try {
          return await devicesOnN1();
        } catch {
          return undefined; // n1 is between elections
        }
      }, { timeoutMs: 30_000, intervalMs: 250 });
      expect(after.map((d) => d.device)).toEqual(['d1', 'd2', 'd3', 'd4']);
      expect(after.find((d) => d.device === 'd4')).toEqual({ device: 'd4', state: 'healthy', usedBytes: expect.any(Number) });
      await expectEveryObjectReadsBack();
    }),
    90_000,
  );
});
