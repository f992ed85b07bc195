// Original file: proto/tessera/v1/data.proto

import type { DataSession as _tessera_v1_DataSession, DataSession__Output as _tessera_v1_DataSession__Output } from '../../tessera/v1/DataSession.js';

/**
 * Request to delete an object.
 */
export interface DeleteObjectRequest {
  /**
   * Session and sequence of this write.
   */
  'session'?: (_tessera_v1_DataSession | null);
  /**
   * Object name.
   */
  'name'?: (string);
}

/**
 * Request to delete an object.
 */
export interface DeleteObjectRequest__Output {
  /**
   * Session and sequence of this write.
   */
  'session': (_tessera_v1_DataSession__Output | null);
  /**
   * Object name.
   */
  'name': (string);
}
