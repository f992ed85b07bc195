// Original file: proto/tessera/v1/kv.proto

import type { KvPair as _tessera_v1_KvPair, KvPair__Output as _tessera_v1_KvPair__Output } from '../../tessera/v1/KvPair.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Keys in range, in byte order.
 */
export interface KvScanResponse {
  /**
   * The pairs found, at most `limit`.
   */
  'pairs'?: (_tessera_v1_KvPair)[];
  /**
   * True when more keys lie in the range (continue from the last key + 0x00).
   */
  'more'?: (boolean);
  /**
   * Read index the answer is consistent with.
   */
  'readIndex'?: (number | string | Long);
  /**
   * Applied index of the answering node when it read.
   */
  'appliedIndex'?: (number | string | Long);
}

/**
 * Keys in range, in byte order.
 */
export interface KvScanResponse__Output {
  /**
   * The pairs found, at most `limit`.
   */
  'pairs': (_tessera_v1_KvPair__Output)[];
  /**
   * True when more keys lie in the range (continue from the last key + 0x00).
   */
  'more': (boolean);
  /**
   * Read index the answer is consistent with.
   */
  'readIndex': (string);
  /**
   * Applied index of the answering node when it read.
   */
  'appliedIndex': (string);
}
