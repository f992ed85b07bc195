// Original file: proto/tessera/v1/data.proto

import type { ObjectInfo as _tessera_v1_ObjectInfo, ObjectInfo__Output as _tessera_v1_ObjectInfo__Output } from '../../tessera/v1/ObjectInfo.js';

/**
 * One page of object metadata, sorted by name.
 */
export interface ListObjectsResponse {
  /**
   * Objects of this page.
   */
  'objects'?: (_tessera_v1_ObjectInfo)[];
  /**
   * Token for the next page; empty on the last page.
   */
  'nextPageToken'?: (string);
}

/**
 * One page of object metadata, sorted by name.
 */
export interface ListObjectsResponse__Output {
  /**
   * Objects of this page.
   */
  'objects': (_tessera_v1_ObjectInfo__Output)[];
  /**
   * Token for the next page; empty on the last page.
   */
  'nextPageToken': (string);
}
