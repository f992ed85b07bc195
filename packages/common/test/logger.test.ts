import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, Logger, REDACTED, SECRET_BRAND, TesseraError } from '../src/index.js';

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = new Logger({ level: 'debug', sink: { write: (l) => lines.push(l) }, clock: () => 0 });
  return { logger, lines };
}

/** Every textual form a 32-byte key could take once someone encodes it. */
function encodings(key: Buffer): string[] {
  return [key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'), key.toString('base64url'), key.toString('latin1')];
}

describe('Logger', () => {
  it('writes one JSON object per line with level, time and fields', () => {
    const { logger, lines } = capture();
    logger.info('node started', { nodeId: 'n1', port: 7000 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'node started', nodeId: 'n1', port: 7000 });
  });

  it('filters by level and merges child fields', () => {
    const lines: string[] = [];
    const logger = new Logger({ level: 'warn', sink: { write: (l) => lines.push(l) } });
    logger.info('quiet');
    logger.child({ component: 'raft' }).warn('loud');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'loud', component: 'raft' });
  });

  it('never lets a key-shaped value reach the output, however it is passed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('a', 'b', 'ctx'), (raw, field) => {
        const key = Buffer.from(raw);
        const branded = { [SECRET_BRAND]: true as const, bytes: key };
        const { logger, lines } = capture();
        logger.info('event', {
          [field]: key,
          nested: { deeper: [key, new Uint8Array(key)] },
          asHex: key.toString('hex'),
          asBase64: key.toString('base64'),
          asBase64Url: key.toString('base64url'),
          apiKey: 'short',
          dataKey: 'also-short',
          branded,
          view: new DataView(key.buffer, key.byteOffset, key.byteLength),
          arrayBuffer: key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength),
          err: new Error(key.toString('hex')),
        });
        const out = lines.join('');
        for (const enc of encodings(key)) if (enc.length >= 8) expect(out).not.toContain(enc);
        expect(out).toContain(REDACTED);
      }),
      { numRuns: 50 },
    );
  });

  it('redacts secret-named fields and PEM private keys but keeps public ids', () => {
    const { logger, lines } = capture();
    const chunkId = randomBytes(32).toString('hex');
    logger.warn('x', {
      password: 'hunter2',
      kek: 'x',
      token: 'y',
      pem: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
      chunkId,
      keyTag: 'kt',
      count: 3,
    });
    const rec = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(rec['password']).toBe(REDACTED);
    expect(rec['kek']).toBe(REDACTED);
    expect(rec['token']).toBe(REDACTED);
    expect(rec['pem']).toBe(REDACTED);
    expect(rec['chunkId']).toBe(chunkId);
    expect(rec['keyTag']).toBe('kt');
    expect(rec['count']).toBe(3);
  });

  it('logs TesseraErrors by code and message only, never their cause', () => {
    const { logger, lines } = capture();
    const err = new TesseraError(ErrorCodes.INTERNAL, 'internal error', { cause: new Error('secret detail') });
    logger.error('failed', { err });
    expect(lines[0]).toContain('INTERNAL');
    expect(lines[0]).not.toContain('secret detail');
  });

  it('survives cycles and deep nesting', () => {
    const { logger, lines } = capture();
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    logger.info('cyclic', { a, deep, big: 10n });
    expect(() => JSON.parse(lines[0]!) as unknown).not.toThrow();
  });

  it('keeps long error codes in code fields, and still scrubs key-shaped values there', () => {
    const lines: string[] = [];
    const log = new Logger({ sink: { write: (l) => lines.push(l) } });
    log.warn('stopped', { code: 'RAFT_SNAPSHOT_OUT_OF_DATE', errorCode: 'CHUNK_STALE_WRITE_ID' });
    log.warn('odd', { code: 'a'.repeat(40), errorCode: Buffer.alloc(32, 7).toString('base64') });
    const [kept, scrubbed] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(kept).toMatchObject({ code: 'RAFT_SNAPSHOT_OUT_OF_DATE', errorCode: 'CHUNK_STALE_WRITE_ID' });
    expect(scrubbed).toMatchObject({ code: '[redacted]', errorCode: '[redacted]' });
  });
});
