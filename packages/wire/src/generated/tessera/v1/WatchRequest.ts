// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Subscribes to key events.
 */
export interface WatchRequest {
  /**
   * First revision wanted; 0 starts with a full tenant table snapshot.
   */
  'fromRevision'?: (number | string | Long);
}

/**
 * Subscribes to key events.
 */
export interface WatchRequest__Output {
  /**
   * First revision wanted; 0 starts with a full tenant table snapshot.
   */
  'fromRevision': (string);
}
