// Original file: proto/tessera/v1/keys.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Health of the key manager and its root provider.
 */
export interface KeyHealth {
  /**
   * Root provider kind (`file`, `pkcs11`).
   */
  'provider'?: (string);
  /**
   * The provider answered its health check.
   */
  'providerOk'?: (boolean);
  /**
   * A stable reason code when not ok.
   */
  'providerReason'?: (string);
  /**
   * The answering key manager's id.
   */
  'memberId'?: (string);
  /**
   * The key managers' leader, when known.
   */
  'leaderId'?: (string);
  /**
   * Current system epoch (0 before the system keys exist).
   */
  'systemEpoch'?: (number | string | Long);
  /**
   * Registered tenants (shredded ones included).
   */
  'tenants'?: (number);
  /**
   * Tenants shredded.
   */
  'tenantsShredded'?: (number);
  /**
   * Allow-listed nodes.
   */
  'nodes'?: (number);
  /**
   * Audit records that could not be committed since start.
   */
  'auditRecordsLost'?: (number | string | Long);
  /**
   * Lowest system epoch whose master key is still released (0: all are).
   */
  'minDecryptEpoch'?: (number | string | Long);
}

/**
 * Health of the key manager and its root provider.
 */
export interface KeyHealth__Output {
  /**
   * Root provider kind (`file`, `pkcs11`).
   */
  'provider': (string);
  /**
   * The provider answered its health check.
   */
  'providerOk': (boolean);
  /**
   * A stable reason code when not ok.
   */
  'providerReason': (string);
  /**
   * The answering key manager's id.
   */
  'memberId': (string);
  /**
   * The key managers' leader, when known.
   */
  'leaderId': (string);
  /**
   * Current system epoch (0 before the system keys exist).
   */
  'systemEpoch': (string);
  /**
   * Registered tenants (shredded ones included).
   */
  'tenants': (number);
  /**
   * Tenants shredded.
   */
  'tenantsShredded': (number);
  /**
   * Allow-listed nodes.
   */
  'nodes': (number);
  /**
   * Audit records that could not be committed since start.
   */
  'auditRecordsLost': (string);
  /**
   * Lowest system epoch whose master key is still released (0: all are).
   */
  'minDecryptEpoch': (string);
}
