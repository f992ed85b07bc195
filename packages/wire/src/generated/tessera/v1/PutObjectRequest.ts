// Original file: proto/tessera/v1/data.proto

import type { DataSession as _tessera_v1_DataSession, DataSession__Output as _tessera_v1_DataSession__Output } from '../../tessera/v1/DataSession.js';

/**
 * Commits an object version.
 */
export interface PutObjectRequest {
  /**
   * Session and sequence of this write.
   */
  'session'?: (_tessera_v1_DataSession | null);
  /**
   * Object name: 1 to 1,024 bytes of UTF-8.
   */
  'name'?: (string);
  /**
   * The object's chunks in order (32-byte ids from PutChunk); at most 10,000.
   */
  'chunkIds'?: (Buffer | Uint8Array | string)[];
  /**
   * User attributes stored (encrypted) with this version.
   */
  'attributes'?: ({[key: string]: string});
  /**
   * The whole object when it is at most 4 KiB (then chunk_ids is empty).
   */
  'inlineData'?: (Buffer | Uint8Array | string);
}

/**
 * Commits an object version.
 */
export interface PutObjectRequest__Output {
  /**
   * Session and sequence of this write.
   */
  'session': (_tessera_v1_DataSession__Output | null);
  /**
   * Object name: 1 to 1,024 bytes of UTF-8.
   */
  'name': (string);
  /**
   * The object's chunks in order (32-byte ids from PutChunk); at most 10,000.
   */
  'chunkIds': (Buffer)[];
  /**
   * User attributes stored (encrypted) with this version.
   */
  'attributes': ({[key: string]: string});
  /**
   * The whole object when it is at most 4 KiB (then chunk_ids is empty).
   */
  'inlineData': (Buffer);
}
