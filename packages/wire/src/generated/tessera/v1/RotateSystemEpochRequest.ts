// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Rotates the system epoch.
 */
export interface RotateSystemEpochRequest {
  /**
   * The system epoch the caller saw (compare-and-set); 0 means "whatever is current".
   */
  'expectedEpoch'?: (number | string | Long);
}

/**
 * Rotates the system epoch.
 */
export interface RotateSystemEpochRequest__Output {
  /**
   * The system epoch the caller saw (compare-and-set); 0 means "whatever is current".
   */
  'expectedEpoch': (string);
}
