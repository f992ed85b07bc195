/** Error constructors of this package: fixed, caller-safe messages (never entry contents). */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { ErrorCode } from '@tessera/common';

export function auditError(code: ErrorCode, message: string, cause?: unknown): TesseraError {
  return new TesseraError(code, message, cause === undefined ? {} : { cause });
}

export function invalidRecord(message: string): TesseraError {
  return auditError(ErrorCodes.INVALID_ARGUMENT, message);
}

export function badEncoding(message: string): TesseraError {
  return auditError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, message);
}
