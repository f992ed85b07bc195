/**
 * PutShard over the bulk port (ADR 0026): the same header, checks, store
 * write and receipt as Fabric.PutShard, with the payload as raw bytes after
 * the header instead of 1 MiB gRPC messages. The header and the receipt are
 * the protobuf messages of the gRPC method (`PutShardFrame` with its header
 * set, `PutShardReceipt`), so both paths validate exactly alike
 * (`putHeadFromWire`). Node principals only, as on the peer port.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { crc32c } from '@tessera/erasure';
import type { ShardStore } from '@tessera/storage';
import type { BulkHandler } from '@tessera/transport';
import {
  putShardCodec,
  u64Number,
  u64String,
  type PutShardFrame__Output,
  type PutShardHeader,
} from '@tessera/wire';
import { FABRIC_LIMITS } from './limits.js';
import { putHeadFromWire } from './wire-shard.js';

/** The bulk request kind of a shard write. */
export const BULK_PUT_SHARD = 1;


function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

/** The request header of a bulk shard write. */
export function encodeBulkShardHeader(header: PutShardHeader): Buffer {
  return putShardCodec().requestSerialize({ header });
}

/** The stored record's offset from a bulk shard write's answer. */
export function decodeBulkShardReceipt(body: Buffer): number {
  try {
    const receipt = putShardCodec().responseDeserialize(body);
    return u64Number(receipt.offset);
  } catch {
    throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'malformed shard receipt');
  }
}

/** The bulk port's handler of shard writes on this node's devices. */
export function bulkShardHandler(store: ShardStore, maxShardBytes: number = FABRIC_LIMITS.maxShardBytes): BulkHandler {
  return {
    name: 'put_shard',
    allow: ['node'],
    maxPayloadBytes: maxShardBytes,
    async handle({ header, payload }) {
      let frame: PutShardFrame__Output;
      try {
        frame = putShardCodec().requestDeserialize(header);
      } catch {
        throw invalid('malformed shard header');
      }
      if (frame.kind !== 'header') throw invalid('the request carries no shard header');
      const head = putHeadFromWire(frame.header, maxShardBytes);
      if (payload.length !== head.length) throw invalid('payload length does not match the header');
      store.device(head.deviceId);
      if (crc32c(payload) !== head.crc32c) throw new TesseraError(ErrorCodes.CHECKSUM_MISMATCH, 'shard payload does not match its CRC-32C');
      const location = await store.putShard(head.deviceId, { ...head.key, payload, sysEpoch: head.sysEpoch, gatewayTime: head.gatewayTime, purpose: 'new' });
      return putShardCodec().responseSerialize({ offset: u64String(location.offset) });
    },
  };
}
