// Original file: proto/tessera/v1/admin.proto

import type { AccessRequest as _tessera_v1_AccessRequest, AccessRequest__Output as _tessera_v1_AccessRequest__Output } from '../../tessera/v1/AccessRequest.js';
import type { AccessGrant as _tessera_v1_AccessGrant, AccessGrant__Output as _tessera_v1_AccessGrant__Output } from '../../tessera/v1/AccessGrant.js';

/**
 * A tenant's access requests and grants.
 */
export interface ListAccessResponse {
  /**
   * Requests not yet expired, newest first.
   */
  'requests'?: (_tessera_v1_AccessRequest)[];
  /**
   * Grants not yet expired, newest first.
   */
  'grants'?: (_tessera_v1_AccessGrant)[];
}

/**
 * A tenant's access requests and grants.
 */
export interface ListAccessResponse__Output {
  /**
   * Requests not yet expired, newest first.
   */
  'requests': (_tessera_v1_AccessRequest__Output)[];
  /**
   * Grants not yet expired, newest first.
   */
  'grants': (_tessera_v1_AccessGrant__Output)[];
}
