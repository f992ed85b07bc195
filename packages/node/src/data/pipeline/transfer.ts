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
  const copy = new Uint8Array(new ArrayBuffer(bytes.byteLength));
  copy.set(bytes);
  return copy;
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

/** A Buffer view over a Uint8Array that arrived from another thread (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
