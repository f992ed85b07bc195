/**
 * Access requests, grants and the grant audit trail as the metadata group
 * keeps them (DESIGN A2 and section 7, issue #9). Pure data and limits.
 *
 * One record per request: a cluster admin's request (`pending`) is approved
 * (then it IS the grant: `approved` with its window), denied, or, once
 * approved, ends (`expired`: its window ran out, or a tenant admin revoked
 * it). The grant id is derived from the request id (ids.ts), so both name
 * the same record.
 */

export const ACCESS_MODES = ['read', 'read-write'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export const ACCESS_STATES = ['pending', 'approved', 'denied', 'expired'] as const;
export type AccessState = (typeof ACCESS_STATES)[number];

/** Why an approved grant ended. */
export const GRANT_ENDINGS = ['none', 'window', 'revoked'] as const;
export type GrantEnding = (typeof GRANT_ENDINGS)[number];

/** Data methods a cluster admin may call under a grant (audit records name them). */
export const GRANTED_METHODS = ['OpenSession', 'PutChunk', 'PutObject', 'GetObject', 'StatObject', 'ListObjects', 'DeleteObject'] as const;
export type GrantedMethod = (typeof GRANTED_METHODS)[number];

/** Methods that need a read-write grant. */
export const WRITE_METHODS: ReadonlySet<GrantedMethod> = new Set<GrantedMethod>(['OpenSession', 'PutChunk', 'PutObject', 'DeleteObject']);

/**
 * What the serving node decided for one call under a grant (recorded before
 * anything is served; a refused call is recorded too).
 */
export const AUDIT_OUTCOMES = ['allowed', 'no-grant', 'stale-clock', 'read-only', 'outside-prefix'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const ACCESS_LIMITS = {
  /** Request and grant ids: 16 random bytes chosen by the proposing node. */
  idBytes: 16,
  /** Shortest and longest window a request may ask for. */
  minDurationMs: 1_000,
  maxDurationMs: 30 * 24 * 3_600_000,
  /** Sealed prefix and reason (prefix-seal.ts): epoch, nonce, ciphertext and tag. */
  sealedBytes: 4 * 1024,
  /** Cleartext limits enforced before sealing. */
  prefixBytes: 1_024,
  reasonBytes: 1_024,
  /** Pending plus approved records per tenant: more requests are refused until some end. */
  openPerTenant: 64,
  /** Denied and expired records kept per tenant (the oldest closed go first). */
  closedPerTenant: 32,
  /** Audit entries kept per tenant (the oldest go first). */
  auditPerTenant: 1_000,
} as const;

export interface AccessRecord {
  readonly requestId: Buffer;
  readonly tenant: string;
  /** Name of the requesting cluster admin (spiffe://TD/admin/NAME). */
  readonly requester: string;
  /** The prefix and reason sealed under a key derived from the tenant's TDK (prefix-seal.ts); never cleartext. */
  readonly prefixSealed: Buffer;
  readonly mode: AccessMode;
  readonly durationMs: number;
  /** Leader time of the request. */
  readonly createdMs: number;
  readonly state: AccessState;
  /** Name of the tenant admin who approved or denied; '' while pending. */
  readonly decidedBy: string;
  /** Leader time of the approval or denial; 0 while pending. */
  readonly decidedMs: number;
  /** The grant's window (approved and expired records): [approval leader time, + durationMs). 0 otherwise. */
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly ending: GrantEnding;
  /** Name of the revoking tenant admin (ending `revoked`), else ''. */
  readonly endedBy: string;
  /** Leader time at which the grant ended; 0 while it has not. */
  readonly endedMs: number;
}

export interface AuditEntry {
  /** Per-tenant sequence, from 1. */
  readonly seq: number;
  /** Leader time of the entry. */
  readonly timeMs: number;
  /** The cluster admin who called. */
  readonly admin: string;
  /** The grant it was served (or refused) under; empty when the admin held none. */
  readonly grantId: Buffer;
  readonly method: GrantedMethod;
  /** The object's keyTag (32 bytes) when the call named an object; empty otherwise (names never enter Raft). */
  readonly keyTag: Buffer;
  readonly outcome: AuditOutcome;
}
