// Original file: proto/tessera/v1/data.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A new client session.
 */
export interface OpenDataSessionResponse {
  /**
   * Client id to put in every DataSession of this session.
   */
  'clientId'?: (number | string | Long);
}

/**
 * A new client session.
 */
export interface OpenDataSessionResponse__Output {
  /**
   * Client id to put in every DataSession of this session.
   */
  'clientId': (string);
}
