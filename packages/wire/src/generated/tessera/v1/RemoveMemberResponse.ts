// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The member was removed (the change is committed).
 */
export interface RemoveMemberResponse {
  /**
   * Log index at which the configuration change committed.
   */
  'index'?: (number | string | Long);
}

/**
 * The member was removed (the change is committed).
 */
export interface RemoveMemberResponse__Output {
  /**
   * Log index at which the configuration change committed.
   */
  'index': (string);
}
