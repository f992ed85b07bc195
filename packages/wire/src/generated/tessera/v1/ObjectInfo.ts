// Original file: proto/tessera/v1/common.proto

import type { ObjectRef as _tessera_v1_ObjectRef, ObjectRef__Output as _tessera_v1_ObjectRef__Output } from '../../tessera/v1/ObjectRef.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Metadata of one stored object version, as returned by Stat, List and Put.
 */
export interface ObjectInfo {
  /**
   * The object this describes.
   */
  'ref'?: (_tessera_v1_ObjectRef | null);
  /**
   * Logical size in bytes (before encryption and erasure coding).
   */
  'size'?: (number | string | Long);
  /**
   * Commit time of this version (leader timestamp, ms since the epoch).
   */
  'modifiedMs'?: (number | string | Long);
  /**
   * Opaque version tag, changes with every write of the object.
   */
  'etag'?: (string);
  /**
   * User attributes; keys at most 128 bytes, values at most 1024 bytes.
   */
  'attributes'?: ({[key: string]: string});
}

/**
 * Metadata of one stored object version, as returned by Stat, List and Put.
 */
export interface ObjectInfo__Output {
  /**
   * The object this describes.
   */
  'ref': (_tessera_v1_ObjectRef__Output | null);
  /**
   * Logical size in bytes (before encryption and erasure coding).
   */
  'size': (string);
  /**
   * Commit time of this version (leader timestamp, ms since the epoch).
   */
  'modifiedMs': (string);
  /**
   * Opaque version tag, changes with every write of the object.
   */
  'etag': (string);
  /**
   * User attributes; keys at most 128 bytes, values at most 1024 bytes.
   */
  'attributes': ({[key: string]: string});
}
