/**
 * The receiving half of a GetShard stream (the reading node), without I/O.
 * The header announces the stored payload's length and CRC-32C; the
 * assembler works out how many bytes the requested range must bring,
 * allocates them once (bounded), refuses anything beyond, and — when the
 * whole payload was asked for — checks the CRC-32C before handing a byte
 * back. A range read cannot be checked against the whole-payload CRC; the
 * sender verified the record before streaming it.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { crc32c } from '@tessera/erasure';
import { u64Number, type GetShardFrame__Output } from '@tessera/wire';
import { FABRIC_LIMITS } from './limits.js';

/** Part of a shard; length 0 (or absent) means to the end. */
export interface ShardRange {
  readonly offset: number;
  readonly length?: number;
}

export interface ShardHead {
  readonly length: number;
  readonly crc32c: number;
  readonly sysEpoch: number;
}

/** The peer answered with something other than what the protocol promises: read the shard elsewhere. */
function broken(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, message);
}

/** Where [offset, offset + length) lies in a payload of `total` bytes; INVALID_ARGUMENT when it does not fit. */
export function resolveRange(range: ShardRange | undefined, total: number): { readonly offset: number; readonly length: number } {
  const offset = range?.offset ?? 0;
  const asked = range?.length ?? 0;
  if (offset > total) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'range starts beyond the end of the shard');
  const length = asked === 0 ? total - offset : asked;
  if (offset + length > total) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'range ends beyond the end of the shard');
  return { offset, length };
}

export class GetShardAssembler {
  private headValue: ShardHead | undefined;
  private payload: Buffer | undefined;
  private received = 0;

  constructor(
    private readonly range: ShardRange | undefined,
    private readonly maxShardBytes: number = FABRIC_LIMITS.maxShardBytes,
  ) {}

  get head(): ShardHead | undefined {
    return this.headValue;
  }

  push(frame: GetShardFrame__Output): void {
    if (frame.kind === 'header') {
      if (this.headValue !== undefined || frame.header === null || frame.header === undefined) throw broken('unexpected shard header');
      const length = u64Number(frame.header.length);
      if (length > this.maxShardBytes) throw broken('shard longer than this node accepts');
      const head: ShardHead = { length, crc32c: frame.header.crc32c, sysEpoch: u64Number(frame.header.sysEpoch) };
      const wanted = resolveRange(this.range, head.length);
      this.payload = Buffer.allocUnsafe(wanted.length);
      this.headValue = head;
      return;
    }
    const payload = this.payload;
    if (frame.kind !== 'data' || payload === undefined) throw broken('shard data without a header');
    const data = frame.data ?? Buffer.alloc(0);
    if (data.length > FABRIC_LIMITS.frameBytes) throw broken('shard frame too long');
    if (this.received + data.length > payload.length) throw broken('more shard data than announced');
    payload.set(data, this.received);
    this.received += data.length;
  }

  /** The requested bytes, once all arrived (and, for the whole payload, matched the CRC-32C). */
  finish(): Buffer {
    const head = this.headValue;
    const payload = this.payload;
    if (head === undefined || payload === undefined) throw broken('shard stream ended without a header');
    if (this.received !== payload.length) throw broken('shard stream ended early');
    const whole = payload.length === head.length;
    if (whole && crc32c(payload) !== head.crc32c) throw broken('shard payload does not match its CRC-32C');
    return payload;
  }
}
