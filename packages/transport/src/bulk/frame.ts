/**
 * The framing of the bulk port (ADR 0026): one request or answer is
 *
 *   magic (4) | kind or status (1) | 3 zero bytes | header length (u32 BE)
 *   | payload length (u32 BE) | header | payload
 *
 * Requests carry magic `TBK1` and a kind (1-255); answers carry `TBA1`, a
 * status (0 ok, 1 error) and no payload. Lengths are checked against the
 * reader's bounds as soon as the 16-byte prefix is in, before any byte of the
 * frame body is buffered, and a payload buffer is allocated once, at the
 * announced (bounded) size. The reader is pure (no I/O): bytes in, frames out.
 */
import { ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';

export const PREFIX_BYTES = 16;
export const REQUEST_MAGIC = 0x54424b31; // 'TBK1'
export const ANSWER_MAGIC = 0x54424131; // 'TBA1'
/** Largest request header (a shard or chunk header is a few hundred bytes). */
export const MAX_REQUEST_HEADER_BYTES = 4096;
/** Largest answer body (a receipt, or an error code and a short message). */
export const MAX_ANSWER_BYTES = 4096;
/** Longest error message an answer carries (the rest is cut). */
const MAX_ERROR_MESSAGE_CHARS = 512;

const NO_RELEASE = (): void => undefined;

export const ANSWER_OK = 0;
export const ANSWER_ERROR = 1;

export interface Frame {
  /** Request kind, or answer status. */
  readonly kind: number;
  readonly header: Buffer;
  readonly payload: Buffer;
  /** Gives a leased payload buffer back (see FrameBounds.leasePayload); the payload must not be used after. */
  readonly release: () => void;
}

/** A payload buffer lent by its owner (a pool), and how to give it back. */
export interface PayloadLease {
  /** Exactly the requested size. */
  readonly bytes: Buffer;
  release(): void;
}

export interface FrameBounds {
  readonly magic: number;
  readonly maxHeaderBytes: number;
  /** Largest payload of a frame of this kind; undefined refuses the kind. */
  readonly maxPayloadBytes: (kind: number) => number | undefined;
  /**
   * Where a payload of this kind and (checked) length is read into, when not
   * a fresh buffer: reused buffers keep large, long-lived payloads out of
   * V8's external-memory accounting (ADR 0025).
   */
  readonly leasePayload?: (kind: number, length: number) => PayloadLease | undefined;
}

function codecError(code: ErrorCode, message: string): TesseraError {
  return new TesseraError(code, message);
}

/** The 16-byte prefix of a frame. */
export function encodePrefix(magic: number, kind: number, headerLength: number, payloadLength: number): Buffer {
  if (!Number.isInteger(kind) || kind < 0 || kind > 255) throw codecError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'frame kind must be 0-255');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.writeUInt32BE(magic, 0);
  prefix.writeUInt8(kind, 4);
  prefix.writeUInt32BE(headerLength, 8);
  prefix.writeUInt32BE(payloadLength, 12);
  return prefix;
}

/** A request's prefix and header in one buffer; the payload is written after it as is (not copied). */
export function encodeRequestHead(kind: number, header: Uint8Array, payloadLength: number): Buffer {
  if (kind < 1) throw codecError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'request kind must be 1-255');
  if (header.length > MAX_REQUEST_HEADER_BYTES) throw codecError(ErrorCodes.CODEC_FIELD_TOO_LONG, 'request header too long');
  return Buffer.concat([encodePrefix(REQUEST_MAGIC, kind, header.length, payloadLength), header]);
}

/** A successful answer carrying `body`. */
export function encodeOkAnswer(body: Uint8Array): Buffer {
  if (body.length > MAX_ANSWER_BYTES) throw codecError(ErrorCodes.CODEC_FIELD_TOO_LONG, 'answer too long');
  return Buffer.concat([encodePrefix(ANSWER_MAGIC, ANSWER_OK, body.length, 0), body]);
}

/** An error answer: the stable code, whether a retry may help, a short message (no internal detail). */
export function encodeErrorAnswer(code: ErrorCode, retriable: boolean, message: string): Buffer {
  const body = Buffer.from(`${code}\n${retriable ? 1 : 0}\n${message.slice(0, MAX_ERROR_MESSAGE_CHARS)}`, 'utf8');
  const bounded = body.length > MAX_ANSWER_BYTES ? body.subarray(0, MAX_ANSWER_BYTES) : body;
  return Buffer.concat([encodePrefix(ANSWER_MAGIC, ANSWER_ERROR, bounded.length, 0), bounded]);
}

function knownCode(code: string): ErrorCode | undefined {
  return Object.hasOwn(ErrorCodes, code) ? (code as ErrorCode) : undefined;
}

