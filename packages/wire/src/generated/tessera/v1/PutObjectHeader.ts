// Original file: proto/tessera/v1/data.proto

import type { ObjectRef as _tessera_v1_ObjectRef, ObjectRef__Output as _tessera_v1_ObjectRef__Output } from '../../tessera/v1/ObjectRef.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Describes the object being written.
 */
export interface PutObjectHeader {
  /**
   * Object to write (a new version replaces the current one).
   */
  'ref'?: (_tessera_v1_ObjectRef | null);
  /**
   * User attributes stored (encrypted) with this version.
   */
  'attributes'?: ({[key: string]: string});
  /**
   * Total size in bytes when known in advance; 0 when unknown.
   */
  'sizeHint'?: (number | string | Long);
  /**
   * Client session id (from the client's Raft session), for exactly-once retries.
   */
  'clientId'?: (string);
  /**
   * Sequence number of this request within the client session.
   */
  'seq'?: (number | string | Long);
}

/**
 * Describes the object being written.
 */
export interface PutObjectHeader__Output {
  /**
   * Object to write (a new version replaces the current one).
   */
  'ref': (_tessera_v1_ObjectRef__Output | null);
  /**
   * User attributes stored (encrypted) with this version.
   */
  'attributes': ({[key: string]: string});
  /**
   * Total size in bytes when known in advance; 0 when unknown.
   */
  'sizeHint': (string);
  /**
   * Client session id (from the client's Raft session), for exactly-once retries.
   */
  'clientId': (string);
  /**
   * Sequence number of this request within the client session.
   */
  'seq': (string);
}
