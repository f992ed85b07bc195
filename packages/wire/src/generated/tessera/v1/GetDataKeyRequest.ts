// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Asks for a tenant data key.
 */
export interface GetDataKeyRequest {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
  /**
   * Tenant epoch; 0 means the current one.
   */
  'tenantEpoch'?: (number | string | Long);
}

/**
 * Asks for a tenant data key.
 */
export interface GetDataKeyRequest__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
  /**
   * Tenant epoch; 0 means the current one.
   */
  'tenantEpoch': (string);
}