/** The error an error answer describes; a malformed body, or a code this build does not know, is INTERNAL. */
export function decodeErrorAnswer(body: Buffer): TesseraError {
  const text = body.toString('utf8');
  const first = text.indexOf('\n');
  const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
  const code = first < 0 ? '' : text.slice(0, first);
  const flag = second < 0 ? '' : text.slice(first + 1, second);
  const known = knownCode(code);
  if (known === undefined || (flag !== '0' && flag !== '1')) return new TesseraError(ErrorCodes.INTERNAL, 'malformed error answer from the bulk port');
  return new TesseraError(known, text.slice(second + 1), { retriable: flag === '1' });
}

/**
 * Incremental frame reader. `push` takes the next bytes as they arrive and
 * returns the frames they complete; it throws a TesseraError (CODEC_*) on the
 * first byte that breaks the framing, after which the connection must close.
 */
export class FrameReader {
  private readonly prefix = Buffer.alloc(PREFIX_BYTES);
  private prefixFilled = 0;
  private kind = 0;
  private header: Buffer | undefined;
  private headerFilled = 0;
  private payload: Buffer | undefined;
  private release: () => void = NO_RELEASE;
  private payloadFilled = 0;
  private broken = false;

  constructor(private readonly bounds: FrameBounds) {}

  /** Whether the reader is between frames (no partial frame buffered). */
  get idle(): boolean {
    return this.prefixFilled === 0;
  }

  push(chunk: Buffer): Frame[] {
    if (this.broken) throw codecError(ErrorCodes.CODEC_BAD_MAGIC, 'bulk stream already broken');
    const frames: Frame[] = [];
    let at = 0;
    try {
      while (at < chunk.length) {
        if (this.prefixFilled < PREFIX_BYTES) {
          const n = Math.min(PREFIX_BYTES - this.prefixFilled, chunk.length - at);
          chunk.copy(this.prefix, this.prefixFilled, at, at + n);
          this.prefixFilled += n;
          at += n;
          if (this.prefixFilled < PREFIX_BYTES) break;
          this.startFrame();
        } else if (this.headerFilled < this.header!.length) {
          const n = Math.min(this.header!.length - this.headerFilled, chunk.length - at);
          chunk.copy(this.header!, this.headerFilled, at, at + n);
          this.headerFilled += n;
          at += n;
        } else {
          const n = Math.min(this.payload!.length - this.payloadFilled, chunk.length - at);
          chunk.copy(this.payload!, this.payloadFilled, at, at + n);
          this.payloadFilled += n;
          at += n;
        }
        const frame = this.completed();
        if (frame !== undefined) frames.push(frame);
      }
      // A frame with an empty header and payload completes with its prefix.
      const frame = this.completed();
      if (frame !== undefined) frames.push(frame);
    } catch (err) {
      this.broken = true;
      throw err;
    }
    return frames;
  }

  private startFrame(): void {
    const p = this.prefix;
    if (p.readUInt32BE(0) !== this.bounds.magic) throw codecError(ErrorCodes.CODEC_BAD_MAGIC, 'not a bulk frame');
    if (p[5] !== 0 || p[6] !== 0 || p[7] !== 0) throw codecError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'reserved bytes must be zero');
    const kind = p.readUInt8(4);
    const headerLength = p.readUInt32BE(8);
    const payloadLength = p.readUInt32BE(12);
    const maxPayload = this.bounds.maxPayloadBytes(kind);
    if (maxPayload === undefined) throw codecError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, `unknown frame kind ${kind}`);
    if (headerLength > this.bounds.maxHeaderBytes) throw codecError(ErrorCodes.CODEC_FIELD_TOO_LONG, 'frame header too long');
    if (payloadLength > maxPayload) throw codecError(ErrorCodes.CODEC_FIELD_TOO_LONG, 'frame payload too long');
    this.kind = kind;
    this.header = Buffer.allocUnsafe(headerLength);
    this.headerFilled = 0;
    const lease = payloadLength > 0 ? this.bounds.leasePayload?.(kind, payloadLength) : undefined;
    this.payload = lease?.bytes ?? Buffer.allocUnsafe(payloadLength);
    this.release = lease === undefined ? NO_RELEASE : () => lease.release();
    this.payloadFilled = 0;
  }

  private completed(): Frame | undefined {
    const { header, payload } = this;
    if (this.prefixFilled < PREFIX_BYTES || header === undefined || payload === undefined) return undefined;
    if (this.headerFilled < header.length || this.payloadFilled < payload.length) return undefined;
    this.prefixFilled = 0;
    this.header = undefined;
    this.payload = undefined;
    const release = this.release;
    this.release = NO_RELEASE;
    return { kind: this.kind, header, payload, release };
  }
}
