/**
 * InstallSnapshot framing: one header (the envelope without its message, and
 * the encoded message's total size), data frames of at most FRAME_BYTES (far
 * below the 4 MiB message limit), one trailer with the CRC32C of all data.
 * The assembler accepts exactly that sequence within a size bound, and
 * nothing else.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { crc32c } from '@tessera/raft';
import { FRAME_BYTES, type RaftEnvelope as WireEnvelopeInput, type SnapshotFrame, type SnapshotFrame__Output } from '@tessera/wire';
import type { WireEnvelope } from './envelope.js';

/** The frames that carry `encoded` (an encoded snap message) under `envelope`. */
export function* snapshotFrames(envelope: WireEnvelopeInput, encoded: Buffer, frameBytes: number = FRAME_BYTES): Generator<SnapshotFrame> {
  yield { header: { envelope: { ...envelope, message: Buffer.alloc(0) }, totalBytes: String(encoded.byteLength) } };
  for (let at = 0; at < encoded.byteLength; at += frameBytes) yield { data: encoded.subarray(at, Math.min(encoded.byteLength, at + frameBytes)) };
  yield { trailer: { crc32c: crc32c(encoded) } };
}

export interface AssembledSnapshot {
  readonly envelope: WireEnvelope;
  readonly message: Buffer;
}

function protocolError(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, `snapshot transfer: ${message}`);
}

export class SnapshotAssembler {
  private envelope: WireEnvelope | undefined;
  private total = 0;
  private received = 0;
  private parts: Buffer[] = [];
  private done = false;

  constructor(
    private readonly maxBytes: number,
    private readonly frameBytes: number = FRAME_BYTES,
  ) {}

  /** Takes the next frame; returns the whole message after the trailer. Throws INVALID_ARGUMENT on any protocol violation. */
  push(frame: SnapshotFrame__Output): AssembledSnapshot | undefined {
    if (this.done) throw protocolError('frame after the trailer');
    if (frame.kind === 'header') {
      if (this.envelope !== undefined) throw protocolError('second header');
      const header = frame.header;
      if (header?.envelope === null || header?.envelope === undefined) throw protocolError('header without envelope');
      if (!/^(0|[1-9][0-9]{0,15})$/.test(header.totalBytes)) throw protocolError('bad size');
      const total = Number(header.totalBytes);
      if (total > this.maxBytes) throw protocolError('snapshot larger than this node accepts');
      this.envelope = header.envelope;
      this.total = total;
      return undefined;
    }
    if (this.envelope === undefined) throw protocolError('data before the header');
    if (frame.kind === 'data') {
      const data = frame.data ?? Buffer.alloc(0);
      if (data.byteLength === 0 || data.byteLength > this.frameBytes) throw protocolError('bad frame size');
      if (this.received + data.byteLength > this.total) throw protocolError('more data than announced');
      this.parts.push(data);
      this.received += data.byteLength;
      return undefined;
    }
    if (frame.kind === 'trailer') {
      if (this.received !== this.total) throw protocolError('less data than announced');
      const message = Buffer.concat(this.parts, this.total);
      this.parts = [];
      this.done = true;
      if (crc32c(message) !== (frame.trailer?.crc32c ?? -1)) throw new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'snapshot transfer: checksum mismatch');
      return { envelope: this.envelope, message };
    }
    throw protocolError('empty frame');
  }

  get complete(): boolean {
    return this.done;
  }
}
