/**
 * A root provider: where the keys that must never leave it live (DESIGN
 * section 5) — the root key, every tenant KEK version and the Ed25519 audit
 * key — and the only code that uses them. The key manager holds references
 * (`KeyRef`) and asks the provider to wrap, unwrap, sign and destroy.
 *
 * Contract for every implementation:
 * - wrap/unwrap are context-bound (purpose, tenant, epoch, kekVersion) and
 *   unwrap checks every field; system keys only under the root key, tenant
 *   keys only under their tenant's KEK (`checkContextForKey`).
 * - A KEK that no longer exists makes unwrap fail with KEK_DESTROYED.
 * - `destroyKek` is idempotent: destroying a missing KEK succeeds, so a Raft
 *   entry that destroys keys can be applied again after a crash.
 * - `createKek` is idempotent per (tenant, version): asking again returns the
 *   existing object, so a leader may retry a rotation whose outcome it lost.
 * - Errors carry no key bytes and no token details beyond a stable code.
 */
import type { KeyMaterial, WrapContext } from '@tessera/crypto';
import type { KeyRef } from '../key-ref.js';

export interface ProviderHealth {
  readonly ok: boolean;
  readonly provider: string;
  /** A stable reason code when not ok (e.g. `token-not-found`, `round-trip-failed`). */
  readonly reason?: string;
}

export interface RootProvider {
  /** Provider kind, also the `provider` field of every reference it issues. */
  readonly kind: string;
  /** Whether several key-manager members may share it (a PKCS#11 token: yes; a keyring folder: no). */
  readonly shareable: boolean;
  rootKey(): KeyRef;
  auditKey(): KeyRef;
  createKek(tenant: string, version: number): Promise<KeyRef>;
  destroyKek(ref: KeyRef): Promise<void>;
  /** Versions of the tenant's KEK that exist in the provider now, ascending. */
  listKekVersions(tenant: string): Promise<number[]>;
  wrap(ref: KeyRef, key: KeyMaterial, context: WrapContext): Promise<Buffer>;
  unwrap(ref: KeyRef, wrapped: Uint8Array, context: WrapContext): Promise<KeyMaterial>;
  /** The audit key's Ed25519 public key, raw 32 bytes. */
  auditPublicKey(): Promise<Buffer>;
  /** Ed25519 signature by the audit key. */
  signAudit(message: Uint8Array): Promise<Buffer>;
  health(): Promise<ProviderHealth>;
  close(): Promise<void>;
}
