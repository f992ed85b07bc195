import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { derInteger } from '../src/certs/der.js';
import { normalizeSerial, randomSerial, serialForDer } from '../src/certs/serial.js';
import { IDENTITY_KINDS, defaultBaseName, identityOfSpiffeId, spiffeIdOf } from '../src/index.js';
import type { Identity } from '../src/index.js';

describe('DER INTEGER for the CRL number', () => {
  it('encodes minimal two\'s-complement bytes', () => {
    expect([...derInteger(0)]).toEqual([0x02, 0x01, 0x00]);
    expect([...derInteger(127)]).toEqual([0x02, 0x01, 0x7f]);
    expect([...derInteger(128)]).toEqual([0x02, 0x02, 0x00, 0x80]);
    expect([...derInteger(256)]).toEqual([0x02, 0x02, 0x01, 0x00]);
    expect([...derInteger(0x12345678)]).toEqual([0x02, 0x04, 0x12, 0x34, 0x56, 0x78]);
    expect(() => derInteger(-1)).toThrow(RangeError);
    expect(() => derInteger(2 ** 48)).toThrow(RangeError);
  });
});

describe('serials', () => {
  it('are random, positive and DER-minimal', () => {
    const s = randomSerial();
    expect(s).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(s.startsWith('00')).toBe(false);
    expect(randomSerial()).not.toBe(s);
  });

  it('normalize typed forms and refuse non-hex', () => {
    expect(normalizeSerial('0x00AB:CD')).toBe('abcd');
    expect(normalizeSerial('000')).toBe('0');
    expect(serialForDer('abc')).toBe('0abc');
    expect(serialForDer('ff')).toBe('00ff');
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          expect(normalizeSerial(text)).toMatch(/^[0-9a-f]+$/);
        } catch (err) {
          expect(isTesseraError(err, ErrorCodes.INVALID_ARGUMENT)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('identities', () => {
  const name = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/);
  const tenant = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
  const identity: fc.Arbitrary<Identity> = fc.oneof(
    name.map((id) => ({ kind: 'node' as const, id })),
    name.map((id) => ({ kind: 'keymanager' as const, id })),
    name.map((n) => ({ kind: 'admin' as const, name: n })),
    fc.tuple(tenant, name).map(([t, n]) => ({ kind: 'tenant-admin' as const, tenant: t, name: n })),
    fc.tuple(tenant, name).map(([t, n]) => ({ kind: 'tenant-client' as const, tenant: t, name: n })),
  );

  it('round-trip through their SPIFFE ids', () => {
    fc.assert(
      fc.property(identity, (id) => {
        expect(identityOfSpiffeId('td.example', spiffeIdOf('td.example', id))).toEqual(id);
        expect(defaultBaseName(id)).toMatch(/^[a-z0-9._-]+$/);
      }),
      { numRuns: 300 },
    );
  });

  it('cover the five kinds of DESIGN section 2', () => {
    expect(IDENTITY_KINDS).toEqual(['node', 'keymanager', 'admin', 'tenant-admin', 'tenant-client']);
    expect(spiffeIdOf('td', { kind: 'tenant-admin', tenant: 'acme', name: 'alice' })).toBe('spiffe://td/tenant/acme/admin/alice');
  });

  it('refuse ids of other trust domains or shapes', () => {
    for (const bad of ['spiffe://other/node/n1', 'spiffe://td/node/n1/x', 'spiffe://td/tenant/a/root/x', 'spiffe://td/node/N1']) {
      expect(() => identityOfSpiffeId('td', bad)).toThrow(expect.objectContaining({ code: ErrorCodes.CERT_INVALID }));
    }
  });
});
