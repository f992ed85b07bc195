// Original file: proto/tessera/v1/kv.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A new session.
 */
export interface KvOpenSessionResponse {
  /**
   * The session's client id.
   */
  'clientId'?: (number | string | Long);
}

/**
 * A new session.
 */
export interface KvOpenSessionResponse__Output {
  /**
   * The session's client id.
   */
  'clientId': (string);
}
