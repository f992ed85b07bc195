import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError, isTesseraError, toTesseraError } from '../src/index.js';

describe('TesseraError', () => {
  it('carries a stable code, a safe message and retriability', () => {
    const err = new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'shard checksum mismatch', { retriable: true });
    expect(err.code).toBe('CHECKSUM_MISMATCH');
    expect(err.retriable).toBe(true);
    expect(err).toBeInstanceOf(Error);
    expect(isTesseraError(err, ErrorCodes.CHECKSUM_MISMATCH)).toBe(true);
    expect(isTesseraError(err, ErrorCodes.INTERNAL)).toBe(false);
  });

  it('never serialises its cause', () => {
    const secret = 'internal path /var/lib/tessera/keys/tenant-a.kek';
    const err = new TesseraError(ErrorCodes.CRYPTO_UNWRAP_FAILED, 'unwrap failed', { cause: new Error(secret) });
    expect((err as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
    expect(JSON.stringify(err)).not.toContain(secret);
    expect(JSON.stringify(err.toWire())).not.toContain(secret);
    expect(err.toWire()).toEqual({ code: 'CRYPTO_UNWRAP_FAILED', message: 'unwrap failed', retriable: false });
  });

  it('turns foreign errors into an opaque INTERNAL error', () => {
    const wrapped = toTesseraError(new RangeError('offset 12345 out of bounds in /secret/file'));
    expect(wrapped.code).toBe(ErrorCodes.INTERNAL);
    expect(wrapped.message).toBe('internal error');
    const same = new TesseraError(ErrorCodes.NOT_FOUND, 'not found');
    expect(toTesseraError(same)).toBe(same);
  });

  it('has unique codes equal to their keys', () => {
    for (const [key, value] of Object.entries(ErrorCodes)) expect(value).toBe(key);
  });
});
