// Original file: proto/tessera/v1/data.proto

import type { DataSession as _tessera_v1_DataSession, DataSession__Output as _tessera_v1_DataSession__Output } from '../../tessera/v1/DataSession.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Describes the chunk being uploaded.
 */
export interface PutChunkHeader {
  /**
   * Session and sequence of this upload (its pending reference belongs to the session).
   */
  'session'?: (_tessera_v1_DataSession | null);
  /**
   * Exact plaintext length of the chunk, 1 byte to 16 MiB; the data frames must add up to it.
   */
  'size'?: (number | string | Long);
}

/**
 * Describes the chunk being uploaded.
 */
export interface PutChunkHeader__Output {
  /**
   * Session and sequence of this upload (its pending reference belongs to the session).
   */
  'session': (_tessera_v1_DataSession__Output | null);
  /**
   * Exact plaintext length of the chunk, 1 byte to 16 MiB; the data frames must add up to it.
   */
  'size': (string);
}
