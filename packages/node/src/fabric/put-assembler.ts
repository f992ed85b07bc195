/**
 * The receiving half of a PutShard stream, without I/O: frames in, one
 * checked shard write out. The header comes first and fixes the length, so
 * the payload buffer is allocated once, at the announced size (bounded by
 * `maxShardBytes`), and a peer can never make the node buffer more. The
 * CRC-32C runs over the frames as they arrive and is compared at the end.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { crc32c } from '@tessera/erasure';
import type { ShardWrite } from '@tessera/storage';
import type { PutShardFrame__Output } from '@tessera/wire';
import { FABRIC_LIMITS } from './limits.js';
import { putHeadFromWire, type PutShardHead } from './wire-shard.js';

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

export interface AssembledShard {
  readonly deviceId: string;
  readonly write: ShardWrite;
}

export class PutShardAssembler {
  private head: PutShardHead | undefined;
  private payload: Buffer | undefined;
  private received = 0;
  private crc = 0;

  constructor(private readonly maxShardBytes: number = FABRIC_LIMITS.maxShardBytes) {}

  /** The device the header names (undefined before the header). */
  get deviceId(): string | undefined {
    return this.head?.deviceId;
  }

  /** Takes the next frame; throws INVALID_ARGUMENT when the stream breaks the protocol. */
  push(frame: PutShardFrame__Output): void {
    if (frame.kind === 'header') {
      if (this.head !== undefined) throw invalid('second header frame');
      const head = putHeadFromWire(frame.header, this.maxShardBytes);
      this.payload = Buffer.allocUnsafe(head.length);
      this.head = head;
      return;
    }
    if (frame.kind !== 'data') throw invalid('frame is neither header nor data');
    const head = this.head;
    const payload = this.payload;
    if (head === undefined || payload === undefined) throw invalid('data frame before the header');
    const data = frame.data ?? Buffer.alloc(0);
    if (data.length === 0) throw invalid('empty data frame');
    if (data.length > FABRIC_LIMITS.frameBytes) throw invalid(`data frame longer than ${FABRIC_LIMITS.frameBytes} bytes`);
    if (this.received + data.length > head.length) throw invalid('more data than the header announced');
    payload.set(data, this.received);
    this.received += data.length;
    this.crc = crc32c(data, this.crc);
  }

  /** After the last frame: the write to hand to the store, once length and CRC-32C match the header. */
  finish(): AssembledShard {
    const head = this.head;
    const payload = this.payload;
    if (head === undefined || payload === undefined) throw invalid('stream ended without a header');
    if (this.received !== head.length) throw invalid('less data than the header announced');
    if (this.crc !== head.crc32c) throw new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'shard payload does not match its CRC-32C');
    return {
      deviceId: head.deviceId,
      write: { ...head.key, payload, sysEpoch: head.sysEpoch, gatewayTime: head.gatewayTime, purpose: 'new' },
    };
  }
}
