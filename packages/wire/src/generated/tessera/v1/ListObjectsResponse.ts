// Original file: proto/tessera/v1/data.proto

import type { ObjectMeta as _tessera_v1_ObjectMeta, ObjectMeta__Output as _tessera_v1_ObjectMeta__Output } from '../../tessera/v1/ObjectMeta.js';

/**
 * One page of object metadata, sorted by name.
 */
export interface ListObjectsResponse {
  /**
   * Objects of this page (without attributes).
   */
  'objects'?: (_tessera_v1_ObjectMeta)[];
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
   * Objects of this page (without attributes).
   */
  'objects': (_tessera_v1_ObjectMeta__Output)[];
  /**
   * Token for the next page; empty on the last page.
   */
  'nextPageToken': (string);
}
