// Original file: proto/tessera/v1/data.proto

import type { ObjectMeta as _tessera_v1_ObjectMeta, ObjectMeta__Output as _tessera_v1_ObjectMeta__Output } from '../../tessera/v1/ObjectMeta.js';

/**
 * One frame of a GetObject reply.
 */
export interface GetObjectFrame {
  /**
   * First frame: metadata of the version being returned.
   */
  'info'?: (_tessera_v1_ObjectMeta | null);
  /**
   * Next bytes of the requested range, at most 1 MiB.
   */
  'data'?: (Buffer | Uint8Array | string);
  'kind'?: "info"|"data";
}

/**
 * One frame of a GetObject reply.
 */
export interface GetObjectFrame__Output {
  /**
   * First frame: metadata of the version being returned.
   */
  'info'?: (_tessera_v1_ObjectMeta__Output | null);
  /**
   * Next bytes of the requested range, at most 1 MiB.
   */
  'data'?: (Buffer);
  'kind'?: "info"|"data";
}
