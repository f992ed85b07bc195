// Original file: proto/tessera/v1/fabric.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Describes the shard being returned.
 */
export interface GetShardHeader {
  /**
   * Total payload length of the stored record.
   */
  'length'?: (number | string | Long);
  /**
   * CRC32C of the whole stored payload, as recorded when it was written.
   */
  'crc32c'?: (number);
  /**
   * System epoch the chunk was sealed under.
   */
  'sysEpoch'?: (number | string | Long);
}

/**
 * Describes the shard being returned.
 */
export interface GetShardHeader__Output {
  /**
   * Total payload length of the stored record.
   */
  'length': (string);
  /**
   * CRC32C of the whole stored payload, as recorded when it was written.
   */
  'crc32c': (number);
  /**
   * System epoch the chunk was sealed under.
   */
  'sysEpoch': (string);
}
