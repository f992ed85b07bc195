// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Asks for system keys.
 */
export interface GetSystemKeysRequest {
  /**
   * Lowest system epoch wanted; 0 means every epoch still decryptable.
   */
  'fromEpoch'?: (number | string | Long);
}

/**
 * Asks for system keys.
 */
export interface GetSystemKeysRequest__Output {
  /**
   * Lowest system epoch wanted; 0 means every epoch still decryptable.
   */
  'fromEpoch': (string);
}
