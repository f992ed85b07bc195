// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Subscribes to key events.
 */
export interface WatchRequest {
  /**
   * Reserved for resuming; every stream starts with the full tenant table
   * and the current system epoch, then a `synced` event, then live events.
   */
  'fromRevision'?: (number | string | Long);
}

/**
 * Subscribes to key events.
 */
export interface WatchRequest__Output {
  /**
   * Reserved for resuming; every stream starts with the full tenant table
   * and the current system epoch, then a `synced` event, then live events.
   */
  'fromRevision': (string);
}
