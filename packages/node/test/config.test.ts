import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { DEFAULT_DEVICE_CAPACITY, DEFAULT_RAFT_TUNING, announcedBulkAddress, resolveNodeConfig, type NodeFlags } from '../src/process/config.js';

const tlsFlags: NodeFlags = { cert: '/p/n1.crt', key: '/p/n1.key', ca: '/p/ca.crt', crl: '/p/ca.crl' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof TesseraError) return err.code;
    throw err;
  }
  return undefined;
}

describe('node configuration', () => {
  it('takes everything from flags, with loopback port-0 listeners and the default tuning', () => {
    const c = resolveNodeConfig({}, { ...tlsFlags, id: 'n1', dataDir: '/d/n1', bootstrap: true });
    expect(c).toMatchObject({
      id: 'n1',
      dataDir: '/d/n1',
      init: 'bootstrap',
      peerListen: { host: '127.0.0.1', port: 0 },
      clientListen: { host: '127.0.0.1', port: 0 },
      raft: DEFAULT_RAFT_TUNING,
      tls: { certFile: '/p/n1.crt', keyFile: '/p/n1.key', caFile: '/p/ca.crt', crlFile: '/p/ca.crl' },
    });
    expect(c.peers.size).toBe(0);
  });

  it('reads a config file relative to its directory; flags win, peer overrides merge', () => {
    const file = {
      id: 'n2',
      dataDir: 'data/n2',
      peerListen: '127.0.0.1:7002',
      tls: { cert: 'pki/n2.crt', key: 'pki/n2.key', ca: 'pki/ca.crt', crl: 'pki/ca.crl' },
      peers: { n1: { address: '127.0.0.1:7001' }, n3: { address: '127.0.0.1:7003' } },
      raft: { tickMs: 20, electionTicks: 15 },
      logLevel: 'debug',
    };
    const c = resolveNodeConfig(file, { join: true, peer: ['n3=127.0.0.1:9003'], tickMs: 30 }, '/etc/tessera');
    expect(c.dataDir).toBe(path.resolve('/etc/tessera/data/n2'));
    expect(c.tls.certFile).toBe(path.resolve('/etc/tessera/pki/n2.crt'));
    expect(c.peerListen).toEqual({ host: '127.0.0.1', port: 7002 });
    expect([...c.peers]).toEqual([['n1', '127.0.0.1:7001'], ['n3', '127.0.0.1:9003']]);
    expect(c.raft).toMatchObject({ tickMs: 30, electionTicks: 15, heartbeatTicks: 1 });
    expect(c.init).toBe('join');
    expect(c.logLevel).toBe('debug');
  });

  it.each<[string, unknown, NodeFlags]>([
    ['a missing id', {}, { ...tlsFlags, dataDir: '/d' }],
    ['a bad id', {}, { ...tlsFlags, id: 'N 1', dataDir: '/d' }],
    ['a missing data dir', {}, { ...tlsFlags, id: 'n1' }],
    ['a missing certificate', {}, { id: 'n1', dataDir: '/d', key: 'k', ca: 'c', crl: 'r' }],
    ['--bootstrap with --join', {}, { ...tlsFlags, id: 'n1', dataDir: '/d', bootstrap: true, join: true }],
    ['a non-loopback listener', {}, { ...tlsFlags, id: 'n1', dataDir: '/d', peerListen: '0.0.0.0:7001' }],
    ['a non-loopback listener with allowNonLoopback false in the file', { allowNonLoopback: false }, { ...tlsFlags, id: 'n1', dataDir: '/d', peerListen: '0.0.0.0:7001' }],
    ['allowNonLoopback that is not a boolean', { allowNonLoopback: 'yes' }, { ...tlsFlags, id: 'n1', dataDir: '/d' }],
    ['a malformed listener', {}, { ...tlsFlags, id: 'n1', dataDir: '/d', clientListen: '127.0.0.1' }],
    ['a malformed peer override', {}, { ...tlsFlags, id: 'n1', dataDir: '/d', peer: ['n2:127.0.0.1:1'] }],
    ['an override for itself', {}, { ...tlsFlags, id: 'n1', dataDir: '/d', peer: ['n1=127.0.0.1:1'] }],
    ['heartbeat not below election', {}, { ...tlsFlags, id: 'n1', dataDir: '/d', heartbeatTicks: 10 }],
    ['a wrongly typed file field', { raft: { tickMs: 'fast' } }, { ...tlsFlags, id: 'n1', dataDir: '/d' }],
    ['an unknown log level', {}, { ...tlsFlags, id: 'n1', dataDir: '/d', logLevel: 'loud' }],
  ])('refuses %s', (_what, file, flags) => {
    expect(codeOf(() => resolveNodeConfig(file, flags))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('node configuration: devices, erasure, key managers, keys, pipeline, HTTP', () => {
  const base: NodeFlags = { ...tlsFlags, id: 'n1', dataDir: '/d/n1' };
  const GiB16 = 16 * 1024 ** 3;

  it('defaults to devices d1 and d2 under <dataDir>/devices, 4+2, no key manager, 60 s keys, 2 workers, loopback HTTP', () => {
    const c = resolveNodeConfig({}, base);
    expect(c.devices).toEqual([
      { id: 'd1', path: path.join('/d/n1', 'devices', 'd1'), capacityBytes: GiB16, pool: 'default' },
      { id: 'd2', path: path.join('/d/n1', 'devices', 'd2'), capacityBytes: GiB16, pool: 'default' },
    ]);
    expect(DEFAULT_DEVICE_CAPACITY).toBe(GiB16);
    expect(c.erasure).toEqual({ k: 4, m: 2 });
    expect(c.keyManagers).toEqual([]);
    expect(c.keyTtlMs).toBe(60_000);
    expect(c.pipelineWorkers).toBe(2);
    expect(c.httpListen).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('puts the default devices under a file data dir resolved against the config directory', () => {
    const c = resolveNodeConfig({ id: 'n1', dataDir: 'data/n1', tls: { cert: 'a', key: 'b', ca: 'c', crl: 'd' } }, {}, '/etc/tessera');
    expect(c.devices.map((d) => d.path)).toEqual([path.resolve('/etc/tessera/data/n1/devices/d1'), path.resolve('/etc/tessera/data/n1/devices/d2')]);
  });

  it('takes devices from ID=PATH[:CAPACITY] flags, which win over the file', () => {
    const file = { devices: [{ id: 'f1', path: 'dev/f1' }] };
    const c = resolveNodeConfig(file, { ...base, device: ['d1=/mnt/a', 'nvme.0_x-1=/mnt/b:1048576', 'd3=/mnt/odd:name'] }, '/etc/tessera');
    expect(c.devices).toEqual([
      { id: 'd1', path: '/mnt/a', capacityBytes: GiB16, pool: 'default' },
      { id: 'nvme.0_x-1', path: '/mnt/b', capacityBytes: 1_048_576, pool: 'default' },
      // A suffix that is not a number is part of the path.
      { id: 'd3', path: '/mnt/odd:name', capacityBytes: GiB16, pool: 'default' },
    ]);
  });

  it('takes devices from the file with paths relative to its directory, capacity and pool', () => {
    const file = {
      devices: [
        { id: 'd1', path: 'dev/d1', capacityBytes: 1_000_000, pool: 'fast' },
        { id: 'd2', path: '/abs/d2' },
      ],
    };
    const c = resolveNodeConfig(file, base, '/etc/tessera');
    expect(c.devices).toEqual([
      { id: 'd1', path: path.resolve('/etc/tessera/dev/d1'), capacityBytes: 1_000_000, pool: 'fast' },
      { id: 'd2', path: '/abs/d2', capacityBytes: GiB16, pool: 'default' },
    ]);
  });

  it('takes the erasure profile from K+M or the file; the flag wins', () => {
    expect(resolveNodeConfig({}, { ...base, erasure: '8+3' }).erasure).toEqual({ k: 8, m: 3 });
    expect(resolveNodeConfig({ erasure: { k: 1, m: 2 } }, base).erasure).toEqual({ k: 1, m: 2 });
    expect(resolveNodeConfig({ erasure: { k: 6 } }, base).erasure).toEqual({ k: 6, m: 2 });
    expect(resolveNodeConfig({ erasure: { k: 1, m: 2 } }, { ...base, erasure: '4+2' }).erasure).toEqual({ k: 4, m: 2 });
    expect(resolveNodeConfig({}, { ...base, erasure: '16+16' }).erasure).toEqual({ k: 16, m: 16 });
  });

  it('opens devices with O_DIRECT unless storage.directIo is false or --buffered-io is given', () => {
    expect(resolveNodeConfig({}, base).directIo).toBe(true);
    expect(resolveNodeConfig({ storage: { directIo: false } }, base).directIo).toBe(false);
    expect(resolveNodeConfig({ storage: { directIo: true } }, { ...base, bufferedIo: true }).directIo).toBe(false);
    expect(() => resolveNodeConfig({ storage: { directIo: 'yes' } }, base)).toThrow(/storage\.directIo/);
  });

  it('serves a bulk port on the peer host unless --no-bulk-port or bulkPort: false; bulk addresses of peers from the file', () => {
    expect(resolveNodeConfig({}, base).bulkListen).toEqual({ host: '127.0.0.1', port: 0 });
    expect(resolveNodeConfig({ peerListen: '[::1]:0' }, base).bulkListen).toEqual({ host: '::1', port: 0 });
    expect(resolveNodeConfig({ bulkListen: '127.0.0.1:7201' }, base).bulkListen).toEqual({ host: '127.0.0.1', port: 7201 });
    expect(resolveNodeConfig({ bulkListen: '127.0.0.1:7201' }, { ...base, bulkListen: '127.0.0.1:7301' }).bulkListen?.port).toBe(7301);
    expect(resolveNodeConfig({}, { ...base, bulkPort: false }).bulkListen).toBeUndefined();
    expect(resolveNodeConfig({ bulkPort: false }, base).bulkListen).toBeUndefined();
    const peers = { n2: { address: '127.0.0.1:7002', bulkAddress: '127.0.0.1:7202' }, n3: { address: '127.0.0.1:7003' } };
    expect([...resolveNodeConfig({ peers }, base).bulkPeers]).toEqual([['n2', '127.0.0.1:7202']]);
    expect(codeOf(() => resolveNodeConfig({ peers: { n2: { address: '127.0.0.1:7002', bulkAddress: 'nope' } } }, base))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => resolveNodeConfig({ bulkPort: 'yes' }, base))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => resolveNodeConfig({ bulkListen: '0.0.0.0:7201' }, base))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => resolveNodeConfig({ bulkAdvertise: 'n1' }, base))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('announces the configured bulk address, else the peer advertise host with the bound port, else the bound address', () => {
    const bound = { address: '0.0.0.0:7201', port: 7201 };
    expect(announcedBulkAddress(resolveNodeConfig({ bulkAdvertise: 'bulk.n1:9000', peerAdvertise: 'n1:7001' }, base), bound)).toBe('bulk.n1:9000');
    expect(announcedBulkAddress(resolveNodeConfig({ peerAdvertise: 'n1.example:7001' }, base), bound)).toBe('n1.example:7201');
    expect(announcedBulkAddress(resolveNodeConfig({ peerAdvertise: '[fd00::1]:7001' }, base), bound)).toBe('[fd00::1]:7201');
    expect(announcedBulkAddress(resolveNodeConfig({}, base), { address: '127.0.0.1:40000', port: 40000 })).toBe('127.0.0.1:40000');
    expect(resolveNodeConfig({ bulkAdvertise: 'bulk.n1:9000', bulkPort: false }, base).bulkAdvertise).toBeUndefined();
  });

  it('takes key managers from flags or the file; the flags win', () => {
    expect(resolveNodeConfig({ keyManagers: ['127.0.0.1:7300', 'km.example:7301'] }, base).keyManagers).toEqual(['127.0.0.1:7300', 'km.example:7301']);
    expect(resolveNodeConfig({ keyManagers: ['127.0.0.1:7300'] }, { ...base, keymanager: ['[::1]:7400'] }).keyManagers).toEqual(['[::1]:7400']);
  });

  it('takes keys.ttlMs, pipeline.workers and httpListen from the file or flags, bounds included', () => {
    expect(resolveNodeConfig({ keys: { ttlMs: 1_000 }, pipeline: { workers: 0 } }, base)).toMatchObject({ keyTtlMs: 1_000, pipelineWorkers: 0 });
    expect(resolveNodeConfig({ keys: { ttlMs: 24 * 3600_000 }, pipeline: { workers: 64 } }, base)).toMatchObject({ keyTtlMs: 24 * 3600_000, pipelineWorkers: 64 });
    expect(resolveNodeConfig({ keys: { ttlMs: 5_000 } }, { ...base, keyTtlMs: 7_000, pipelineWorkers: 0 })).toMatchObject({ keyTtlMs: 7_000, pipelineWorkers: 0 });
    expect(resolveNodeConfig({ httpListen: '127.0.0.1:9101' }, base).httpListen).toEqual({ host: '127.0.0.1', port: 9101 });
    expect(resolveNodeConfig({ httpListen: '127.0.0.1:9101' }, { ...base, httpListen: 'localhost:9200' }).httpListen).toEqual({ host: 'localhost', port: 9200 });
  });

  it.each<[string, unknown, NodeFlags]>([
    ['a duplicate device id in flags', {}, { ...base, device: ['d1=/a', 'd1=/b'] }],
    ['a duplicate device id in the file', { devices: [{ id: 'd1', path: 'a' }, { id: 'd1', path: 'b' }] }, base],
    ['an upper-case device id', {}, { ...base, device: ['D1=/a'] }],
    ['a device id starting with a dash', {}, { ...base, device: ['-d=/a'] }],
    ['a device id with a slash', { devices: [{ id: 'd/1', path: 'a' }] }, base],
    ['a 64-character device id', {}, { ...base, device: [`${'d'.repeat(64)}=/a`] }],
    ['a device flag without =', {}, { ...base, device: ['/mnt/a'] }],
    ['a device flag without an id', {}, { ...base, device: ['=/mnt/a'] }],
    ['a device flag without a path', {}, { ...base, device: ['d1='] }],
    ['a device flag with capacity 0', {}, { ...base, device: ['d1=/mnt/a:0'] }],
    ['a device flag with a capacity beyond 2^53', {}, { ...base, device: ['d1=/mnt/a:99999999999999999999'] }],
    ['devices that are not a list', { devices: { d1: 'a' } }, base],
    ['an empty device list', { devices: [] }, base],
    ['a file device without a path', { devices: [{ id: 'd1' }] }, base],
    ['a file device with capacity 0', { devices: [{ id: 'd1', path: 'a', capacityBytes: 0 }] }, base],
    ['a file device with a fractional capacity', { devices: [{ id: 'd1', path: 'a', capacityBytes: 1.5 }] }, base],
    ['an erasure flag that is not K+M', {}, { ...base, erasure: '4-2' }],
    ['an erasure flag with k 0', {}, { ...base, erasure: '0+2' }],
    ['an erasure flag with m 0', {}, { ...base, erasure: '4+0' }],
    ['an erasure profile over 32 shards', {}, { ...base, erasure: '30+3' }],
    ['an erasure file with m 0', { erasure: { k: 4, m: 0 } }, base],
    ['an erasure file with a string k', { erasure: { k: '4', m: 2 } }, base],
    ['key managers that are not a list', { keyManagers: '127.0.0.1:7300' }, base],
    ['a key manager that is not a string', { keyManagers: [7300] }, base],
    ['a key manager without a port', { keyManagers: ['127.0.0.1'] }, base],
    ['a key manager flag without a port', {}, { ...base, keymanager: ['km.example'] }],
    ['keys.ttlMs below 1 s', { keys: { ttlMs: 999 } }, base],
    ['keys.ttlMs above 24 h', { keys: { ttlMs: 24 * 3600_000 + 1 } }, base],
    ['a fractional keys.ttlMs', { keys: { ttlMs: 1500.5 } }, base],
    ['keys that are not an object', { keys: 60_000 }, base],
    ['a --key-ttl-ms flag below 1 s', {}, { ...base, keyTtlMs: 5 }],
    ['a --key-ttl-ms flag above 24 h', {}, { ...base, keyTtlMs: 24 * 3600_000 + 1 }],
    ['pipeline.workers above 64', { pipeline: { workers: 65 } }, base],
    ['negative pipeline.workers', { pipeline: { workers: -1 } }, base],
    ['a --pipeline-workers flag above 64', {}, { ...base, pipelineWorkers: 1_000 }],
    ['a non-loopback HTTP listener', {}, { ...base, httpListen: '0.0.0.0:9101' }],
    ['a malformed HTTP listener in the file', { httpListen: 'localhost' }, base],
  ])('refuses %s', (_what, file, flags) => {
    expect(codeOf(() => resolveNodeConfig(file, flags))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('listening beyond loopback', () => {
  it('is allowed only with the explicit opt-in, from the file or the flag', () => {
    const flags = { ...tlsFlags, id: 'n1', dataDir: '/d', peerListen: '0.0.0.0:7001', clientListen: '[::]:7101', httpListen: '10.1.2.3:9101' };
    const fromFile = resolveNodeConfig({ allowNonLoopback: true }, flags, '/');
    expect(fromFile.peerListen).toEqual({ host: '0.0.0.0', port: 7001 });
    expect(fromFile.httpListen.host).toBe('10.1.2.3');
    expect(resolveNodeConfig({}, { ...flags, allowNonLoopback: true }, '/').clientListen.port).toBe(7101);
    expect(() => resolveNodeConfig({}, flags, '/')).toThrow(/loopback/);
  });
});
