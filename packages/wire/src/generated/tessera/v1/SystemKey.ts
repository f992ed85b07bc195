// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One system master key.
 */
export interface SystemKey {
  /**
   * System epoch.
   */
  'epoch'?: (number | string | Long);
  /**
   * SECRET: the 32-byte master key of that epoch.
   */
  'key'?: (Buffer | Uint8Array | string);
}

/**
 * One system master key.
 */
export interface SystemKey__Output {
  /**
   * System epoch.
   */
  'epoch': (string);
  /**
   * SECRET: the 32-byte master key of that epoch.
   */
  'key': (Buffer);
}
