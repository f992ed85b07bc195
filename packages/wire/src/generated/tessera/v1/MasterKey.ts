// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One system master key.
 */
export interface MasterKey {
  /**
   * System epoch of this key.
   */
  'epoch'?: (number | string | Long);
  /**
   * SECRET: the 32-byte master key of that epoch.
   */
  'key'?: (Buffer | Uint8Array | string);
  /**
   * Epoch that new chunk writes use.
   */
  'currentEpoch'?: (number | string | Long);
  /**
   * How long the node may keep it, from fetch (ms).
   */
  'ttlMs'?: (number | string | Long);
}

/**
 * One system master key.
 */
export interface MasterKey__Output {
  /**
   * System epoch of this key.
   */
  'epoch': (string);
  /**
   * SECRET: the 32-byte master key of that epoch.
   */
  'key': (Buffer);
  /**
   * Epoch that new chunk writes use.
   */
  'currentEpoch': (string);
  /**
   * How long the node may keep it, from fetch (ms).
   */
  'ttlMs': (string);
}
