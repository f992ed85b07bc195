/**
 * 64-bit unsigned integers on the wire. proto-loader hands them over as
 * decimal strings (longs: String); these helpers convert to and from bigint
 * and reject anything that is not a canonical u64.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

const U64_MAX = (1n << 64n) - 1n;
const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

/** Parses a wire u64 (decimal string) into a bigint. */
export function u64(value: string): bigint {
  if (!DECIMAL.test(value)) throw new TesseraError(ErrorCodes.WIRE_BAD_U64, 'not a decimal u64');
  const n = BigInt(value);
  if (n > U64_MAX) throw new TesseraError(ErrorCodes.WIRE_BAD_U64, 'u64 out of range');
  return n;
}

/** Parses a wire u64 that must fit a JavaScript number exactly (sizes, counts). */
export function u64Number(value: string): number {
  const n = u64(value);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new TesseraError(ErrorCodes.WIRE_BAD_U64, 'u64 above 2^53');
  return Number(n);
}

/** Formats a bigint or a safe integer as a wire u64. */
export function u64String(value: bigint | number): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new TesseraError(ErrorCodes.WIRE_BAD_U64, 'not a safe integer');
  }
  const n = BigInt(value);
  if (n < 0n || n > U64_MAX) throw new TesseraError(ErrorCodes.WIRE_BAD_U64, 'u64 out of range');
  return n.toString();
}
