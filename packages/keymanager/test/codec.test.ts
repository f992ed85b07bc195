import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN, tenantChain } from '@tessera/audit';
import { isTesseraError } from '@tessera/common';
import { KmCore, decodeEnvelope, decodeState, encodeEnvelope, type KmCommand, type KmEnvelope } from '../src/index.js';
import { CA_PEM, CRL_PEM, clusterAdmin, tenantAdmin } from './helpers.js';

const blob = (n: number, fill: number): Buffer => Buffer.alloc(n, fill);
const kek = (tenant: string, version: number) => ({ provider: 'file', keyId: `kek/${tenant}`, version });

const commands: KmCommand[] = [
  { type: 'init-system', rootRef: { provider: 'file', keyId: 'root', version: 1 }, master: blob(56, 1), dedup: blob(56, 2) },
  { type: 'rotate-system-epoch', expectedEpoch: 1, master: blob(56, 3) },
  { type: 'create-tenant', tenant: 'acme', policy: 'isolated', caCertPem: CA_PEM, caCrlPem: CRL_PEM },
  { type: 'create-tenant-keys', tenant: 'acme', kekRef: kek('acme', 1), tdk: blob(64, 4), tik: blob(64, 5) },
  { type: 'rotate-kek', tenant: 'acme', expectedKekVersion: 1, kekRef: kek('acme', 2), tdks: [{ epoch: 1, blob: blob(64, 6) }], tik: blob(64, 7) },
  { type: 'new-tenant-epoch', tenant: 'acme', expectedEpoch: 1, kekVersion: 2, tdk: blob(64, 8) },
  { type: 'set-node-pin', nodeId: 'n1', spkiSha256: blob(32, 9) },
  { type: 'replace-tenant-ca', tenant: 'acme', expectedCaSha256: blob(32, 10), caCertPem: CA_PEM, caCrlPem: CRL_PEM },
  { type: 'report-min-decrypt-epoch', nodeId: 'n1', spkiSha256: blob(32, 9), epoch: 2, metadataTerm: 3, metadataIndex: 4 },
  { type: 'request-shred', tenant: 'acme', delayMs: 0 },
  { type: 'approve-shred', tenant: 'acme' },
  { type: 'cancel-shred', tenant: 'acme' },
  { type: 'execute-shred', tenant: 'acme' },
  { type: 'remove-node', nodeId: 'n1' },
  {
    type: 'append-audit',
    records: [
      { chain: tenantChain('acme'), record: { type: 'key.unwrap', principal: 'spiffe://td/node/n1', method: 'UnwrapTdk', outcome: 'ok', targets: [{ kind: 'key', purpose: 'tdk', epoch: 1, version: 1 }] } },
      { chain: SYSTEM_CHAIN, record: { type: 'rpc.denied', principal: 'x', outcome: 'denied', count: 7, windowStartMs: 60_000 } },
    ],
  },
];

function actorFor(c: KmCommand): KmEnvelope['actor'] {
  if (c.type === 'report-min-decrypt-epoch') return { role: 'node', principal: 'spiffe://td/node/n1', tenant: '' };
  if (c.type === 'init-system' || c.type === 'execute-shred' || c.type === 'append-audit') return { role: 'system', principal: '', tenant: '' };
  if (c.type === 'create-tenant' || c.type === 'rotate-system-epoch' || c.type === 'set-node-pin' || c.type === 'remove-node') return clusterAdmin;
  return tenantAdmin('acme');
}

function tolerant(decode: (b: Uint8Array) => unknown, bytes: Uint8Array): void {
  try {
    decode(bytes);
  } catch (err) {
    if (!isTesseraError(err)) throw err;
  }
}

describe('key-manager command codec', () => {
  it('round-trips every command type canonically', () => {
    for (const command of commands) {
      const envelope: KmEnvelope = { ts: 1234, actor: actorFor(command), command };
      const bytes = encodeEnvelope(envelope);
      const back = decodeEnvelope(bytes);
      expect(encodeEnvelope(back).equals(bytes)).toBe(true);
      expect(back.command.type).toBe(command.type);
      expect(bytes.includes(Buffer.from('{"'))).toBe(false);
    }
  });

  it('refuses actors that do not fit their role', () => {
    const command = commands[2]!;
    expect(() => encodeEnvelope({ ts: 1, actor: { role: 'cluster-admin', principal: 'p', tenant: 'acme' }, command })).toThrow();
    expect(() => encodeEnvelope({ ts: 1, actor: { role: 'tenant-admin', principal: 'p', tenant: '' }, command })).toThrow();
  });

  it('decodes arbitrary bytes to a TesseraError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        tolerant(decodeEnvelope, bytes);
        tolerant(decodeState, bytes);
        tolerant((b) => new KmCore().applyData(b), bytes);
      }),
      { numRuns: 1500 },
    );
  });

  it('decodes mutated valid commands to a TesseraError only, and apply never throws on them', () => {
    const encoded = commands.map((command) => encodeEnvelope({ ts: 99, actor: actorFor(command), command }));
    fc.assert(
      fc.property(fc.nat({ max: encoded.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(), (which, at, xor, cut) => {
        const valid = encoded[which]!;
        const mutated = Buffer.from(valid);
        mutated[at % valid.length]! ^= xor;
        for (const candidate of [mutated, valid.subarray(0, cut % valid.length)]) {
          tolerant(decodeEnvelope, candidate);
          const out = new KmCore().applyData(candidate);
          expect(out.result).toBeDefined();
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('decodes mutated valid states to a TesseraError only', () => {
    const core = new KmCore();
    for (const command of commands.slice(0, 9)) core.apply({ ts: 10, actor: actorFor(command), command });
    expect(core.state.minDecrypt.epoch).toBe(2);
    const valid = core.encode();
    expect(decodeState(valid).minDecrypt).toEqual(core.state.minDecrypt);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(), (at, xor, cut) => {
        const mutated = Buffer.from(valid);
        mutated[at % valid.length]! ^= xor;
        tolerant(decodeState, mutated);
        tolerant(decodeState, valid.subarray(0, cut % valid.length));
      }),
      { numRuns: 1500 },
    );
  });
});
