import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter, ErrorCodes } from '@tessera/common';
import { WrapPurposes } from '@tessera/crypto';
import { KmCore, checkContextForKey, encodeWrapAad, formatKeyRef, kekKeyId, kekTenant, readKeyRef, tenantCaTable, writeKeyRef } from '../src/index.js';
import { CA_PEM, CRL_PEM, clusterAdmin, tenantAdmin } from './helpers.js';

describe('key references and wrap contexts', () => {
  it('encode references canonically and name KEKs by tenant', () => {
    const ref = { provider: 'pkcs11', keyId: kekKeyId('acme'), version: 3 };
    const bytes = writeKeyRef(new BinaryWriter(), ref).finish();
    expect(readKeyRef(new BinaryReader(bytes))).toEqual(ref);
    expect(kekTenant(ref)).toBe('acme');
    expect(kekTenant({ provider: 'file', keyId: 'root', version: 1 })).toBeUndefined();
    expect(formatKeyRef(ref)).toBe('pkcs11:kek/acme#3');
    expect(() => writeKeyRef(new BinaryWriter(), { ...ref, version: 0 })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
    expect(() => writeKeyRef(new BinaryWriter(), { ...ref, provider: 'Vault!' })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
  });

  it('bind a context to the key that wraps it', () => {
    const kek = { provider: 'pkcs11', keyId: 'kek/acme', version: 2 };
    const root = { provider: 'pkcs11', keyId: 'root', version: 1 };
    expect(() => checkContextForKey(kek, { purpose: WrapPurposes.TDK, tenant: 'acme', epoch: 1, kekVersion: 2 })).not.toThrow();
    expect(() => checkContextForKey(kek, { purpose: WrapPurposes.TDK, tenant: 'acme', epoch: 1, kekVersion: 1 })).toThrow();
    expect(() => checkContextForKey(kek, { purpose: WrapPurposes.TIK, tenant: 'beta', epoch: 0, kekVersion: 2 })).toThrow();
    expect(() => checkContextForKey(kek, { purpose: WrapPurposes.DEDUP, epoch: 0, kekVersion: 2 })).toThrow();
    expect(() => checkContextForKey(root, { purpose: WrapPurposes.SYSTEM_MASTER, epoch: 4, kekVersion: 1 })).not.toThrow();
    expect(() => checkContextForKey(root, { purpose: WrapPurposes.TDK, tenant: 'acme', epoch: 1, kekVersion: 1 })).toThrow();
    // The AAD has the layout of @tessera/crypto's wrapped-key prefix: format, purpose, tenant, epoch, kekVersion.
    expect(encodeWrapAad({ purpose: WrapPurposes.TDK, tenant: 'acme', epoch: 1, kekVersion: 2 }).toString('hex')).toBe('01' + '03' + Buffer.from('tdk').toString('hex') + '04' + Buffer.from('acme').toString('hex') + '0000000000000001' + '00000002');
  });

  it('publish the tenant-CA table from the committed tenants, without shredded tenants', () => {
    const core = new KmCore();
    const system = { role: 'system', principal: '', tenant: '' } as const;
    core.apply({ ts: 1, actor: system, command: { type: 'init-system', rootRef: { provider: 'memory', keyId: 'root', version: 1 }, master: Buffer.alloc(8, 1), dedup: Buffer.alloc(8, 2) } });
    core.apply({ ts: 2, actor: clusterAdmin, command: { type: 'create-tenant', tenant: 'b', policy: 'shared', caCertPem: CA_PEM, caCrlPem: CRL_PEM } });
    core.apply({ ts: 2, actor: clusterAdmin, command: { type: 'create-tenant', tenant: 'a', policy: 'isolated', caCertPem: CA_PEM, caCrlPem: CRL_PEM } });
    expect(tenantCaTable(core.state)).toEqual([
      { tenant: 'a', certificatePem: CA_PEM, crlPem: CRL_PEM },
      { tenant: 'b', certificatePem: CA_PEM, crlPem: CRL_PEM },
    ]);
    core.apply({ ts: 3, actor: tenantAdmin('a'), command: { type: 'request-shred', tenant: 'a', delayMs: 0 } });
    core.apply({ ts: 3, actor: system, command: { type: 'execute-shred', tenant: 'a' } });
    expect(tenantCaTable(core.state).map((t) => t.tenant)).toEqual(['b']);
  });
});
