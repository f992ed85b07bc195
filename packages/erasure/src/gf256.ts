/**
 * Arithmetic in GF(2^8) with the reducing polynomial x^8 + x^4 + x^3 + x^2 + 1
 * (0x11D) and generator 2: the field Backblaze JavaReedSolomon, klauspost/
 * reedsolomon and the Rust reed-solomon-erasure crate use, which is what makes
 * our parity bit-identical to theirs.
 *
 * Tables are built once at load time from the polynomial, never transcribed,
 * so a wrong constant cannot hide in a table literal.
 */

/** The reducing polynomial, including the x^8 term. */
export const GF_POLYNOMIAL = 0x11d;

/** exp[i] = 2^i for i in 0..509 (doubled so that exp[log a + log b] needs no modulo). */
const EXP = new Uint8Array(510);
/** log[a] for a in 1..255; log[0] is unused. */
const LOG = new Uint8Array(256);

(function buildExpLog(): void {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    EXP[i + 255] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= GF_POLYNOMIAL;
  }
})();

/** Full 256 × 256 product table: MUL_TABLE[a * 256 + b] = a · b. */
export const MUL_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(256 * 256);
  for (let a = 1; a < 256; a++) {
    const logA = LOG[a]!;
    for (let b = 1; b < 256; b++) table[a * 256 + b] = EXP[logA + LOG[b]!]!;
  }
  return table;
})();

export function gfMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[LOG[a]! + LOG[b]!]!;
}

/** Multiplicative inverse; 0 has none (callers never ask, matrices are checked). */
export function gfInv(a: number): number {
  if (a === 0) throw new RangeError('zero has no inverse in GF(2^8)');
  return EXP[255 - LOG[a]!]!;
}

/** a^n with the Vandermonde convention 0^0 = 1. */
export function gfPow(a: number, n: number): number {
  if (n === 0) return 1;
  if (a === 0) return 0;
  return EXP[(LOG[a]! * n) % 255]!;
}

/**
 * The 32-byte split-nibble table of a coefficient c: bytes 0..15 hold c · n,
 * bytes 16..31 hold c · (n << 4), for n in 0..15. Because multiplication by c
 * is linear over XOR, c · x = lo[x & 15] ^ hi[x >> 4]; a 16-lane byte shuffle
 * (PSHUFB, i8x16.swizzle) then multiplies 16 bytes at once.
 */
export function nibbleTable(c: number, out: Uint8Array = new Uint8Array(32), offset = 0): Uint8Array {
  for (let n = 0; n < 16; n++) {
    out[offset + n] = gfMul(c, n);
    out[offset + 16 + n] = gfMul(c, n << 4);
  }
  return out;
}
