// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The member was added (the change is committed).
 */
export interface AddMemberResponse {
  /**
   * Log index at which the configuration change committed.
   */
  'index'?: (number | string | Long);
}

/**
 * The member was added (the change is committed).
 */
export interface AddMemberResponse__Output {
  /**
   * Log index at which the configuration change committed.
   */
  'index': (string);
}
