import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '@tessera/common';
import type { ChunkId } from '@tessera/common';
import { describe, expect, it } from 'vitest';
import {
  AeadIds,
  ChunkKeys,
  ENVELOPE_FIXED_HEADER_BYTES,
  KeyMaterial,
  MAX_CHUNK_PLAINTEXT_BYTES,
  aes256GcmSeal,
  computeChunkId,
  deriveSharedChunkDek,
  encodeEnvelopeHeader,
  openChunk,
  parseEnvelopeHeader,
  sealChunk,
  sealedLength,
} from '../src/index.js';
import type { ComputedChunkId, EnvelopeHeader } from '../src/index.js';
import { codeOf } from './helpers.js';
import { makeKeys } from './keyset.js';

const keys = makeKeys();

describe('sealChunk / openChunk', () => {
  for (const policy of ['shared', 'isolated'] as const) {
    it(`round-trips ${policy} chunks of 0, 1, 15, 16, 17 and 100 000 bytes`, () => {
      const set = keys[policy];
      for (const size of [0, 1, 15, 16, 17, 100_000]) {
        const plaintext = randomBytes(size);
        const { chunkId, envelope } = sealChunk({ keys: set, plaintext });
        expect(chunkId.equals(computeChunkId(set, plaintext).id)).toBe(true);
        expect(openChunk(envelope, set).equals(plaintext)).toBe(true);
      }
    });
  }

  it('writes the header the design specifies (shared: no tenant, tenant epoch 0)', () => {
    const plaintext = Buffer.from('hello');
    const shared = parseEnvelopeHeader(sealChunk({ keys: keys.shared, plaintext }).envelope);
    expect(shared).toMatchObject({ version: 1, alg: AeadIds.AES_256_GCM, sysEpoch: 5, tenEpoch: 0, policy: 'shared', tenant: '', plaintextLength: 5 });
    expect(shared.headerLength).toBe(ENVELOPE_FIXED_HEADER_BYTES);
    const isolated = parseEnvelopeHeader(sealChunk({ keys: keys.isolated, plaintext }).envelope);
    expect(isolated).toMatchObject({ sysEpoch: 5, tenEpoch: 2, policy: 'isolated', tenant: 'acme' });
    expect(isolated.headerLength).toBe(ENVELOPE_FIXED_HEADER_BYTES + 4);
    expect(isolated.nonce).toHaveLength(12);
  });

  it('uses a fresh random nonce for every seal', () => {
    const plaintext = Buffer.from('same bytes');
    const nonces = new Set<string>();
    for (let i = 0; i < 1000; i++) nonces.add(parseEnvelopeHeader(sealChunk({ keys: keys.shared, plaintext }).envelope).nonce.toString('hex'));
    expect(nonces.size).toBe(1000);
  });

  it('gives the same shared chunk id for every tenant, and isolated ids that differ per tenant', () => {
    const plaintext = Buffer.from('common content');
    const other = ChunkKeys.isolated({ sysEpoch: 5, master: keys.master, tenant: 'other', tenEpoch: 2, tdk: KeyMaterial.generate(), tik: KeyMaterial.generate() });
    const sharedAgain = ChunkKeys.shared({ sysEpoch: 6, master: KeyMaterial.generate(), dedupKey: keys.dedupKey });
    expect(computeChunkId(sharedAgain, plaintext).id).toEqual(computeChunkId(keys.shared, plaintext).id);
    expect(computeChunkId(other, plaintext).id).not.toEqual(computeChunkId(keys.isolated, plaintext).id);
    expect(computeChunkId(keys.isolated, plaintext).id).not.toEqual(computeChunkId(keys.shared, plaintext).id);
  });
});

