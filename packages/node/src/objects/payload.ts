/**
 * The encrypted part of an object delta (DESIGN section 7, K3): the object's
 * name, attributes, chunk order and the bytes of a small object live only
 * here, sealed under the delta key; the cleartext header carries the keyTag
 * and the distinct chunk ids, never these.
 *
 * Canonical binary form, version 1 (one encoding per value: attributes sorted
 * by the UTF-8 bytes of their keys, no trailing bytes):
 *
 *   u8  version = 1
 *   u16 length ‖ name (UTF-8, 1..1024 bytes, no NUL)
 *   u8  attribute count (≤ 64), then per attribute, keys strictly increasing:
 *       u8 length ‖ key (UTF-8, 1..128 bytes, no NUL) ‖ u16 length ‖ value (UTF-8, ≤ 1024 bytes)
 *   u16 chunk count (≤ 10,000), then per chunk in object order: id[32] ‖ u32 size (1..16 MiB)
 *   u16 length ‖ inline bytes (≤ 4096; non-empty only when there are no chunks)
 *
 * The same chunk may appear more than once (an object repeating content); the
 * delta header lists each chunk id once (`deltaChunkRefs`).
 *
 * A tombstone (delete) has NO payload at all: zero bytes, not an encoding of
 * anything and not sealed (see delta-crypto.ts). `decodeObjectPayload` refuses
 * empty input, so a tombstone is never mistaken for an object.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { isWellFormed, nameProblem, utf8Length } from './text.js';

export interface ObjectChunk {
  readonly id: Buffer;
  /** Plaintext bytes of the chunk. */
  readonly size: number;
}

export interface ObjectPayload {
  /** 1..1024 bytes of UTF-8, no NUL. */
  readonly name: string;
  /** At most 64 entries; key 1..128 bytes, value at most 1024 bytes of UTF-8. */
  readonly attributes: ReadonlyMap<string, string>;
  /** In object order; at most 10,000; id 32 bytes; size 1 byte..16 MiB. */
  readonly chunks: readonly ObjectChunk[];
  /** A small object's bytes (at most 4096); non-empty only when `chunks` is empty. */
  readonly inline: Buffer;
}

export const OBJECT_LIMITS = {
  nameBytes: 1024,
  attributes: 64,
  attributeKeyBytes: 128,
  attributeValueBytes: 1024,
  chunks: 10_000,
  inlineBytes: 4096,
  /** Largest chunk an object may list (the gateway's chunker never cuts larger ones). */
  chunkBytes: 16 * 1024 * 1024,
} as const;

export const OBJECT_PAYLOAD_VERSION = 1;

const CHUNK_ID_BYTES = 32;
const CHUNK_ENTRY_BYTES = CHUNK_ID_BYTES + 4;
const ATTRIBUTE_MIN_BYTES = 1 + 1 + 2;

/** The largest encoding any valid payload has (about 440 KB: well inside a 1 MiB delta entry). */
export const OBJECT_PAYLOAD_MAX_BYTES =
  1 +
  2 +
  OBJECT_LIMITS.nameBytes +
  1 +
  OBJECT_LIMITS.attributes * (1 + OBJECT_LIMITS.attributeKeyBytes + 2 + OBJECT_LIMITS.attributeValueBytes) +
  2 +
  OBJECT_LIMITS.chunks * CHUNK_ENTRY_BYTES +
  2 +
  OBJECT_LIMITS.inlineBytes;

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

function malformed(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, message);
}

function attributeKeyProblem(key: string): string | undefined {
  if (key.length === 0 || !isWellFormed(key) || key.includes('\u0000') || utf8Length(key) > OBJECT_LIMITS.attributeKeyBytes) {
    return `attribute keys must be 1-${OBJECT_LIMITS.attributeKeyBytes} bytes of well-formed UTF-8 without NUL`;
  }
  return undefined;
}

function attributeValueProblem(value: string): string | undefined {
  if (!isWellFormed(value) || utf8Length(value) > OBJECT_LIMITS.attributeValueBytes) {
    return `attribute values must be at most ${OBJECT_LIMITS.attributeValueBytes} bytes of well-formed UTF-8`;
  }
  return undefined;
}

function chunkProblem(chunk: ObjectChunk): string | undefined {
  if (chunk.id.byteLength !== CHUNK_ID_BYTES) return `chunk ids are ${CHUNK_ID_BYTES} bytes`;
  if (!Number.isInteger(chunk.size) || chunk.size < 1 || chunk.size > OBJECT_LIMITS.chunkBytes) return `chunk sizes are 1..${OBJECT_LIMITS.chunkBytes} bytes`;
  return undefined;
}

function bodyProblem(chunkCount: number, inlineBytes: number): string | undefined {
  if (chunkCount > OBJECT_LIMITS.chunks) return `an object has at most ${OBJECT_LIMITS.chunks} chunks`;
  if (inlineBytes > OBJECT_LIMITS.inlineBytes) return `inline data is at most ${OBJECT_LIMITS.inlineBytes} bytes`;
  if (inlineBytes > 0 && chunkCount > 0) return 'an object is either inline or chunked, not both';
  return undefined;
}

function fail(problem: string | undefined, make: (message: string) => TesseraError): void {
  if (problem !== undefined) throw make(problem);
}

