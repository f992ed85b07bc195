/**
 * Shard keys and PutShard headers between their wire form (proto-loader
 * objects: Buffers, u64 as decimal strings) and the storage types. Every
 * field a peer sends is checked here, before any payload byte is buffered.
 */
import { CHUNK_ID_BYTES, ErrorCodes, TesseraError } from '@tessera/common';
import { DEVICE_ID_PATTERN, WRITE_ID_BYTES, type ShardKey } from '@tessera/storage';
import { u64Number, u64String, type PutShardHeader, type PutShardHeader__Output, type ShardKey as WireShardKey, type ShardKey__Output } from '@tessera/wire';
import { FABRIC_LIMITS } from './limits.js';

const U32_MAX = 0xffff_ffff;

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

export function shardKeyFromWire(key: ShardKey__Output | null | undefined): ShardKey {
  if (key === null || key === undefined) throw invalid('shard key missing');
  if (key.chunkId.length !== CHUNK_ID_BYTES) throw invalid(`chunk id must be ${CHUNK_ID_BYTES} bytes`);
  if (key.writeId.length !== WRITE_ID_BYTES) throw invalid(`write id must be ${WRITE_ID_BYTES} bytes`);
  if (!Number.isInteger(key.shardIndex) || key.shardIndex < 0 || key.shardIndex > FABRIC_LIMITS.maxShardIndex) {
    throw invalid(`shard index must be 0..${FABRIC_LIMITS.maxShardIndex}`);
  }
  return { chunkId: Buffer.from(key.chunkId), writeId: Buffer.from(key.writeId), shardIndex: key.shardIndex };
}

export function shardKeyToWire(key: ShardKey): WireShardKey {
  return { chunkId: key.chunkId, writeId: key.writeId, shardIndex: key.shardIndex };
}

export function checkDeviceId(deviceId: string): string {
  if (!DEVICE_ID_PATTERN.test(deviceId)) throw invalid('device id is malformed');
  return deviceId;
}

/** A checked PutShard header. */
export interface PutShardHead {
  readonly key: ShardKey;
  readonly deviceId: string;
  readonly sysEpoch: number;
  readonly gatewayTime: number;
  readonly length: number;
  readonly crc32c: number;
}

export function putHeadFromWire(header: PutShardHeader__Output | null | undefined, maxShardBytes: number): PutShardHead {
  if (header === null || header === undefined) throw invalid('header frame carries no header');
  const key = shardKeyFromWire(header.key);
  const deviceId = checkDeviceId(header.deviceId);
  const sysEpoch = u64Number(header.sysEpoch);
  if (sysEpoch > U32_MAX) throw invalid('sys epoch must be a u32');
  const gatewayTime = u64Number(header.gatewayTimeMs);
  const length = u64Number(header.length);
  if (length > maxShardBytes) throw invalid(`shard longer than ${maxShardBytes} bytes`);
  if (!Number.isInteger(header.crc32c) || header.crc32c < 0 || header.crc32c > U32_MAX) throw invalid('crc32c must be a u32');
  return { key, deviceId, sysEpoch, gatewayTime, length, crc32c: header.crc32c };
}

export function putHeadToWire(head: PutShardHead): PutShardHeader {
  return {
    key: shardKeyToWire(head.key),
    deviceId: head.deviceId,
    sysEpoch: u64String(head.sysEpoch),
    gatewayTimeMs: u64String(head.gatewayTime),
    length: u64String(head.length),
    crc32c: head.crc32c,
  };
}

/** Consecutive views of at most `frameBytes` bytes covering `payload` (none for an empty payload). */
export function* frameSlices(payload: Uint8Array, frameBytes: number = FABRIC_LIMITS.frameBytes): Generator<Uint8Array> {
  for (let at = 0; at < payload.length; at += frameBytes) yield payload.subarray(at, Math.min(payload.length, at + frameBytes));
}