describe('sealing into a caller-owned buffer', () => {
  const plaintext = randomBytes(5000);

  it('writes the envelope into the given buffer and returns a view of it', () => {
    for (const set of [keys.shared, keys.isolated]) {
      const length = sealedLength(set, plaintext.length);
      const output = Buffer.alloc(length + 100, 0xee);
      const { envelope } = sealChunk({ keys: set, plaintext, output });
      expect(envelope.length).toBe(length);
      expect(envelope.buffer).toBe(output.buffer);
      expect(output.subarray(length).equals(Buffer.alloc(100, 0xee))).toBe(true); // nothing written past the envelope
      expect(openChunk(envelope, set).equals(plaintext)).toBe(true);
      expect(sealChunk({ keys: set, plaintext }).envelope.length).toBe(length);
    }
  });

  it('refuses a buffer that is too small or overlaps the plaintext', () => {
    const tooSmall = Buffer.alloc(sealedLength(keys.shared, plaintext.length) - 1);
    expect(codeOf(() => sealChunk({ keys: keys.shared, plaintext, output: tooSmall }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    const arena = Buffer.alloc(20_000);
    const inside = arena.subarray(0, 5000);
    expect(codeOf(() => sealChunk({ keys: keys.shared, plaintext: inside, output: arena.subarray(4000) }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(sealChunk({ keys: keys.shared, plaintext: inside, output: arena.subarray(5000) }).envelope.length).toBe(sealedLength(keys.shared, 5000));
  });
});

describe('chunk ids are computed by the node, never taken from a caller', () => {
  const plaintext = Buffer.from('chunk');

  it('accepts the id computeChunkId made for this plaintext buffer and key set', () => {
    const computed = computeChunkId(keys.shared, plaintext);
    const { chunkId, envelope } = sealChunk({ keys: keys.shared, plaintext, chunkId: computed });
    expect(chunkId).toEqual(computed.id);
    expect(openChunk(envelope, keys.shared)).toEqual(plaintext);
  });

  it('refuses an id computed for another buffer (even with equal bytes) or another key set', () => {
    const forCopy = computeChunkId(keys.shared, Buffer.from(plaintext));
    expect(codeOf(() => sealChunk({ keys: keys.shared, plaintext, chunkId: forCopy }))).toBe(ErrorCodes.INVALID_ARGUMENT);
    const forOtherKeys = computeChunkId(keys.isolated, plaintext);
    expect(codeOf(() => sealChunk({ keys: keys.shared, plaintext, chunkId: forOtherKeys }))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('refuses anything that is not a ComputedChunkId (a client-supplied id)', () => {
    const clientId = Buffer.alloc(32, 1) as unknown as ComputedChunkId;
    expect(codeOf(() => sealChunk({ keys: keys.shared, plaintext, chunkId: clientId }))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('hands out copies: changing the returned id does not change what gets sealed', () => {
    const computed = computeChunkId(keys.shared, plaintext);
    computed.id.fill(0);
    const { envelope } = sealChunk({ keys: keys.shared, plaintext, chunkId: computed });
    expect(openChunk(envelope, keys.shared)).toEqual(plaintext);
  });
});

describe('openChunk failures are typed', () => {
  const plaintext = Buffer.from('secret chunk bytes');
  const sharedEnvelope = sealChunk({ keys: keys.shared, plaintext }).envelope;
  const isolatedEnvelope = sealChunk({ keys: keys.isolated, plaintext }).envelope;

  it('keys naming another policy, epoch or tenant: CRYPTO_KEY_MISMATCH', () => {
    expect(codeOf(() => openChunk(sharedEnvelope, keys.isolated))).toBe(ErrorCodes.CRYPTO_KEY_MISMATCH);
    expect(codeOf(() => openChunk(isolatedEnvelope, keys.shared))).toBe(ErrorCodes.CRYPTO_KEY_MISMATCH);
    const otherEpoch = makeKeys(6);
    expect(codeOf(() => openChunk(sharedEnvelope, otherEpoch.shared))).toBe(ErrorCodes.CRYPTO_KEY_MISMATCH);
    expect(codeOf(() => openChunk(isolatedEnvelope, makeKeys(5, 'acme', 3).isolated))).toBe(ErrorCodes.CRYPTO_KEY_MISMATCH);
    expect(codeOf(() => openChunk(isolatedEnvelope, makeKeys(5, 'other', 2).isolated))).toBe(ErrorCodes.CRYPTO_KEY_MISMATCH);
  });

  it('the right numbers but the wrong key bytes: CRYPTO_AUTH_FAILED', () => {
    const impostor = makeKeys(); // same epochs and tenant, different keys
    expect(codeOf(() => openChunk(sharedEnvelope, impostor.shared))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    expect(codeOf(() => openChunk(isolatedEnvelope, impostor.isolated))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
    // Same master, another tenant's TDK: an isolated chunk needs the tenant's own TDK (K5).
    const shredSurvivor = ChunkKeys.isolated({ sysEpoch: 5, master: keys.master, tenant: 'acme', tenEpoch: 2, tdk: KeyMaterial.generate(), tik: keys.tik });
    expect(codeOf(() => openChunk(isolatedEnvelope, shredSurvivor))).toBe(ErrorCodes.CRYPTO_AUTH_FAILED);
  });

  it('a valid tag over plaintext that does not hash to the header id: CRYPTO_CHUNK_ID_MISMATCH (key commitment)', () => {
    // Someone holding a DEK seals content under another chunk's id.
    const claimedId = computeChunkId(keys.shared, Buffer.from('the chunk everybody references')).id as ChunkId;
    const forged = Buffer.from('forged content');
    const nonce = Buffer.alloc(12, 4);
    const header = encodeEnvelopeHeader({ alg: 1, sysEpoch: 5, tenEpoch: 0, policy: 'shared', tenant: '', chunkId: claimedId, plaintextLength: forged.length, nonce });
    const dek = deriveSharedChunkDek({ alg: 1, sysEpoch: 5, master: keys.master, chunkId: claimedId });
    const envelope = Buffer.concat([header, aes256GcmSeal(dek, nonce, forged, header)]);
    expect(codeOf(() => openChunk(envelope, keys.shared))).toBe(ErrorCodes.CRYPTO_CHUNK_ID_MISMATCH);
  });

  it('unknown version and unknown algorithm ids are their own errors', () => {
    const badVersion = Buffer.from(sharedEnvelope);
    badVersion[4] = 2;
    expect(codeOf(() => openChunk(badVersion, keys.shared))).toBe(ErrorCodes.CRYPTO_UNKNOWN_VERSION);
    expect(codeOf(() => parseEnvelopeHeader(badVersion))).toBe(ErrorCodes.CRYPTO_UNKNOWN_VERSION);
    const badAlg = Buffer.from(sharedEnvelope);
    badAlg.writeUInt16BE(0x7777, 5);
    expect(codeOf(() => openChunk(badAlg, keys.shared))).toBe(ErrorCodes.CRYPTO_UNKNOWN_ALGORITHM);
    expect(codeOf(() => sealChunk({ keys: keys.shared, plaintext, alg: 0x7777 }))).toBe(ErrorCodes.CRYPTO_UNKNOWN_ALGORITHM);
  });

  it('a bad magic, an unknown policy or a shared header naming a tenant: CRYPTO_BAD_ENVELOPE', () => {
    const badMagic = Buffer.from(sharedEnvelope);
    badMagic[0] = 0;
    expect(codeOf(() => openChunk(badMagic, keys.shared))).toBe(ErrorCodes.CRYPTO_BAD_ENVELOPE);
    const badPolicy = Buffer.from(sharedEnvelope);
    badPolicy[23] = 3;
    expect(codeOf(() => parseEnvelopeHeader(badPolicy))).toBe(ErrorCodes.CRYPTO_BAD_ENVELOPE);
    const sharedWithTenEpoch = Buffer.from(sharedEnvelope);
    sharedWithTenEpoch[22] = 1;
    expect(codeOf(() => parseEnvelopeHeader(sharedWithTenEpoch))).toBe(ErrorCodes.CRYPTO_BAD_ENVELOPE);
    const isolatedAsShared = Buffer.from(isolatedEnvelope);
    isolatedAsShared[23] = 1;
    expect(codeOf(() => parseEnvelopeHeader(isolatedAsShared))).toBe(ErrorCodes.CRYPTO_BAD_ENVELOPE);
  });

  it('destroyed keys refuse to seal or open', () => {
    const doomed = makeKeys();
    const envelope = sealChunk({ keys: doomed.shared, plaintext }).envelope;
    doomed.master.destroy(); // destroys the ChunkKeys derived from it
    expect(doomed.shared.destroyed).toBe(true);
    expect(codeOf(() => openChunk(envelope, doomed.shared))).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
    expect(codeOf(() => sealChunk({ keys: doomed.shared, plaintext }))).toBe(ErrorCodes.CRYPTO_KEY_DESTROYED);
  });

  it('refuses chunks above the size bound before doing any work', () => {
    const huge = Buffer.allocUnsafe(MAX_CHUNK_PLAINTEXT_BYTES + 1);
    expect(codeOf(() => sealChunk({ keys: keys.shared, plaintext: huge }))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('parseEnvelopeHeader and key lookup by header', () => {
  it('gives storage code the epochs, tenant and chunk id without any key', () => {
    const plaintext = Buffer.from('x'.repeat(100));
    const { chunkId, envelope } = sealChunk({ keys: keys.isolated, plaintext });
    const header = parseEnvelopeHeader(envelope);
    expect(header.chunkId).toEqual(chunkId);
    expect(header.plaintextLength).toBe(100);
    expect(header.headerLength + 100 + 16).toBe(envelope.length);
  });

  it('openChunk can fetch keys from the parsed header', () => {
    const plaintext = Buffer.from('fetched by epoch');
    const { envelope } = sealChunk({ keys: keys.isolated, plaintext });
    const seen: EnvelopeHeader[] = [];
    const opened = openChunk(envelope, (header) => {
      seen.push(header);
      return keys.isolated;
    });
    expect(opened).toEqual(plaintext);
    expect(seen.map((h) => [h.policy, h.tenant, h.sysEpoch, h.tenEpoch])).toEqual([['isolated', 'acme', 5, 2]]);
  });
});
