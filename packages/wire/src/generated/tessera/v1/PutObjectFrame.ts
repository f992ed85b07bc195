// Original file: proto/tessera/v1/data.proto

import type { PutObjectHeader as _tessera_v1_PutObjectHeader, PutObjectHeader__Output as _tessera_v1_PutObjectHeader__Output } from '../../tessera/v1/PutObjectHeader.js';

/**
 * One frame of a PutObject stream.
 */
export interface PutObjectFrame {
  /**
   * First frame, exactly once.
   */
  'header'?: (_tessera_v1_PutObjectHeader | null);
  /**
   * Next bytes of the object, at most 1 MiB.
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * Next chunk of the object, by id (32 bytes): accepted only if the
   * caller's tenant already references that chunk (DESIGN section 6).
   */
  'chunkRef'?: (Buffer | Uint8Array | string);
  'kind'?: "header"|"data"|"chunkRef";
}

/**
 * One frame of a PutObject stream.
 */
export interface PutObjectFrame__Output {
  /**
   * First frame, exactly once.
   */
  'header'?: (_tessera_v1_PutObjectHeader__Output | null);
  /**
   * Next bytes of the object, at most 1 MiB.
   */
  'data'?: (Buffer);
  /**
   * Next chunk of the object, by id (32 bytes): accepted only if the
   * caller's tenant already references that chunk (DESIGN section 6).
   */
  'chunkRef'?: (Buffer);
  'kind'?: "header"|"data"|"chunkRef";
}
