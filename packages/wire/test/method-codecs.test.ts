import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { putChunkCodec, putShardCodec } from '../src/index.js';

describe('method codecs (the bulk ports speak the gRPC methods\' messages)', () => {
  it('PutChunk: a header frame and a response round-trip with their u64 fields as decimal strings', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (seq, size, id) => {
        const codec = putChunkCodec();
        const session = { clientId: '7', seq: seq.toString(), ackedThrough: '0' };
        const frame = codec.requestDeserialize(codec.requestSerialize({ header: { session, size: size.toString() } }));
        expect(frame.kind).toBe('header');
        expect(frame.header?.session).toEqual(session);
        expect(frame.header?.size).toBe(size.toString());
        const chunkId = Buffer.from(id);
        const res = codec.responseDeserialize(codec.responseSerialize({ chunkId, size: size.toString() }));
        expect(res.chunkId.equals(chunkId)).toBe(true);
        expect(res.size).toBe(size.toString());
      }),
    );
  });

  it('PutShard: the receipt round-trips; a frame without a header decodes as one without a header', () => {
    const codec = putShardCodec();
    expect(codec.responseDeserialize(codec.responseSerialize({ offset: '18446744073709551615' })).offset).toBe('18446744073709551615');
    expect(codec.requestDeserialize(codec.requestSerialize({})).header ?? null).toBeNull();
  });

  it('the codecs are the gRPC methods\' own: the same object on every call', () => {
    expect(putChunkCodec()).toBe(putChunkCodec());
    expect(putShardCodec()).toBe(putShardCodec());
    expect(putShardCodec()).not.toBe(putChunkCodec());
  });
});
