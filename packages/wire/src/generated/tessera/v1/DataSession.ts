// Original file: proto/tessera/v1/data.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Session part of a write (see OpenSession).
 */
export interface DataSession {
  /**
   * Client id handed out by OpenSession.
   */
  'clientId'?: (number | string | Long);
  /**
   * Request number, positive and unique per request of this client; a retry reuses it.
   */
  'seq'?: (number | string | Long);
  /**
   * The client holds the replies of every seq up to this one.
   */
  'ackedThrough'?: (number | string | Long);
}

/**
 * Session part of a write (see OpenSession).
 */
export interface DataSession__Output {
  /**
   * Client id handed out by OpenSession.
   */
  'clientId': (string);
  /**
   * Request number, positive and unique per request of this client; a retry reuses it.
   */
  'seq': (string);
  /**
   * The client holds the replies of every seq up to this one.
   */
  'ackedThrough': (string);
}
