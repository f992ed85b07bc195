/**
 * Committed vectors for every derivation (test/fixtures/derivations.json),
 * checked two ways: (1) the implementation reproduces every expected value;
 * (2) an independent computation — @noble/hashes HKDF/HMAC, @noble/ciphers
 * GCM and KWP, on info bytes built by hand here from DESIGN section 5 —
 * reproduces them too. (1) catches any change to a derivation; (2) shows the
 * committed values are the formulas of the design, not whatever the code did.
 */
import { readFileSync } from 'node:fs';
import { gcm, aeskwp } from '@noble/ciphers/aes.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChunkKeys,
  KeyMaterial,
  computeChunkId,
  computeKeyTag,
  deltaKeyInfo,
  deriveChunkIdKey,
  deriveDeltaKey,
  deriveIsolatedChunkDek,
  deriveKeyTagKey,
  deriveSharedChunkDek,
  isolatedChunkDekInfo,
  openChunk,
  sharedChunkDekInfo,
  unwrapKey,
  wrapKey,
} from '../src/index.js';
import type { WrapPurpose } from '../src/index.js';
import { sealWithNonce } from '../src/envelope.js';

interface Fixture {
  readonly inputs: {
    master: string; tdk: string; tik: string; dedupKey: string; kek: string; plaintext: string;
    alg: number; sysEpoch: number; tenEpoch: number; bigSysEpoch: number; tenant: string; deltaId: string;
    objectNames: string[]; nonce: string;
    wrap: { purpose: WrapPurpose; tenant: string; epoch: number; kekVersion: number };
    wrapSystem: { purpose: WrapPurpose; epoch: number; kekVersion: number };
  };
  readonly expected: Record<string, string> & { keyTags: string[] };
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/derivations.json', import.meta.url), 'utf8')) as Fixture;
const { inputs, expected } = fixture;
const h = (s: string): Buffer => Buffer.from(s, 'hex');
const x = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const key = (s: string): KeyMaterial => KeyMaterial.fromBytes(h(s));
const e = (name: string): string => {
  const value = expected[name];
  if (typeof value !== 'string') throw new Error(`fixture lacks ${name}`);
  return value;
};

// ---- hand-built encodings, straight from DESIGN section 5 (no code from src/)
const ascii = (s: string): Buffer => Buffer.from(s, 'ascii');
const u8 = (n: number): Buffer => Buffer.from([n]);
const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const lp = (s: string): Buffer => Buffer.concat([u8(s.length), ascii(s)]);
const SALT = ascii('tessera/v1/hkdf-salt');
const nobleHkdf = (ikm: Uint8Array, info: Uint8Array): string => x(hkdf(sha256, ikm, SALT, info, 32));
const nobleHmac = (k: Uint8Array, m: Uint8Array): string => x(hmac(sha256, k, m));

const plaintext = h(inputs.plaintext);

describe('derivation vectors: the implementation reproduces the committed values', () => {
  const master = key(inputs.master);
  const tdk = key(inputs.tdk);
  const tik = key(inputs.tik);
  const dedupKey = key(inputs.dedupKey);
  const kek = key(inputs.kek);
  const shared = ChunkKeys.shared({ sysEpoch: inputs.sysEpoch, master, dedupKey });
  const isolated = ChunkKeys.isolated({ sysEpoch: inputs.sysEpoch, master, tenant: inputs.tenant, tenEpoch: inputs.tenEpoch, tdk, tik });

  it('chunk ids and the isolated chunk-id key', () => {
    expect(x(computeChunkId(shared, plaintext).id)).toBe(e('chunkIdShared'));
    expect(x(deriveChunkIdKey(tik).expose())).toBe(e('chunkIdKey'));
    expect(x(computeChunkId(isolated, plaintext).id)).toBe(e('chunkIdIsolated'));
  });

  it('chunk DEK infos and DEKs (shared and isolated)', () => {
    const sharedId = h(e('chunkIdShared'));
    const isolatedId = h(e('chunkIdIsolated'));
    expect(x(sharedChunkDekInfo(inputs.alg, inputs.sysEpoch, sharedId))).toBe(e('sharedDekInfo'));
    expect(x(deriveSharedChunkDek({ alg: inputs.alg, sysEpoch: inputs.sysEpoch, master, chunkId: sharedId }).expose())).toBe(e('sharedDek'));
    expect(x(deriveSharedChunkDek({ alg: inputs.alg, sysEpoch: inputs.bigSysEpoch, master, chunkId: sharedId }).expose())).toBe(e('sharedDekBigEpoch'));
    expect(x(isolatedChunkDekInfo(inputs.alg, inputs.sysEpoch, inputs.tenEpoch, inputs.tenant, isolatedId))).toBe(e('isolatedDekInfo'));
    const dek = deriveIsolatedChunkDek({ alg: inputs.alg, sysEpoch: inputs.sysEpoch, tenEpoch: inputs.tenEpoch, tenant: inputs.tenant, master, tdk, chunkId: isolatedId });
    expect(x(dek.expose())).toBe(e('isolatedDek'));
  });

  it('ChunkKeys (extract once, expand per chunk) gives the same DEKs as the one-shot HKDF', () => {
    expect(shared.withDek(inputs.alg, h(e('chunkIdShared')), x)).toBe(e('sharedDek'));
    expect(isolated.withDek(inputs.alg, h(e('chunkIdIsolated')), x)).toBe(e('isolatedDek'));
  });

  it('ChunkKeys agrees with the one-shot HKDF for any chunk id and algorithm id', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 1, max: 0xffff }), (chunkId, alg) => {
        const expectedShared = deriveSharedChunkDek({ alg, sysEpoch: inputs.sysEpoch, master, chunkId }).expose();
        expect(shared.withDek(alg, chunkId, (dek) => dek.equals(expectedShared))).toBe(true);
        const expectedIsolated = deriveIsolatedChunkDek({ alg, sysEpoch: inputs.sysEpoch, tenEpoch: inputs.tenEpoch, tenant: inputs.tenant, master, tdk, chunkId }).expose();
        expect(isolated.withDek(alg, chunkId, (dek) => dek.equals(expectedIsolated))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('delta key', () => {
    const deltaId = h(inputs.deltaId);
    expect(x(deltaKeyInfo(inputs.alg, inputs.tenEpoch, inputs.tenant, deltaId))).toBe(e('deltaKeyInfo'));
    expect(x(deriveDeltaKey({ alg: inputs.alg, tenEpoch: inputs.tenEpoch, tenant: inputs.tenant, tdk, deltaId }).expose())).toBe(e('deltaKey'));
  });

  it('keyTag key and keyTags', () => {
    const keyTagKey = deriveKeyTagKey(tik);
    expect(x(keyTagKey.expose())).toBe(e('keyTagKey'));
    expect(inputs.objectNames.map((name) => x(computeKeyTag(keyTagKey, name)))).toEqual(expected.keyTags);
  });

  it('context-bound wraps (KWP is deterministic) and their unwraps', () => {
    expect(x(wrapKey(kek, tdk, inputs.wrap))).toBe(e('wrappedTdk'));
    expect(x(wrapKey(kek, master, inputs.wrapSystem))).toBe(e('wrappedSystemMaster'));
    expect(x(unwrapKey(kek, h(e('wrappedTdk')), inputs.wrap).expose())).toBe(inputs.tdk);
  });

  it('whole envelopes with a fixed nonce, and they open', () => {
    const nonce = h(inputs.nonce);
    expect(x(sealWithNonce({ keys: shared, plaintext }, nonce).envelope)).toBe(e('envelopeShared'));
    expect(x(sealWithNonce({ keys: isolated, plaintext }, nonce).envelope)).toBe(e('envelopeIsolated'));
    expect(x(openChunk(h(e('envelopeShared')), shared))).toBe(inputs.plaintext);
    expect(x(openChunk(h(e('envelopeIsolated')), isolated))).toBe(inputs.plaintext);
  });
});

describe('derivation vectors: an independent computation agrees with the committed values', () => {
  const chunkIdShared = nobleHmac(h(inputs.dedupKey), plaintext);
  const chunkIdKey = nobleHkdf(h(inputs.tik), ascii('tessera/v1/chunk-id'));
  const chunkIdIsolated = nobleHmac(h(chunkIdKey), plaintext);
  const sharedInfo = (sysEpoch: number): Buffer => Buffer.concat([ascii('tessera/v1/chunk-dek'), u16(inputs.alg), u64(sysEpoch), h(chunkIdShared)]);
  const isolatedInfo = Buffer.concat([
    ascii('tessera/v1/chunk-dek-isolated'),
    u16(inputs.alg),
    u64(inputs.sysEpoch),
    u64(inputs.tenEpoch),
    lp(inputs.tenant),
    h(chunkIdIsolated),
  ]);
  const isolatedIkm = Buffer.concat([h(inputs.master), h(inputs.tdk)]);

  it('chunk ids', () => {
    expect(chunkIdShared).toBe(e('chunkIdShared'));
    expect(chunkIdKey).toBe(e('chunkIdKey'));
    expect(chunkIdIsolated).toBe(e('chunkIdIsolated'));
  });

  it('chunk DEKs', () => {
    expect(x(sharedInfo(inputs.sysEpoch))).toBe(e('sharedDekInfo'));
    expect(nobleHkdf(h(inputs.master), sharedInfo(inputs.sysEpoch))).toBe(e('sharedDek'));
    expect(nobleHkdf(h(inputs.master), sharedInfo(inputs.bigSysEpoch))).toBe(e('sharedDekBigEpoch'));
    expect(x(isolatedInfo)).toBe(e('isolatedDekInfo'));
    expect(nobleHkdf(isolatedIkm, isolatedInfo)).toBe(e('isolatedDek'));
  });

  it('delta key', () => {
    const info = Buffer.concat([ascii('tessera/v1/delta'), u16(inputs.alg), u64(inputs.tenEpoch), lp(inputs.tenant), h(inputs.deltaId)]);
    expect(x(info)).toBe(e('deltaKeyInfo'));
    expect(nobleHkdf(h(inputs.tdk), info)).toBe(e('deltaKey'));
  });

  it('keyTags', () => {
    const keyTagKey = nobleHkdf(h(inputs.tik), ascii('tessera/v1/key-tag'));
    expect(keyTagKey).toBe(e('keyTagKey'));
    expect(inputs.objectNames.map((name) => nobleHmac(h(keyTagKey), Buffer.from(name, 'utf8')))).toEqual(expected.keyTags);
  });

  it('wrapped keys: KWP over format ‖ purpose ‖ tenant ‖ epoch ‖ kekVersion ‖ key', () => {
    const tdkBlob = Buffer.concat([u8(1), lp('tdk'), lp(inputs.wrap.tenant), u64(inputs.wrap.epoch), u32(inputs.wrap.kekVersion), h(inputs.tdk)]);
    expect(x(aeskwp(h(inputs.kek)).encrypt(tdkBlob))).toBe(e('wrappedTdk'));
    const masterBlob = Buffer.concat([u8(1), lp('system-master'), lp(''), u64(inputs.wrapSystem.epoch), u32(inputs.wrapSystem.kekVersion), h(inputs.master)]);
    expect(x(aeskwp(h(inputs.kek)).encrypt(masterBlob))).toBe(e('wrappedSystemMaster'));
  });

  it('envelopes: hand-built header as AAD, AES-256-GCM under the derived DEK', () => {
    const nonce = h(inputs.nonce);
    const length = u64(plaintext.length);
    const sharedHeader = Buffer.concat([ascii('TSEN'), u8(1), u16(1), u64(inputs.sysEpoch), u64(0), u8(1), lp(''), h(chunkIdShared), length, nonce]);
    const sharedDek = h(nobleHkdf(h(inputs.master), sharedInfo(inputs.sysEpoch)));
    const sharedBody = gcm(sharedDek, nonce, sharedHeader).encrypt(plaintext);
    expect(x(Buffer.concat([sharedHeader, sharedBody]))).toBe(e('envelopeShared'));

    const isolatedHeader = Buffer.concat([
      ascii('TSEN'), u8(1), u16(1), u64(inputs.sysEpoch), u64(inputs.tenEpoch), u8(2), lp(inputs.tenant), h(chunkIdIsolated), length, nonce,
    ]);
    const isolatedDek = h(nobleHkdf(isolatedIkm, isolatedInfo));
    const isolatedBody = gcm(isolatedDek, nonce, isolatedHeader).encrypt(plaintext);
    expect(x(Buffer.concat([isolatedHeader, isolatedBody]))).toBe(e('envelopeIsolated'));
  });
});
