// Original file: proto/tessera/v1/data.proto

import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from '../../tessera/v1/ByteRange.js';

/**
 * Request to read an object.
 */
export interface GetObjectRequest {
  /**
   * Object name.
   */
  'name'?: (string);
  /**
   * Part to read; absent reads the whole object. Length 0 reads to the end.
   */
  'range'?: (_tessera_v1_ByteRange | null);
}

/**
 * Request to read an object.
 */
export interface GetObjectRequest__Output {
  /**
   * Object name.
   */
  'name': (string);
  /**
   * Part to read; absent reads the whole object. Length 0 reads to the end.
   */
  'range': (_tessera_v1_ByteRange__Output | null);
}
