// Original file: proto/tessera/v1/data.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An object version's metadata.
 */
export interface ObjectMeta {
  /**
   * Object name.
   */
  'name'?: (string);
  /**
   * Size in bytes.
   */
  'size'?: (number | string | Long);
  /**
   * Leader timestamp of the commit (ms since the epoch).
   */
  'modifiedMs'?: (number | string | Long);
  /**
   * Identifies this version (hex of its delta id).
   */
  'etag'?: (string);
  /**
   * User attributes (empty in listings).
   */
  'attributes'?: ({[key: string]: string});
  /**
   * Number of chunks (0 for inline objects).
   */
  'chunks'?: (number);
}

/**
 * An object version's metadata.
 */
export interface ObjectMeta__Output {
  /**
   * Object name.
   */
  'name': (string);
  /**
   * Size in bytes.
   */
  'size': (string);
  /**
   * Leader timestamp of the commit (ms since the epoch).
   */
  'modifiedMs': (string);
  /**
   * Identifies this version (hex of its delta id).
   */
  'etag': (string);
  /**
   * User attributes (empty in listings).
   */
  'attributes': ({[key: string]: string});
  /**
   * Number of chunks (0 for inline objects).
   */
  'chunks': (number);
}
