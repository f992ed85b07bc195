import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { KeyMaterial, aes256GcmOpen, computeKeyTag, deriveDeltaKey, deriveKeyTagKey } from '@tessera/crypto';
import { decodeMetadataCommand, encodeMetadataCommand } from '../src/metadata/commands.js';
import { readDeltaHeader, writeDeltaHeader } from '../src/metadata/fields.js';
import type { DeltaHeader } from '../src/metadata/types.js';
import { objectKeyTag, openDelta, openObjectPut, sealDelta, sealObjectPut, sealTombstone, type DeltaBase, type DeltaDraft } from '../src/objects/delta-crypto.js';
import { encodeObjectPayload, type ObjectPayload } from '../src/objects/payload.js';

// Any code point but a surrogate (fast-check's 'binary' unit does the same, far more slowly).
const codePoint = fc.oneof(fc.integer({ min: 0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff })).map((c) => String.fromCodePoint(c));

const tdk = KeyMaterial.generate();
const tik = KeyMaterial.generate();
const keyTag = objectKeyTag(tik, 'reports/q3.pdf');
const base: DeltaBase = { tenant: 'acme', tenEpoch: 3, keyTag, clientId: 7, seq: 11 };
const refs = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
const putDraft: DeltaDraft = { ...base, op: 'put', tombstone: false, chunkRefs: refs };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof TesseraError)) throw err;
    return err.code;
  }
}

const headerBytes = (h: DeltaHeader): Buffer => writeDeltaHeader(new BinaryWriter(), h).finish();
const flip = (b: Buffer, i = 0): Buffer => {
  const c = Buffer.from(b);
  c[i] = (c[i] as number) ^ 1;
  return c;
};

