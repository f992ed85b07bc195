/** Error constructors of the key manager: stable codes, fixed caller-safe messages. */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { ErrorCode } from '@tessera/common';

export function kmError(code: ErrorCode, message: string, options: { cause?: unknown; retriable?: boolean } = {}): TesseraError {
  return new TesseraError(code, message, options);
}

export function kekDestroyed(cause?: unknown): TesseraError {
  return kmError(ErrorCodes.KEK_DESTROYED, "the tenant's key-encryption key has been destroyed", { cause });
}

export function providerUnavailable(message: string, cause?: unknown): TesseraError {
  return kmError(ErrorCodes.KM_PROVIDER_UNAVAILABLE, message, { cause, retriable: true });
}

export function providerConfig(message: string, cause?: unknown): TesseraError {
  return kmError(ErrorCodes.KM_PROVIDER_CONFIG, message, { cause });
}
