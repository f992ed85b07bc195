/**
 * Object contents for the workload: each written value has a unique id, and
 * its bytes are a pure function of (marker, id, size), so any read can be
 * checked byte for byte and mapped back to the write that produced it.
 *
 *   <marker>|<value id>|<size>|<pseudo-random filler up to size bytes>
 *
 * The marker is the run's plaintext canary: it must never appear on a disk
 * (DESIGN K1). The filler is seeded from the id (not compressible, so it
 * looks like real data to the erasure code and the disks).
 */
import { createHash } from 'node:crypto';
import { seededRandom } from '../proxy/rng.js';

const HEADER_MAX = 512;

function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** The bytes of value `valueId`: `size` bytes, or the header's length when that is longer. */
export function valueBytes(marker: string, valueId: string, size: number): Buffer {
  // The header names the total length, which is at least the header's own (whose length depends on it).
  let total = size;
  let header = Buffer.from(`${marker}|${valueId}|${total}|`, 'utf8');
  while (header.length > total) {
    total = header.length;
    header = Buffer.from(`${marker}|${valueId}|${total}|`, 'utf8');
  }
  const out = Buffer.allocUnsafe(total);
  header.copy(out, 0);
  const random = seededRandom(seedOf(valueId));
  let i = header.length;
  for (; i + 4 <= total; i += 4) out.writeUInt32LE(Math.floor(random() * 4_294_967_296), i);
  for (; i < total; i++) out[i] = Math.floor(random() * 256);
  return out;
}

export type DecodedValue = { readonly ok: true; readonly valueId: string } | { readonly ok: false; readonly reason: string };

/** Which write `bytes` came from, if they are exactly that write's bytes. */
export function decodeValue(marker: string, bytes: Buffer): DecodedValue {
  const head = bytes.subarray(0, HEADER_MAX).toString('latin1');
  const parts = head.split('|');
  if (parts.length < 4 || parts[0] !== marker) return { ok: false, reason: `unrecognised header (${bytes.length} bytes)` };
  const valueId = parts[1]!;
  const size = Number(parts[2]);
  if (!Number.isSafeInteger(size) || size !== bytes.length) return { ok: false, reason: `value ${valueId}: ${bytes.length} bytes, expected ${parts[2] ?? '?'}` };
  if (!valueBytes(marker, valueId, size).equals(bytes)) return { ok: false, reason: `value ${valueId}: bytes differ from what was written` };
  return { ok: true, valueId };
}