describe('delta sealing', () => {
  it('round-trips any plaintext, with a header the metadata group accepts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2048 }), fc.integer({ min: 0, max: 2 ** 40 }), (plaintext, tenEpoch) => {
        const { header, payload } = sealDelta({ ...putDraft, tenEpoch }, plaintext, tdk);
        expect(header).toMatchObject({ formatVersion: 1, algId: 1, tenEpoch, tenant: 'acme', op: 'put', tombstone: false, clientId: 7, seq: 11, payloadSize: plaintext.length + 16 });
        expect(header.deltaId).toHaveLength(16);
        expect(header.nonce).toHaveLength(12);
        expect(header.chunkRefs).toEqual(refs);
        expect(payload).toHaveLength(header.payloadSize);
        expect(openDelta(header, payload, tdk).equals(Buffer.from(plaintext))).toBe(true);
      }),
      { numRuns: 100 },
    );
    expect(tdk.destroyed).toBe(false);
  });

  it('uses the delta key and the canonical header bytes as AAD, exactly as Raft stores them', () => {
    const { header, payload } = sealDelta(putDraft, Buffer.from('object payload'), tdk);
    const session = { clientId: 7, seq: 11, ackedThrough: 10 };
    const stored = decodeMetadataCommand(encodeMetadataCommand({ op: 'delta', timeMs: 1, session, header, payload }));
    if (stored.op !== 'delta') throw new Error('expected a delta command');
    expect(stored.header).toEqual(header);
    const key = deriveDeltaKey({ alg: 1, tenEpoch: 3, tenant: 'acme', tdk, deltaId: header.deltaId });
    expect(aes256GcmOpen(key, header.nonce, stored.payload, headerBytes(stored.header)).toString()).toBe('object payload');
    expect(openDelta(stored.header, stored.payload, tdk).toString()).toBe('object payload');
  });

  it('draws a fresh deltaId and nonce for every delta', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { header } = sealDelta(putDraft, Buffer.from('x'), tdk);
      seen.add(header.deltaId.toString('hex'));
      seen.add(header.nonce.toString('hex'));
    }
    expect(seen.size).toBe(100);
  });

  it('fails with a CRYPTO_* error when any header field changes', () => {
    const { header, payload } = sealDelta(putDraft, Buffer.from('secret name and attributes'), tdk);
    const tampered: Array<[string, DeltaHeader, string]> = [
      ['formatVersion', { ...header, formatVersion: 2 }, ErrorCodes.CRYPTO_UNKNOWN_VERSION],
      ['algId', { ...header, algId: 2 }, ErrorCodes.CRYPTO_UNKNOWN_ALGORITHM],
      ['tenEpoch', { ...header, tenEpoch: 4 }, ErrorCodes.CRYPTO_AUTH_FAILED],
      ['tenant', { ...header, tenant: 'acmf' }, ErrorCodes.CRYPTO_AUTH_FAILED],
      ['deltaId', { ...header, deltaId: flip(header.deltaId) }, ErrorCodes.CRYPTO_AUTH_FAILED],
      ['keyTag', { ...header, keyTag: flip(header.keyTag, 31) }, ErrorCodes.CRYPTO_AUTH_FAILED],
      ['op', { ...header, op: 'delete' }, ErrorCodes.CRYPTO_BAD_ENVELOPE],
      ['tombstone', { ...header, tombstone: true }, ErrorCodes.CRYPTO_BAD_ENVELOPE],
      ['chunkRefs order', { ...header, chunkRefs: [...refs].reverse() }, ErrorCodes.CRYPTO_AUTH_FAILED],
      ['chunkRefs dropped', { ...header, chunkRefs: refs.slice(1) }, ErrorCodes.CRYPTO_AUTH_FAILED],
      ['chunkRefs changed', { ...header, chunkRefs: [refs[0] as Buffer, flip(refs[1] as Buffer, 5)] }, ErrorCodes.CRYPTO_AUTH_FAILED],
      ['payloadSize', { ...header, payloadSize: header.payloadSize + 1 }, ErrorCodes.CRYPTO_BAD_ENVELOPE],
      ['clientId', { ...header, clientId: 8 }, ErrorCodes.CRYPTO_AUTH_FAILED],
      ['seq', { ...header, seq: 12 }, ErrorCodes.CRYPTO_AUTH_FAILED],
      ['nonce', { ...header, nonce: flip(header.nonce, 11) }, ErrorCodes.CRYPTO_AUTH_FAILED],
    ];
    for (const [field, h, code] of tampered) expect([field, codeOf(() => openDelta(h, payload, tdk))]).toEqual([field, code]);
  });

  it('fails on any change to the encoded header that still decodes', () => {
    const { header, payload } = sealDelta(putDraft, Buffer.from('payload'), tdk);
    const bytes = headerBytes(header);
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const mutated = Buffer.from(bytes);
        mutated[at] = (mutated[at] as number) ^ xor;
        let decoded: DeltaHeader;
        try {
          const r = new BinaryReader(mutated);
          decoded = readDeltaHeader(r);
          r.end();
        } catch (err) {
          expect(err).toBeInstanceOf(TesseraError);
          return;
        }
        expect(codeOf(() => openDelta(decoded, payload, tdk))).toMatch(/^CRYPTO_/);
      }),
      { numRuns: 300 },
    );
  });

  it('fails with CRYPTO_AUTH_FAILED on any changed payload byte, a wrong key or a short payload', () => {
    const { header, payload } = sealDelta(putDraft, Buffer.alloc(300, 9), tdk);
    fc.assert(
      fc.property(fc.nat(payload.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const mutated = Buffer.from(payload);
        mutated[at] = (mutated[at] as number) ^ xor;
        expect(codeOf(() => openDelta(header, mutated, tdk))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
      }),
      { numRuns: 200 },
    );
    expect(codeOf(() => openDelta(header, payload, KeyMaterial.generate()))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    expect(codeOf(() => openDelta(header, payload.subarray(1), tdk))).toBe(ErrorCodes.CRYPTO_BAD_ENVELOPE);
    expect(codeOf(() => openDelta({ ...header, payloadSize: 16 }, payload.subarray(0, 16), tdk))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    const destroyed = KeyMaterial.generate();
    destroyed.destroy();
    expect(codeOf(() => openDelta(header, payload, destroyed))).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
  });

  it('makes a tombstone an empty, unsealed payload of size 0', () => {
    const { header, payload } = sealTombstone(base, tdk);
    expect(header).toMatchObject({ op: 'delete', tombstone: true, chunkRefs: [], payloadSize: 0 });
    expect(payload).toHaveLength(0);
    expect(openDelta(header, payload, tdk)).toHaveLength(0);
    expect(codeOf(() => openDelta({ ...header, payloadSize: 1 }, Buffer.alloc(1), tdk))).toBe(ErrorCodes.CRYPTO_BAD_ENVELOPE);
    expect(codeOf(() => sealDelta({ ...base, op: 'delete', tombstone: true, chunkRefs: [] }, Buffer.from('x'), tdk))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => sealDelta(putDraft, new Uint8Array(0), tdk))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('refuses drafts the metadata group would refuse', () => {
    const bad: DeltaDraft[] = [
      { ...putDraft, chunkRefs: [refs[0] as Buffer, refs[0] as Buffer] },
      { ...putDraft, tombstone: true },
      { ...base, op: 'delete', tombstone: true, chunkRefs: refs },
      { ...putDraft, clientId: 0 },
      { ...putDraft, seq: 0 },
      { ...putDraft, tenant: 'Not A Tenant' },
      { ...putDraft, keyTag: Buffer.alloc(31) },
      { ...putDraft, chunkRefs: [Buffer.alloc(31)] },
    ];
    for (const draft of bad) expect(codeOf(() => sealDelta(draft, Buffer.from('x'), tdk))).toBeDefined();
    expect(codeOf(() => sealDelta(putDraft, Buffer.alloc(1024 * 1024), tdk))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('object puts', () => {
  const object: ObjectPayload = {
    name: 'reports/q3.pdf',
    attributes: new Map([['owner', 'ana']]),
    chunks: [
      { id: Buffer.alloc(32, 1), size: 100 },
      { id: Buffer.alloc(32, 2), size: 50 },
      { id: Buffer.alloc(32, 1), size: 100 },
    ],
    inline: Buffer.alloc(0),
  };

  it('seals a put whose header refs are the distinct chunk ids, and opens it back', () => {
    const { header, payload } = sealObjectPut(base, object, tdk);
    expect(header.chunkRefs).toEqual([Buffer.alloc(32, 1), Buffer.alloc(32, 2)]);
    const opened = openObjectPut(header, payload, tdk);
    expect(opened.name).toBe(object.name);
    expect(opened.chunks).toEqual(object.chunks);
    expect(opened.attributes.get('owner')).toBe('ana');
    // The name never appears in the stored bytes (K3).
    expect(Buffer.concat([headerBytes(header), payload]).includes(Buffer.from('reports/q3.pdf'))).toBe(false);
  });

  it('refuses a put whose header refs disagree with its payload, and a tombstone', () => {
    const { header, payload } = sealDelta({ ...base, op: 'put', tombstone: false, chunkRefs: [Buffer.alloc(32, 2), Buffer.alloc(32, 1)] }, encodeObjectPayload(object), tdk);
    expect(codeOf(() => openObjectPut(header, payload, tdk))).toBe(ErrorCodes.CRYPTO_BAD_ENVELOPE);
    const tombstone = sealTombstone(base, tdk);
    expect(codeOf(() => openObjectPut(tombstone.header, tombstone.payload, tdk))).toBe(ErrorCodes.CRYPTO_BAD_ENVELOPE);
  });
});

describe('object key tags', () => {
  it('equal HMAC-SHA256(HKDF(TIK, "tessera/v1/key-tag"), UTF-8 name)', () => {
    const tagKey = deriveKeyTagKey(tik);
    fc.assert(
      fc.property(fc.string({ unit: codePoint, minLength: 1, maxLength: 60 }).filter((s) => !s.includes('\u0000')), (name) => {
        expect(objectKeyTag(tik, name).equals(computeKeyTag(tagKey, name))).toBe(true);
      }),
      { numRuns: 100 },
    );
    expect(objectKeyTag(tik, 'a').equals(objectKeyTag(tik, 'b'))).toBe(false);
    expect(objectKeyTag(tik, 'a').equals(objectKeyTag(KeyMaterial.generate(), 'a'))).toBe(false);
    expect(tik.destroyed).toBe(false);
  });

  it('refuses names an object may not have', () => {
    for (const name of ['', 'a\u0000', 'x'.repeat(1025), '\uD800']) expect(codeOf(() => objectKeyTag(tik, name))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});
