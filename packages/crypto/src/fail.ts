/**
 * Error constructors for this package. Messages are fixed strings chosen to be
 * safe for any caller: they never include key bytes, plaintext, or the value
 * that was rejected.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { ErrorCode } from '@tessera/common';

export function cryptoError(code: ErrorCode, message: string, cause?: unknown): TesseraError {
  return new TesseraError(code, message, cause === undefined ? {} : { cause });
}

export function badKey(message: string): TesseraError {
  return cryptoError(ErrorCodes.CRYPTO_BAD_KEY, message);
}

export function badNonce(message: string): TesseraError {
  return cryptoError(ErrorCodes.CRYPTO_BAD_NONCE, message);
}

export function authFailed(cause?: unknown): TesseraError {
  return cryptoError(ErrorCodes.CRYPTO_AUTH_FAILED, 'authentication failed', cause);
}

export function invalidArgument(message: string): TesseraError {
  return cryptoError(ErrorCodes.INVALID_ARGUMENT, message);
}
