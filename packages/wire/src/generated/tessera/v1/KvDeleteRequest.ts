// Original file: proto/tessera/v1/kv.proto

import type { KvSession as _tessera_v1_KvSession, KvSession__Output as _tessera_v1_KvSession__Output } from '../../tessera/v1/KvSession.js';

/**
 * Deletes a key.
 */
export interface KvDeleteRequest {
  /**
   * Session, seq and acknowledgement mark.
   */
  'session'?: (_tessera_v1_KvSession | null);
  /**
   * Key, 1 to 1024 bytes.
   */
  'key'?: (Buffer | Uint8Array | string);
}

/**
 * Deletes a key.
 */
export interface KvDeleteRequest__Output {
  /**
   * Session, seq and acknowledgement mark.
   */
  'session': (_tessera_v1_KvSession__Output | null);
  /**
   * Key, 1 to 1024 bytes.
   */
  'key': (Buffer);
}
