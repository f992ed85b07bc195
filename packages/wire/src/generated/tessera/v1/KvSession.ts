// Original file: proto/tessera/v1/kv.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The session part of every write.
 */
export interface KvSession {
  /**
   * Client id handed out by OpenSession.
   */
  'clientId'?: (number | string | Long);
  /**
   * Request number, positive and unique per request of this client; a retry
   * reuses it.
   */
  'seq'?: (number | string | Long);
  /**
   * The client holds the replies of every seq up to this one (below seq).
   */
  'ackedThrough'?: (number | string | Long);
}

/**
 * The session part of every write.
 */
export interface KvSession__Output {
  /**
   * Client id handed out by OpenSession.
   */
  'clientId': (string);
  /**
   * Request number, positive and unique per request of this client; a retry
   * reuses it.
   */
  'seq': (string);
  /**
   * The client holds the replies of every seq up to this one (below seq).
   */
  'ackedThrough': (string);
}
