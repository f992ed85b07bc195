/**
 * The key manager's replicated state (DESIGN sections 2 and 5). It holds
 * references and wrapped keys only: system master keys and the dedup key
 * wrapped by the root key, each tenant's TDKs and TIK wrapped by its current
 * KEK, and the KEK *references* (the KEKs themselves live only in the root
 * provider). Plus the tenant table (the cluster's authority for tenants),
 * the node allow-list with SPKI pins, and the audit chain heads.
 */
import type { AuditChains } from '@tessera/audit';
import type { KeyRef } from '../key-ref.js';

export type TenantPolicy = 'shared' | 'isolated';
export type TenantState = 'active' | 'shred-pending-approval' | 'shred-scheduled' | 'shredded';
export type KekState = 'current' | 'retired' | 'destroyed';

export interface KekVersion {
  readonly ref: KeyRef;
  readonly state: KekState;
}

export interface WrappedKey {
  /** Version of the tenant KEK (or the root key) that wraps `blob`. */
  readonly kekVersion: number;
  readonly blob: Buffer;
}

export interface ShredRecord {
  readonly requestedBy: string;
  readonly requestedByRole: ActorRole;
  readonly requestedAtMs: number;
  readonly delayMs: number;
  /** Tenant admin who approved a cluster admin's request ('' when none was needed or given yet). */
  readonly approvedBy: string;
  /** When execution may happen (0 while awaiting approval). */
  readonly executeAtMs: number;
}

export interface TenantRecord {
  readonly id: string;
  readonly policy: TenantPolicy;
  readonly caCertPem: string;
  readonly caCrlPem: string;
  readonly state: TenantState;
  readonly createdAtMs: number;
  /** Ascending by version; at most one `current`. */
  readonly keks: readonly KekVersion[];
  /** Current tenant epoch (0 until the tenant's keys exist). */
  readonly currentEpoch: number;
  readonly tdks: ReadonlyMap<number, WrappedKey>;
  readonly tik: WrappedKey | undefined;
  readonly shred: ShredRecord | undefined;
  readonly shreddedAtMs: number;
  /**
   * A cluster admin disabled the tenant (`tenant disable`): the storage nodes
   * refuse its data calls until `tenant enable`. Orthogonal to the shred
   * lifecycle, so cancelling a shred does not re-enable a disabled tenant.
   */
  readonly disabled: boolean;
}

export interface SystemKeys {
  readonly rootRef: KeyRef;
  readonly currentEpoch: number;
  /** Master key per system epoch, wrapped by the root key. */
  readonly masters: ReadonlyMap<number, Buffer>;
  /** The cluster dedup key, wrapped by the root key (epoch 0, never rotated). */
  readonly dedup: Buffer;
}

/**
 * The oldest system epoch whose master key is still released (DESIGN section
 * 5, rotation). Only the metadata leader reports it, from the metadata
 * group's committed `SetMinDecryptEpoch`; it never moves back.
 */
export interface MinDecryptEpoch {
  /** 0 until a report is accepted (every epoch is served). */
  readonly epoch: number;
  /** Raft term of the metadata leader whose report set it; reports from lower terms are refused. */
  readonly metadataTerm: number;
  /** The metadata group's applied index at which that leader read the value. */
  readonly metadataIndex: number;
}

export const NO_MIN_DECRYPT_EPOCH: MinDecryptEpoch = { epoch: 0, metadataTerm: 0, metadataIndex: 0 };

export interface KmState {
  /** Highest leader timestamp applied (time never goes back). */
  readonly lastTimestampMs: number;
  readonly system: SystemKeys | undefined;
  readonly tenants: ReadonlyMap<string, TenantRecord>;
  /** Allow-listed node ids → SHA-256 of their certificate's SubjectPublicKeyInfo. */
  readonly nodes: ReadonlyMap<string, Buffer>;
  readonly minDecrypt: MinDecryptEpoch;
  readonly audit: AuditChains;
}

export type ActorRole = 'system' | 'cluster-admin' | 'tenant-admin' | 'node';

/** Who asked: built by the service from the verified certificate (or `system` for the key manager itself). */
export interface Actor {
  readonly role: ActorRole;
  /** SPIFFE id ('' for the system). */
  readonly principal: string;
  /** The tenant of a tenant admin ('' otherwise). */
  readonly tenant: string;
}

export const SYSTEM_ACTOR: Actor = { role: 'system', principal: '', tenant: '' };

/** What callers and the watch stream see of a tenant (no wrapped keys). */
export interface TenantView {
  readonly id: string;
  readonly policy: TenantPolicy;
  readonly state: TenantState;
  readonly caCertPem: string;
  readonly caCrlPem: string;
  readonly currentEpoch: number;
  /** Current KEK version (0 before keys exist or after shred). */
  readonly kekVersion: number;
  readonly shredExecuteAtMs: number;
  /** Disabled by a cluster admin (data calls refused; keys and shred still work). */
  readonly disabled: boolean;
}

export function tenantView(t: TenantRecord): TenantView {
  return {
    id: t.id,
    policy: t.policy,
    state: t.state,
    caCertPem: t.caCertPem,
    caCrlPem: t.caCrlPem,
    currentEpoch: t.currentEpoch,
    kekVersion: currentKek(t)?.ref.version ?? 0,
    shredExecuteAtMs: t.shred?.executeAtMs ?? 0,
    disabled: t.disabled,
  };
}

export function currentKek(t: TenantRecord): KekVersion | undefined {
  return t.keks.find((k) => k.state === 'current');
}
