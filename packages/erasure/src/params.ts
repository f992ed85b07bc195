/** Validation of a Reed-Solomon profile (k data shards + m parity shards). */
import { ErrorCodes, TesseraError } from '@tessera/common';

/** GF(2^8) has 256 elements; the Vandermonde rows use distinct ones, and we keep one spare. */
export const MAX_TOTAL_SHARDS = 255;

export function checkParams(k: number, m: number): void {
  if (!Number.isInteger(k) || !Number.isInteger(m) || k < 1 || m < 0 || k + m > MAX_TOTAL_SHARDS) {
    throw new TesseraError(
      ErrorCodes.ERASURE_BAD_PARAMS,
      `erasure profile must satisfy 1 <= k, 0 <= m, k + m <= ${MAX_TOTAL_SHARDS}`,
    );
  }
}
