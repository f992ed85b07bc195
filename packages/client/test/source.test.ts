/** Fixed-size reads over sources cut into arbitrary pieces; option parsing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { checkName, parseEndpoint, resolveOptions } from '../src/options.js';
import { ByteReader, sourceIterator } from '../src/source.js';

async function* piecesOf(pieces: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* pieces;
}

describe('ByteReader', () => {
  it('hands out exactly n bytes until the source ends, then the rest, then nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }), fc.integer({ min: 1, max: 64 }), async (pieces, n) => {
        const whole = Buffer.concat(pieces);
        const reader = new ByteReader(piecesOf(pieces));
        const out: Buffer[] = [];
        for (;;) {
          const part = await reader.read(n);
          if (part.length === 0) break;
          out.push(Buffer.from(part));
          if (part.length < n) {
            expect((await reader.read(n)).length).toBe(0);
            break;
          }
        }
        expect(Buffer.concat(out).equals(whole)).toBe(true);
        expect(out.slice(0, -1).every((p) => p.length === n)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('reads put-back bytes first', async () => {
    const reader = new ByteReader(sourceIterator(Buffer.from('abcdef'), 2));
    const head = await reader.read(4);
    reader.unshift(head);
    expect((await reader.read(6)).toString()).toBe('abcdef');
  });

  it('hands out a view of a bytes source after a put-back of its head: no copy of the chunk', async () => {
    const source = Buffer.from('0123456789');
    const reader = new ByteReader(sourceIterator(source, 4));
    reader.unshift(await reader.read(3));
    const chunk = await reader.read(8);
    expect(chunk.toString()).toBe('01234567');
    expect(chunk.buffer).toBe(source.buffer);
    expect(chunk.byteOffset).toBe(source.byteOffset);
    expect((await reader.read(8)).toString()).toBe('89');
  });

  it('refuses sources that are not bytes', async () => {
    expect(() => sourceIterator(42 as unknown as Uint8Array, 1)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
    const reader = new ByteReader(piecesOf([{} as Uint8Array]));
    await expect(reader.read(1)).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    const failing = new ByteReader(
      (async function* () {
        yield new Uint8Array(1);
        throw new Error('disk on fire: secret detail');
      })(),
    );
    const err = await failing.read(5).catch((e: unknown) => e);
    expect(isTesseraError(err, ErrorCodes.INTERNAL)).toBe(true);
    expect((err as Error).message).not.toContain('secret');
  });
});

describe('options', () => {
  it('parses endpoints with and without a node id', () => {
    expect(parseEndpoint('127.0.0.1:7001')).toEqual({ id: undefined, address: '127.0.0.1:7001' });
    expect(parseEndpoint('n2=node-2.example:443')).toEqual({ id: 'n2', address: 'node-2.example:443' });
    expect(parseEndpoint('[::1]:7001')).toEqual({ id: undefined, address: '[::1]:7001' });
    for (const bad of ['', 'host', ':80', 'h:70000', 'a=b=c:1', 'h:1/x']) expect(() => parseEndpoint(bad)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
  });

  it('applies defaults and bounds', () => {
    expect(resolveOptions({ tls: { certFile: '', keyFile: '', caFile: '' }, endpoints: ['h:1', 'h:1'] })).toEqual({
      endpoints: [{ id: undefined, address: 'h:1' }],
      chunkSize: 4 * 1024 * 1024,
      concurrency: 4,
      retryTimeoutMs: 30_000,
      attemptTimeoutMs: 60_000,
      bulk: true,
    });
    expect(resolveOptions({ tls: { certFile: '', keyFile: '', caFile: '' }, endpoints: ['h:1'], bulk: false }).bulk).toBe(false);
    for (const bad of [{ chunkSize: 16 * 1024 * 1024 + 1 }, { concurrency: 0 }, { chunkSize: 1.5 }, { retryTimeoutMs: -1 }]) {
      expect(() => resolveOptions({ tls: { certFile: '', keyFile: '', caFile: '' }, endpoints: ['h:1'], ...bad })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
    }
  });

  it('checks object names', () => {
    checkName('a');
    checkName('é'.repeat(512));
    for (const bad of ['', 'x'.repeat(1025), 'é'.repeat(513), '\ud800']) expect(() => checkName(bad)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
  });
});
