// Original file: proto/tessera/v1/data.proto

import type { ObjectRef as _tessera_v1_ObjectRef, ObjectRef__Output as _tessera_v1_ObjectRef__Output } from '../../tessera/v1/ObjectRef.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request to delete an object.
 */
export interface DeleteObjectRequest {
  /**
   * Object to delete.
   */
  'ref'?: (_tessera_v1_ObjectRef | null);
  /**
   * Client session id, for exactly-once retries.
   */
  'clientId'?: (string);
  /**
   * Sequence number of this request within the client session.
   */
  'seq'?: (number | string | Long);
}

/**
 * Request to delete an object.
 */
export interface DeleteObjectRequest__Output {
  /**
   * Object to delete.
   */
  'ref': (_tessera_v1_ObjectRef__Output | null);
  /**
   * Client session id, for exactly-once retries.
   */
  'clientId': (string);
  /**
   * Sequence number of this request within the client session.
   */
  'seq': (string);
}
