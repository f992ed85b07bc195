/** Bounds every decoder of the key manager's state and commands enforces. */
export const KM_LIMITS = {
  /** A wrapped key (KWP of context + key, or GCM blob) is well under this. */
  wrappedKeyBytes: 512,
  caCertPemBytes: 64 * 1024,
  caCrlPemBytes: 1024 * 1024,
  principalBytes: 512,
  nodeIdBytes: 255,
  tenants: 1_000_000,
  nodes: 100_000,
  kekVersions: 100_000,
  epochs: 1_000_000,
  auditRecordsPerCommand: 1_000,
  /** Longest crypto-shred delay accepted (a year). */
  maxShredDelayMs: 365 * 24 * 3600 * 1000,
} as const;

export const NODE_ID_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const PRINCIPAL_PATTERN = /^[\x21-\x7e]{0,512}$/;
