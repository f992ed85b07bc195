import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { resolveKeyManagerConfig, type KeyManagerFlags } from '../src/index.js';

const tls: KeyManagerFlags = { cert: '/p/km1.crt', key: '/p/km1.key', ca: '/p/ca.crt', crl: '/p/ca.crl' };
const file: KeyManagerFlags = { ...tls, provider: 'file', keyring: '/k' };

describe('key-manager configuration', () => {
  it('fills defaults: loopback port 0, 60 s key TTL, one-minute denial windows', () => {
    const c = resolveKeyManagerConfig({}, { ...file, id: 'km1', dataDir: '/d/km1', bootstrap: true });
    expect(c).toMatchObject({
      id: 'km1',
      dataDir: '/d/km1',
      listen: { host: '127.0.0.1', port: 0 },
      httpListen: { host: '127.0.0.1', port: 0 },
      init: 'bootstrap',
      provider: { kind: 'file', keyring: '/k' },
      keyTtlMs: 60_000,
      auditDenialWindowMs: 60_000,
      logLevel: 'info',
    });
  });

  it('reads a config file with paths relative to it; flags win', () => {
    const c = resolveKeyManagerConfig(
      {
        id: 'km2',
        dataDir: 'data/km2',
        listen: '127.0.0.1:7301',
        httpListen: '127.0.0.1:9301',
        tls: { cert: 'pki/km2.crt', key: 'pki/km2.key', ca: 'pki/ca.crt', crl: 'pki/ca.crl' },
        provider: { kind: 'pkcs11', library: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'km', pinFile: 'token.pin' },
        keyTtlMs: 5_000,
        audit: { denialWindowMs: 1_000 },
        peers: { km1: { address: '127.0.0.1:7300' } },
      },
      { join: true, tickMs: 30 },
      '/etc/tessera',
    );
    expect(c.dataDir).toBe(path.resolve('/etc/tessera/data/km2'));
    expect(c.provider).toEqual({ kind: 'pkcs11', library: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'km', pinFile: path.resolve('/etc/tessera/token.pin') });
    expect(c).toMatchObject({ init: 'join', keyTtlMs: 5_000, auditDenialWindowMs: 1_000, raft: { tickMs: 30 } });
    expect(c.httpListen).toEqual({ host: '127.0.0.1', port: 9301 });
    expect(resolveKeyManagerConfig({ httpListen: '127.0.0.1:9301' }, { ...file, id: 'km1', dataDir: '/d', httpListen: '127.0.0.1:9400' }).httpListen.port).toBe(9400);
    expect(c.peers.get('km1')).toBe('127.0.0.1:7300');
    expect(c.tls.certFile).toBe(path.resolve('/etc/tessera/pki/km2.crt'));
  });

  it.each<[string, unknown, KeyManagerFlags]>([
    ['no provider', {}, { ...tls, id: 'km1', dataDir: '/d' }],
    ['an unknown provider', {}, { ...tls, id: 'km1', dataDir: '/d', provider: 'vault' }],
    ['a file provider without a keyring', {}, { ...tls, id: 'km1', dataDir: '/d', provider: 'file' }],
    ['a pkcs11 provider without a token', {}, { ...tls, id: 'km1', dataDir: '/d', provider: 'pkcs11', pkcs11Library: '/x.so' }],
    ['a file provider joining a group (one member only)', {}, { ...file, id: 'km1', dataDir: '/d', join: true }],
    ['a non-loopback keys port', {}, { ...file, id: 'km1', dataDir: '/d', listen: '0.0.0.0:7300' }],
    ['a malformed HTTP port', {}, { ...file, id: 'km1', dataDir: '/d', httpListen: 'localhost' }],
    ['a bad id', {}, { ...file, id: 'KM 1', dataDir: '/d' }],
    ['a key TTL out of range', { keyTtlMs: 5 }, { ...file, id: 'km1', dataDir: '/d' }],
    ['a flag key TTL out of range', {}, { ...file, id: 'km1', dataDir: '/d', keyTtlMs: 5 }],
  ])('refuses %s as a usage error', (_what, fileConfig, flags) => {
    let thrown: unknown;
    try {
      resolveKeyManagerConfig(fileConfig, flags);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TesseraError);
    expect((thrown as TesseraError).code).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});
