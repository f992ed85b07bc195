/**
 * K1 for the key manager: generate keys the way production does (Raft group,
 * state machine, file provider, admin, key service, a node's KeyClient),
 * logging to a file in the data dir, then search every byte written — the
 * data dir (raw files and the decompressed LevelDB contents), the log, the
 * temp dir — for every key in every likely encoding. Zero hits. The only
 * files holding keys are the provider's key files, exempt by path.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger } from '@tessera/common';
import { openDurableKv } from '@tessera/common/durable';
import { tempDirs } from '@tessera/common/testing';
import { KeyMaterial } from '@tessera/crypto';
import { FileRootProvider, KeyClient, initFileKeyring, localKeyFetcher } from '../src/index.js';
import { everyByte, filesUnder, keyringKeys } from './forensics.js';
import { CA_PEM, CRL_PEM, PIN_A, clusterAdmin, nodeCaller, tenantAdmin } from './helpers.js';
import { KM_GROUP, KmCluster } from './raft-harness.js';
import { needles, search } from './scan.js';

const dirs = tempDirs('tessera-km-scan-');

describe('key scan: nothing the key manager writes contains a key', () => {
  let root: string;
  let dataDir: string;
  let keyringDir: string;
  let tmpDir: string;
  const keys = new Map<string, Buffer>();
  /** Files allowed to hold keys: the file provider's key files, outside the data dir. */
  let exempt: string[] = [];

  async function collectKeyring(): Promise<void> {
    const { all } = await keyringKeys(keyringDir);
    all.forEach((k) => keys.set(`keyring/${k.subarray(0, 4).toString('hex')}`, k));
  }

  beforeAll(async () => {
    root = await dirs.make('root');
    dataDir = join(root, 'data');
    keyringDir = join(root, 'keyring');
    tmpDir = join(root, 'tmp');
    mkdirSync(dataDir, { mode: 0o700 });
    mkdirSync(tmpDir, { mode: 0o700 });
    const savedTmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmpDir;
    try {
      const logFile = join(dataDir, 'keymanager.log');
      const logger = new Logger({ level: 'debug', sink: { write: (line) => appendFileSync(logFile, line) } });
      await initFileKeyring({ dir: keyringDir, dataDirs: [dataDir] });
      const provider = await FileRootProvider.open({ dir: keyringDir, dataDirs: [dataDir] });
      const cluster = await KmCluster.start(['km1'], () => provider, { logger, dataDirFor: async () => dataDir, snapshotEntries: 8 });
      const { admin, service, audit } = cluster.services(provider);
      await admin.initSystem();
      for (const tenant of ['acme', 'beta', 'gamma']) {
        await admin.createTenant(clusterAdmin, { tenant, policy: tenant === 'beta' ? 'shared' : 'isolated', caCertPem: CA_PEM, caCrlPem: CRL_PEM });
        await admin.createTenantKeys(tenantAdmin(tenant), tenant);
        await admin.newTenantEpoch(tenantAdmin(tenant), tenant);
      }
      await admin.setNodePin(clusterAdmin, 'n1', PIN_A);
      await collectKeyring();
      await admin.rotateKek(tenantAdmin('acme'), 'acme');
      await admin.rotateSystemEpoch(clusterAdmin);
      await collectKeyring();
      // The node side: a KeyClient fetching everything, derived keys included.
      const client = new KeyClient({ fetcher: localKeyFetcher(service, nodeCaller('n1')) });
      for (const epoch of [1, 2]) keys.set(`master/${epoch}`, Buffer.from((await client.masterKey(epoch)).key.expose()));
      keys.set('dedup', Buffer.from((await client.dedupKey()).expose()));
      for (const tenant of ['acme', 'beta', 'gamma']) {
        for (const epoch of [1, 2]) keys.set(`tdk/${tenant}/${epoch}`, Buffer.from((await client.tenantDataKey(tenant, epoch)).key.expose()));
        keys.set(`tik/${tenant}`, Buffer.from((await client.tenantIndexKey(tenant)).expose()));
        await client.isolatedChunkKeys(tenant, 2, 2);
      }
      // Careless logging must not leak either: the logger redacts keys, bytes and key-shaped strings.
      const tdk = await client.tenantDataKey('acme', 1);
      logger.info('fetched tenant data key', { tenant: 'acme', key: tdk.key, raw: tdk.key.expose(), note: tdk.key.expose().toString('hex') });
      logger.debug('material', { material: KeyMaterial.fromBytes(tdk.key.expose()) });
      await admin.signedHead();
      await admin.requestShred(tenantAdmin('gamma'), 'gamma', 0);
      await admin.executeDueShreds();
      await audit.close();
      client.close();
      await cluster.shutdown();
      await provider.close();
      exempt = (await filesUnder(keyringDir)).sort();
    } finally {
      if (savedTmp === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = savedTmp;
    }
  });
  afterAll(() => dirs.cleanup());

  it('generated the keys it looks for, and wrote state, Raft log, a Raft snapshot and logs', async () => {
    expect(keys.size).toBeGreaterThanOrEqual(3 + 2 + 1 + 9);
    const files = (await filesUnder(dataDir)).map((f) => relative(dataDir, f));
    expect(files).toContain('keymanager.log');
    expect(files.some((f) => f.startsWith('raft/'))).toBe(true);
    expect(files.some((f) => f.startsWith('state/'))).toBe(true);
    expect((await readFile(join(dataDir, 'keymanager.log'), 'utf8')).includes('[redacted]')).toBe(true);
    const raft = await openDurableKv(join(dataDir, 'raft'));
    try {
      // The Raft store's snapshot-data record (0x01 ‖ group ‖ kind 4).
      const snapshotKey = Buffer.from([0x01, 0, 0, 0, KM_GROUP, 4]);
      expect(((await raft.get(snapshotKey)) ?? Buffer.alloc(0)).length).toBeGreaterThan(100);
    } finally {
      await raft.close();
    }
  });

  it('lists the exempt files by path: only the provider key files, outside the data dir', () => {
    expect(exempt.map((f) => relative(keyringDir, f))).toEqual(['audit-v1.key', 'kek-acme-v1.key', 'kek-acme-v2.key', 'kek-beta-v1.key', 'root-v1.key']);
    for (const f of exempt) expect(relative(dataDir, f).startsWith('..')).toBe(true);
  });

  it('finds no key, in any encoding, anywhere else', async () => {
    const haystacks: Array<{ where: string; bytes: Buffer }> = [];
    for (const file of await filesUnder(root)) {
      if (exempt.includes(file)) continue;
      haystacks.push({ where: relative(root, file), bytes: await readFile(file) });
    }
    (await everyByte(dataDir, ['raft', 'state'])).forEach((bytes, i) => haystacks.push({ where: `leveldb-record-${i}`, bytes }));
    expect(haystacks.length).toBeGreaterThan(10);
    expect(search(haystacks, keys)).toEqual([]);
  });

  it('would find a key in each encoding (the search works)', () => {
    const key = keys.get('tdk/acme/1')!;
    for (const needle of needles(key)) {
      for (const pad of ['', 'x', 'xy', 'xyz']) {
        const planted = Buffer.concat([Buffer.from(`{"k":"${pad}`), encode(key, needle.encoding, pad.length), Buffer.from('"}\n')]);
        expect(search([{ where: 'planted', bytes: planted }], new Map([['k', key]])).length).toBeGreaterThan(0);
      }
    }
  });
});

/** The key as a writer would have written it, possibly behind `lead` other bytes in the same encoding. */
function encode(key: Buffer, encoding: string, lead: number): Buffer {
  const [name] = encoding.split('@');
  const data = Buffer.concat([Buffer.alloc(lead, 0x5a), key, Buffer.alloc(2, 0x5a)]);
  switch (name) {
    case 'raw':
      return key;
    case 'hex':
      return Buffer.from(key.toString('hex'));
    case 'HEX':
      return Buffer.from(key.toString('hex').toUpperCase());
    case 'base64':
      return Buffer.from(data.toString('base64'));
    default:
      return Buffer.from(data.toString('base64url'));
  }
}
