// Original file: proto/tessera/v1/admin.proto

import type { AccessMode as _tessera_v1_AccessMode, AccessMode__Output as _tessera_v1_AccessMode__Output } from '../../tessera/v1/AccessMode.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A cluster admin's request for access.
 */
export interface RequestAccessRequest {
  /**
   * Tenant whose data is wanted.
   */
  'tenant'?: (string);
  /**
   * Only names with this prefix; empty means every object.
   */
  'prefix'?: (string);
  /**
   * Read or read-write.
   */
  'mode'?: (_tessera_v1_AccessMode);
  /**
   * Length of the access window once approved, in seconds.
   */
  'durationS'?: (number | string | Long);
  /**
   * Free-text justification shown to the tenant admin (at most 1024 bytes).
   */
  'reason'?: (string);
}

/**
 * A cluster admin's request for access.
 */
export interface RequestAccessRequest__Output {
  /**
   * Tenant whose data is wanted.
   */
  'tenant': (string);
  /**
   * Only names with this prefix; empty means every object.
   */
  'prefix': (string);
  /**
   * Read or read-write.
   */
  'mode': (_tessera_v1_AccessMode__Output);
  /**
   * Length of the access window once approved, in seconds.
   */
  'durationS': (string);
  /**
   * Free-text justification shown to the tenant admin (at most 1024 bytes).
   */
  'reason': (string);
}
