// Original file: proto/tessera/v1/keys.proto

import type { SystemKey as _tessera_v1_SystemKey, SystemKey__Output as _tessera_v1_SystemKey__Output } from '../../tessera/v1/SystemKey.js';
import type { Long } from '@grpc/proto-loader';

/**
 * System keys for a node.
 */
export interface SystemKeys {
  /**
   * Master keys, ascending by epoch.
   */
  'keys'?: (_tessera_v1_SystemKey)[];
  /**
   * Epoch that new chunk writes use.
   */
  'currentEpoch'?: (number | string | Long);
  /**
   * SECRET: the 32-byte cluster dedup key (never rotated).
   */
  'dedupKey'?: (Buffer | Uint8Array | string);
  /**
   * Lowest epoch nodes may still decrypt with (SetMinDecryptEpoch).
   */
  'minDecryptEpoch'?: (number | string | Long);
  /**
   * How long the node may keep these keys, from fetch (ms).
   */
  'ttlMs'?: (number | string | Long);
}

/**
 * System keys for a node.
 */
export interface SystemKeys__Output {
  /**
   * Master keys, ascending by epoch.
   */
  'keys': (_tessera_v1_SystemKey__Output)[];
  /**
   * Epoch that new chunk writes use.
   */
  'currentEpoch': (string);
  /**
   * SECRET: the 32-byte cluster dedup key (never rotated).
   */
  'dedupKey': (Buffer);
  /**
   * Lowest epoch nodes may still decrypt with (SetMinDecryptEpoch).
   */
  'minDecryptEpoch': (string);
  /**
   * How long the node may keep these keys, from fetch (ms).
   */
  'ttlMs': (string);
}
