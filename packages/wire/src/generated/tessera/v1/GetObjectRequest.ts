// Original file: proto/tessera/v1/data.proto

import type { ObjectRef as _tessera_v1_ObjectRef, ObjectRef__Output as _tessera_v1_ObjectRef__Output } from '../../tessera/v1/ObjectRef.js';
import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from '../../tessera/v1/ByteRange.js';

/**
 * Request to read an object.
 */
export interface GetObjectRequest {
  /**
   * Object to read.
   */
  'ref'?: (_tessera_v1_ObjectRef | null);
  /**
   * Part to read; absent reads the whole object.
   */
  'range'?: (_tessera_v1_ByteRange | null);
  /**
   * Read this version only (from ObjectInfo.etag); empty reads the current one.
   */
  'etag'?: (string);
}

/**
 * Request to read an object.
 */
export interface GetObjectRequest__Output {
  /**
   * Object to read.
   */
  'ref': (_tessera_v1_ObjectRef__Output | null);
  /**
   * Part to read; absent reads the whole object.
   */
  'range': (_tessera_v1_ByteRange__Output | null);
  /**
   * Read this version only (from ObjectInfo.etag); empty reads the current one.
   */
  'etag': (string);
}
