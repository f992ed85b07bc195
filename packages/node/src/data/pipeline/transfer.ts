/**
 * Moving bytes between threads without needless copies.
 *
 * postMessage can transfer (move) an ArrayBuffer instead of cloning it, but a
 * transfer detaches the whole ArrayBuffer: that is only safe for memory the
 * pipeline allocated itself and that holds nothing else. Caller buffers are
 * copied once into such memory; a view that does not own its ArrayBuffer
 * (a slice of Node's shared pool, a subarray) is copied too.
 */

/** A copy of `bytes` in a fresh ArrayBuffer of exactly its length. */
export function ownedCopy(bytes: Uint8Array): Uint8Array {
  // allocUnsafeSlow: an ArrayBuffer of its own (never the shared pool), and not
  // zero-filled first, since every byte is overwritten at once.
  const copy = Buffer.allocUnsafeSlow(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** Uninitialised memory of `length` bytes in an ArrayBuffer of its own, to fill and transfer. */
export function ownedBuffer(length: number): Buffer {
  return Buffer.allocUnsafeSlow(length);
}

/** `bytes` itself when it spans its whole (non-shared) ArrayBuffer, else an owned copy. */
export function soleOwner(bytes: Uint8Array): Uint8Array {
  const whole = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? bytes : ownedCopy(bytes);
}

/** The ArrayBuffer to list in postMessage's transfer list for a view made by ownedCopy or soleOwner. */
export function transferOf(bytes: Uint8Array): ArrayBuffer {
  if (!(bytes.buffer instanceof ArrayBuffer)) throw new TypeError('only an owned ArrayBuffer can be transferred');
  return bytes.buffer;
}

/**
 * Zero-fills the whole ArrayBuffer under `bytes` (not only the view): a
 * pipeline buffer may be longer than the bytes of its job, and it goes back to
 * be reused only once every byte of it is zero.
 */
export function wipeWhole(bytes: Uint8Array): void {
  if (bytes.buffer instanceof ArrayBuffer) new Uint8Array(bytes.buffer).fill(0);
  else bytes.fill(0);
}

/** The plaintext buffer of a finished job, to move back for reuse; undefined when there is none to give. */
export function spentBuffer(bytes: unknown): ArrayBuffer | undefined {
  if (!(bytes instanceof Uint8Array) || !(bytes.buffer instanceof ArrayBuffer) || bytes.buffer.byteLength === 0) return undefined;
  return bytes.buffer;
}

/** A Buffer view over a Uint8Array that arrived from another thread (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
