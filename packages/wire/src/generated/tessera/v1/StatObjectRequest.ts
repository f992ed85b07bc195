// Original file: proto/tessera/v1/data.proto

import type { ObjectRef as _tessera_v1_ObjectRef, ObjectRef__Output as _tessera_v1_ObjectRef__Output } from '../../tessera/v1/ObjectRef.js';

/**
 * Request for an object's metadata.
 */
export interface StatObjectRequest {
  /**
   * Object to describe.
   */
  'ref'?: (_tessera_v1_ObjectRef | null);
}

/**
 * Request for an object's metadata.
 */
export interface StatObjectRequest__Output {
  /**
   * Object to describe.
   */
  'ref': (_tessera_v1_ObjectRef__Output | null);
}
