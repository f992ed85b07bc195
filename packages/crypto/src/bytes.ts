/** Small byte helpers shared by the modules of this package. */

/** A Buffer view over the same memory (no copy), so node:crypto accepts any Uint8Array. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Overwrites secret bytes in place; used on every temporary that held key material or plaintext. */
export function zeroize(bytes: Uint8Array | undefined): void {
  bytes?.fill(0);
}
