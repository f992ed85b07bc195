/**
 * Canonical binary codec for everything that is hashed, authenticated or
 * stored: big-endian fixed-width integers, length-prefixed byte strings with a
 * declared maximum, and a reader that rejects trailing bytes. There is exactly
 * one encoding of a value, so two parties that agree on a value agree on its
 * bytes (no JSON in anything hashed or authenticated: DESIGN section 5).
 */
import { ErrorCodes, TesseraError } from './errors.js';

const U64_MAX = (1n << 64n) - 1n;

function codecError(code: 'CODEC_TRUNCATED' | 'CODEC_TRAILING_BYTES' | 'CODEC_FIELD_TOO_LONG' | 'CODEC_VALUE_OUT_OF_RANGE' | 'CODEC_BAD_MAGIC', message: string): TesseraError {
  return new TesseraError(ErrorCodes[code], message);
}

export type LengthPrefix = 1 | 2 | 4;

const PREFIX_LIMIT: Record<LengthPrefix, number> = { 1: 0xff, 2: 0xffff, 4: 0xffff_ffff };

export class BinaryWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(value: number): this {
    checkUint(value, 0xff, 'u8');
    this.reserve(1);
    this.buf.writeUInt8(value, this.pos);
    this.pos += 1;
    return this;
  }

  u16(value: number): this {
    checkUint(value, 0xffff, 'u16');
    this.reserve(2);
    this.buf.writeUInt16BE(value, this.pos);
    this.pos += 2;
    return this;
  }

  u32(value: number): this {
    checkUint(value, 0xffff_ffff, 'u32');
    this.reserve(4);
    this.buf.writeUInt32BE(value, this.pos);
    this.pos += 4;
    return this;
  }

  /** u64 big-endian; accepts a bigint or a safe non-negative integer. */
  u64(value: bigint | number): this {
    const v = typeof value === 'bigint' ? value : BigInt(checkSafeUint(value));
    if (v < 0n || v > U64_MAX) throw codecError('CODEC_VALUE_OUT_OF_RANGE', 'u64 out of range');
    this.reserve(8);
    this.buf.writeBigUInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }

  /** Bytes of an exact, agreed length (no prefix). */
  fixed(bytes: Uint8Array, length: number): this {
    if (bytes.length !== length) {
      throw codecError('CODEC_VALUE_OUT_OF_RANGE', `fixed field must be ${length} bytes`);
    }
    return this.raw(bytes);
  }

  /** Bytes with a big-endian length prefix of `prefix` bytes, at most `max` long. */
  bytes(bytes: Uint8Array, prefix: LengthPrefix, max: number = PREFIX_LIMIT[prefix]): this {
    const limit = Math.min(max, PREFIX_LIMIT[prefix]);
    if (bytes.length > limit) throw codecError('CODEC_FIELD_TOO_LONG', `field longer than ${limit} bytes`);
    if (prefix === 1) this.u8(bytes.length);
    else if (prefix === 2) this.u16(bytes.length);
    else this.u32(bytes.length);
    return this.raw(bytes);
  }

  /** UTF-8 string with a length prefix; `max` counts bytes. */
  string(value: string, prefix: LengthPrefix, max?: number): this {
    return this.bytes(Buffer.from(value, 'utf8'), prefix, max);
  }

  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  get length(): number {
    return this.pos;
  }

  /** A copy of the bytes written so far. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

export class BinaryReader {
  private pos = 0;
  private readonly view: Buffer;

  constructor(bytes: Uint8Array) {
    this.view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.view.length) throw codecError('CODEC_TRUNCATED', 'input truncated');
  }

  u8(): number {
    this.need(1);
    const v = this.view.readUInt8(this.pos);
    this.pos += 1;
    return v;
  }

  u16(): number {
    this.need(2);
    const v = this.view.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A u64 that must fit a JavaScript safe integer (lengths, counters, timestamps). */
  u64Number(): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw codecError('CODEC_VALUE_OUT_OF_RANGE', 'u64 exceeds safe integer');
    return Number(v);
  }

  /** A view (not a copy) of the next `length` bytes. */
  fixed(length: number): Buffer {
    this.need(length);
    const v = this.view.subarray(this.pos, this.pos + length);
    this.pos += length;
    return v;
  }

  bytes(prefix: LengthPrefix, max: number = PREFIX_LIMIT[prefix]): Buffer {
    const len = prefix === 1 ? this.u8() : prefix === 2 ? this.u16() : this.u32();
    if (len > max) throw codecError('CODEC_FIELD_TOO_LONG', `field longer than ${max} bytes`);
    return this.fixed(len);
  }

  string(prefix: LengthPrefix, max?: number): string {
    const bytes = this.bytes(prefix, max);
    const text = bytes.toString('utf8');
    // Reject invalid UTF-8: the decoder would otherwise substitute U+FFFD and
    // two different byte strings would decode to the same value.
    if (!Buffer.from(text, 'utf8').equals(bytes)) throw codecError('CODEC_VALUE_OUT_OF_RANGE', 'invalid utf-8');
    return text;
  }

  /** Checks an exact magic value at the current position. */
  expectMagic(magic: Uint8Array): void {
    const got = this.fixed(magic.length);
    if (!got.equals(magic)) throw codecError('CODEC_BAD_MAGIC', 'bad magic');
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.view.length - this.pos;
  }

  /** The rest of the input as a view. */
  rest(): Buffer {
    const v = this.view.subarray(this.pos);
    this.pos = this.view.length;
    return v;
  }

  /** Declares the input fully consumed; trailing bytes are an error. */
  end(): void {
    if (this.pos !== this.view.length) throw codecError('CODEC_TRAILING_BYTES', 'trailing bytes after value');
  }
}

function checkUint(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw codecError('CODEC_VALUE_OUT_OF_RANGE', `${what} out of range`);
  }
}

function checkSafeUint(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw codecError('CODEC_VALUE_OUT_OF_RANGE', 'u64 out of range');
  return value;
}
