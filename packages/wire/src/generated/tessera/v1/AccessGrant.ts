// Original file: proto/tessera/v1/admin.proto

import type { AccessMode as _tessera_v1_AccessMode, AccessMode__Output as _tessera_v1_AccessMode__Output } from '../../tessera/v1/AccessMode.js';
import type { AccessState as _tessera_v1_AccessState, AccessState__Output as _tessera_v1_AccessState__Output } from '../../tessera/v1/AccessState.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A time-bounded, scoped grant.
 */
export interface AccessGrant {
  /**
   * Server-issued id of the grant.
   */
  'grantId'?: (string);
  /**
   * Request this grant answers.
   */
  'requestId'?: (string);
  /**
   * Tenant the grant covers.
   */
  'tenant'?: (string);
  /**
   * Name prefix covered; empty means every object.
   */
  'prefix'?: (string);
  /**
   * Read or read-write.
   */
  'mode'?: (_tessera_v1_AccessMode);
  /**
   * Start of the window (leader timestamp, ms).
   */
  'notBeforeMs'?: (number | string | Long);
  /**
   * End of the window (leader timestamp, ms).
   */
  'notAfterMs'?: (number | string | Long);
  /**
   * Principal (SPIFFE id) of the approving tenant admin.
   */
  'approvedBy'?: (string);
  /**
   * Approved, or expired once revoked or past its window.
   */
  'state'?: (_tessera_v1_AccessState);
}

/**
 * A time-bounded, scoped grant.
 */
export interface AccessGrant__Output {
  /**
   * Server-issued id of the grant.
   */
  'grantId': (string);
  /**
   * Request this grant answers.
   */
  'requestId': (string);
  /**
   * Tenant the grant covers.
   */
  'tenant': (string);
  /**
   * Name prefix covered; empty means every object.
   */
  'prefix': (string);
  /**
   * Read or read-write.
   */
  'mode': (_tessera_v1_AccessMode__Output);
  /**
   * Start of the window (leader timestamp, ms).
   */
  'notBeforeMs': (string);
  /**
   * End of the window (leader timestamp, ms).
   */
  'notAfterMs': (string);
  /**
   * Principal (SPIFFE id) of the approving tenant admin.
   */
  'approvedBy': (string);
  /**
   * Approved, or expired once revoked or past its window.
   */
  'state': (_tessera_v1_AccessState__Output);
}
