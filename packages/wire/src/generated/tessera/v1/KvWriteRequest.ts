// Original file: proto/tessera/v1/kv.proto

import type { KvPutRequest as _tessera_v1_KvPutRequest, KvPutRequest__Output as _tessera_v1_KvPutRequest__Output } from '../../tessera/v1/KvPutRequest.js';
import type { KvDeleteRequest as _tessera_v1_KvDeleteRequest, KvDeleteRequest__Output as _tessera_v1_KvDeleteRequest__Output } from '../../tessera/v1/KvDeleteRequest.js';

/**
 * One write of a Writes stream.
 */
export interface KvWriteRequest {
  /**
   * A put, as in Put.
   */
  'put'?: (_tessera_v1_KvPutRequest | null);
  /**
   * A delete, as in Delete.
   */
  'delete'?: (_tessera_v1_KvDeleteRequest | null);
  /**
   * The write.
   */
  'op'?: "put"|"delete";
}

/**
 * One write of a Writes stream.
 */
export interface KvWriteRequest__Output {
  /**
   * A put, as in Put.
   */
  'put'?: (_tessera_v1_KvPutRequest__Output | null);
  /**
   * A delete, as in Delete.
   */
  'delete'?: (_tessera_v1_KvDeleteRequest__Output | null);
  /**
   * The write.
   */
  'op'?: "put"|"delete";
}
