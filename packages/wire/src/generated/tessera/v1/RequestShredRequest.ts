// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Asks for a shred.
 */
export interface RequestShredRequest {
  /**
   * Tenant to shred.
   */
  'tenant'?: (string);
  /**
   * Delay before execution, in seconds (default 24 h when 0).
   */
  'delayS'?: (number | string | Long);
}

/**
 * Asks for a shred.
 */
export interface RequestShredRequest__Output {
  /**
   * Tenant to shred.
   */
  'tenant': (string);
  /**
   * Delay before execution, in seconds (default 24 h when 0).
   */
  'delayS': (string);
}
