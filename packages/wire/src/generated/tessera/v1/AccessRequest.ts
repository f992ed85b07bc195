// Original file: proto/tessera/v1/admin.proto

import type { AccessMode as _tessera_v1_AccessMode, AccessMode__Output as _tessera_v1_AccessMode__Output } from '../../tessera/v1/AccessMode.js';
import type { AccessState as _tessera_v1_AccessState, AccessState__Output as _tessera_v1_AccessState__Output } from '../../tessera/v1/AccessState.js';
import type { Long } from '@grpc/proto-loader';

/**
 * An access request as stored.
 */
export interface AccessRequest {
  /**
   * Server-issued id of the request.
   */
  'requestId'?: (string);
  /**
   * Tenant whose data is wanted.
   */
  'tenant'?: (string);
  /**
   * Name prefix asked for.
   */
  'prefix'?: (string);
  /**
   * Mode asked for.
   */
  'mode'?: (_tessera_v1_AccessMode);
  /**
   * Window length asked for, in seconds.
   */
  'durationS'?: (number | string | Long);
  /**
   * Justification.
   */
  'reason'?: (string);
  /**
   * Principal (SPIFFE id) of the requesting cluster admin.
   */
  'requestedBy'?: (string);
  /**
   * Current state.
   */
  'state'?: (_tessera_v1_AccessState);
  /**
   * Commit time of the request (ms).
   */
  'createdMs'?: (number | string | Long);
}

/**
 * An access request as stored.
 */
export interface AccessRequest__Output {
  /**
   * Server-issued id of the request.
   */
  'requestId': (string);
  /**
   * Tenant whose data is wanted.
   */
  'tenant': (string);
  /**
   * Name prefix asked for.
   */
  'prefix': (string);
  /**
   * Mode asked for.
   */
  'mode': (_tessera_v1_AccessMode__Output);
  /**
   * Window length asked for, in seconds.
   */
  'durationS': (string);
  /**
   * Justification.
   */
  'reason': (string);
  /**
   * Principal (SPIFFE id) of the requesting cluster admin.
   */
  'requestedBy': (string);
  /**
   * Current state.
   */
  'state': (_tessera_v1_AccessState__Output);
  /**
   * Commit time of the request (ms).
   */
  'createdMs': (string);
}
