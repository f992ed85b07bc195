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
   * Delay before execution, in milliseconds once scheduled.
   */
  'delayMs'?: (number | string | Long);
  /**
   * True to use the default delay (24 h) instead of `delay_ms`.
   */
  'defaultDelay'?: (boolean);
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
   * Delay before execution, in milliseconds once scheduled.
   */
  'delayMs': (string);
  /**
   * True to use the default delay (24 h) instead of `delay_ms`.
   */
  'defaultDelay': (boolean);
}
