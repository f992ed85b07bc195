import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { DEFAULT_RAFT_TUNING, resolveNodeConfig, type NodeFlags } from '../src/process/config.js';

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
