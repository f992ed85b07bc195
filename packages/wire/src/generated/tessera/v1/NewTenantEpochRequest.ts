// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Starts a new tenant epoch.
 */
export interface NewTenantEpochRequest {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant'?: (string);
  /**
   * The tenant epoch the caller saw (compare-and-set, as for RotateKek); 0
   * means "whatever is current".
   */
  'expectedEpoch'?: (number | string | Long);
}

/**
 * Starts a new tenant epoch.
 */
export interface NewTenantEpochRequest__Output {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant': (string);
  /**
   * The tenant epoch the caller saw (compare-and-set, as for RotateKek); 0
   * means "whatever is current".
   */
  'expectedEpoch': (string);
}
