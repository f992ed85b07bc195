// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The system epoch after a rotation.
 */
export interface SystemEpoch {
  /**
   * Epoch new chunk writes use.
   */
  'epoch'?: (number | string | Long);
}

/**
 * The system epoch after a rotation.
 */
export interface SystemEpoch__Output {
  /**
   * Epoch new chunk writes use.
   */
  'epoch': (string);
}
