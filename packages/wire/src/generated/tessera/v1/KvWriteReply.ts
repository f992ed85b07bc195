// Original file: proto/tessera/v1/kv.proto

import type { KvPutResponse as _tessera_v1_KvPutResponse, KvPutResponse__Output as _tessera_v1_KvPutResponse__Output } from '../../tessera/v1/KvPutResponse.js';
import type { KvDeleteResponse as _tessera_v1_KvDeleteResponse, KvDeleteResponse__Output as _tessera_v1_KvDeleteResponse__Output } from '../../tessera/v1/KvDeleteResponse.js';
import type { KvWriteFailure as _tessera_v1_KvWriteFailure, KvWriteFailure__Output as _tessera_v1_KvWriteFailure__Output } from '../../tessera/v1/KvWriteFailure.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The answer to one write of a Writes stream.
 */
export interface KvWriteReply {
  /**
   * The seq of the request answered.
   */
  'seq'?: (number | string | Long);
  /**
   * The put was applied (or had been).
   */
  'put'?: (_tessera_v1_KvPutResponse | null);
  /**
   * The delete was applied (or had been).
   */
  'delete'?: (_tessera_v1_KvDeleteResponse | null);
  /**
   * The write was not applied.
   */
  'failure'?: (_tessera_v1_KvWriteFailure | null);
  /**
   * The outcome.
   */
  'result'?: "put"|"delete"|"failure";
}

/**
 * The answer to one write of a Writes stream.
 */
export interface KvWriteReply__Output {
  /**
   * The seq of the request answered.
   */
  'seq': (string);
  /**
   * The put was applied (or had been).
   */
  'put'?: (_tessera_v1_KvPutResponse__Output | null);
  /**
   * The delete was applied (or had been).
   */
  'delete'?: (_tessera_v1_KvDeleteResponse__Output | null);
  /**
   * The write was not applied.
   */
  'failure'?: (_tessera_v1_KvWriteFailure__Output | null);
  /**
   * The outcome.
   */
  'result'?: "put"|"delete"|"failure";
}
