// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Asks for a system master key.
 */
export interface GetMasterKeyRequest {
  /**
   * System epoch; 0 means the current one.
   */
  'epoch'?: (number | string | Long);
}

/**
 * Asks for a system master key.
 */
export interface GetMasterKeyRequest__Output {
  /**
   * System epoch; 0 means the current one.
   */
  'epoch': (string);
}