/** The canonical encoding; INVALID_ARGUMENT when a limit is broken. */
export function encodeObjectPayload(p: ObjectPayload): Buffer {
  fail(nameProblem(p.name, OBJECT_LIMITS.nameBytes), invalid);
  fail(bodyProblem(p.chunks.length, p.inline.byteLength), invalid);
  if (p.attributes.size > OBJECT_LIMITS.attributes) throw invalid(`an object has at most ${OBJECT_LIMITS.attributes} attributes`);
  const attributes: Array<{ key: Buffer; value: string }> = [];
  for (const [key, value] of p.attributes) {
    fail(attributeKeyProblem(key), invalid);
    fail(attributeValueProblem(value), invalid);
    attributes.push({ key: Buffer.from(key, 'utf8'), value });
  }
  attributes.sort((a, b) => Buffer.compare(a.key, b.key));

  const w = new BinaryWriter(64 + utf8Length(p.name) + p.chunks.length * CHUNK_ENTRY_BYTES + p.inline.byteLength);
  w.u8(OBJECT_PAYLOAD_VERSION).string(p.name, 2, OBJECT_LIMITS.nameBytes).u8(attributes.length);
  for (const a of attributes) w.bytes(a.key, 1, OBJECT_LIMITS.attributeKeyBytes).string(a.value, 2, OBJECT_LIMITS.attributeValueBytes);
  w.u16(p.chunks.length);
  for (const c of p.chunks) {
    fail(chunkProblem(c), invalid);
    w.fixed(c.id, CHUNK_ID_BYTES).u32(c.size);
  }
  return w.bytes(p.inline, 2, OBJECT_LIMITS.inlineBytes).finish();
}

/**
 * Decodes a payload. Bounded (input length, every count and length checked
 * before anything is allocated) and strict (only canonical encodings): any
 * malformed input is a TesseraError with a CODEC_* code.
 */
export function decodeObjectPayload(b: Uint8Array): ObjectPayload {
  if (b.byteLength > OBJECT_PAYLOAD_MAX_BYTES) throw new TesseraError(ErrorCodes.CODEC_FIELD_TOO_LONG, 'object payload too large');
  const r = new BinaryReader(b);
  if (r.u8() !== OBJECT_PAYLOAD_VERSION) throw malformed('unknown object payload version');
  const name = r.string(2, OBJECT_LIMITS.nameBytes);
  fail(nameProblem(name, OBJECT_LIMITS.nameBytes), malformed);

  const attributeCount = r.u8();
  if (attributeCount > OBJECT_LIMITS.attributes) throw malformed('too many attributes');
  if (attributeCount * ATTRIBUTE_MIN_BYTES > r.remaining) throw new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'input truncated');
  const attributes = new Map<string, string>();
  let previousKey: Buffer | undefined;
  for (let i = 0; i < attributeCount; i++) {
    const keyBytes = r.bytes(1, OBJECT_LIMITS.attributeKeyBytes);
    if (previousKey !== undefined && Buffer.compare(previousKey, keyBytes) >= 0) throw malformed('attributes must be sorted by key, each key once');
    previousKey = keyBytes;
    const key = keyBytes.toString('utf8');
    if (!Buffer.from(key, 'utf8').equals(keyBytes)) throw malformed('invalid utf-8');
    fail(attributeKeyProblem(key), malformed);
    const value = r.string(2, OBJECT_LIMITS.attributeValueBytes);
    fail(attributeValueProblem(value), malformed);
    attributes.set(key, value);
  }

  const chunkCount = r.u16();
  if (chunkCount > OBJECT_LIMITS.chunks) throw malformed('too many chunks');
  if (chunkCount * CHUNK_ENTRY_BYTES > r.remaining) throw new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'input truncated');
  const chunks: ObjectChunk[] = [];
  for (let i = 0; i < chunkCount; i++) {
    const chunk = { id: Buffer.from(r.fixed(CHUNK_ID_BYTES)), size: r.u32() };
    fail(chunkProblem(chunk), malformed);
    chunks.push(chunk);
  }
  const inline = Buffer.from(r.bytes(2, OBJECT_LIMITS.inlineBytes));
  r.end();
  fail(bodyProblem(chunks.length, inline.byteLength), malformed);
  return { name, attributes, chunks, inline };
}

/** The object's length in bytes: its inline bytes, or the sum of its chunk sizes. */
export function objectSize(p: ObjectPayload): number {
  if (p.chunks.length === 0) return p.inline.byteLength;
  let size = 0;
  for (const c of p.chunks) size += c.size;
  return size;
}

/**
 * The chunk references a put delta's header carries for this payload: each
 * distinct chunk id once, in order of first appearance. The metadata group
 * refuses a header listing a chunk twice (fields.ts) and counts references per
 * delta, so a chunk an object repeats is referenced once by that delta.
 */
export function deltaChunkRefs(p: ObjectPayload): Buffer[] {
  const seen = new Set<string>();
  const refs: Buffer[] = [];
  for (const c of p.chunks) {
    const hex = c.id.toString('hex');
    if (seen.has(hex)) continue;
    seen.add(hex);
    refs.push(c.id);
  }
  return refs;
}
