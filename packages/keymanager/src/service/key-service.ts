/**
 * What allow-listed nodes ask the key manager for (DESIGN section 5): the
 * system master key of an epoch, the dedup key, a tenant's TDK for an epoch
 * and its TIK. Transport-agnostic: the gRPC Keys service calls these with a
 * `NodeCaller` built from the verified client certificate.
 *
 * - Only node ids on the committed allow-list, presenting a certificate whose
 *   SPKI hashes to the pinned value, are served (KM_NODE_NOT_ALLOWED
 *   otherwise). Nothing here serves an admin: a cluster admin can never
 *   unwrap a tenant key.
 * - Every key released is audited *before* it is returned: the release is
 *   committed in the tenant's chain (or the system chain) first, so there is
 *   no unaudited key in anyone's hands. Refusals are aggregated per
 *   (principal, method, minute).
 * - A shredded tenant, or a KEK the provider no longer holds (an old state
 *   restored after a shred), fails with KEK_DESTROYED.
 * - Reads go through ReadIndex: a fetch that starts after a shred committed
 *   sees the shred.
 * - Master keys of system epochs below the minimum decrypt epoch are no
 *   longer released (EPOCH_RETIRED). That epoch comes only from a node
 *   (the metadata leader) reporting the metadata group's committed value;
 *   no admin can set it.
 */
import { METADATA_AUDIT_DOMAIN, SYSTEM_CHAIN, decodeHead, signHead, tenantChain, type AuditBatcher, type AuditTarget, type ChainId, type SignedAuditHead } from '@tessera/audit';
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import { DEFAULT_KEY_TTL_MS, WrapPurposes, constantTimeEqual, type KeyMaterial } from '@tessera/crypto';
import { kekDestroyed, kmError } from '../errors.js';
import type { RootProvider } from '../provider/types.js';
import { providerAuditSigner } from '../provider/validate.js';
import { KmAuditTypes, reasonOf } from '../state/core.js';
import type { KmState, TenantRecord } from '../state/types.js';
import { dedupContext, masterContext, tdkContext, tikContext } from './admin.js';
import type { KmGroup } from './group.js';

/** The Keys methods as audit entries name them. */
export const KeyMethods = {
  MASTER: 'FetchMasterKey',
  DEDUP: 'FetchDedupKey',
  TDK: 'UnwrapTdk',
  TIK: 'UnwrapTik',
  WATCH: 'Watch',
  MIN_DECRYPT: 'ReportMinDecryptEpoch',
  SIGN_HEAD: 'SignAuditHead',
} as const;

/** The event type of a refused SignAuditHead (a node not allowed, or with another pin). */
export const SIGN_HEAD_AUDIT_TYPE = 'audit.sign-head';

export interface NodeCaller {
  readonly nodeId: string;
  /** SPIFFE id from the verified certificate. */
  readonly principal: string;
  /** SHA-256 of the certificate's SubjectPublicKeyInfo. */
  readonly spkiSha256: Uint8Array;
}

export interface IssuedKey {
  /** Owned by the caller, who destroys it when done or when `ttlMs` has passed. */
  readonly key: KeyMaterial;
  /** Absolute lifetime from now. */
  readonly ttlMs: number;
  /** The epoch the key belongs to (0 for the dedup key and TIKs). */
  readonly epoch: number;
}

/** The metadata group's committed minimum decrypt epoch, as its leader read it. */
export interface MinDecryptReport {
  readonly epoch: number;
  /** Raft term of the reporting metadata leader. */
  readonly metadataTerm: number;
  /** Metadata applied index at which the leader read `epoch` (after a ReadIndex). */
  readonly metadataIndex: number;
}

/** The key manager's minimum decrypt epoch after a report. */
export interface MinDecryptStatus {
  readonly epoch: number;
  readonly systemEpoch: number;
}

export interface KeyServiceOptions {
  readonly group: KmGroup;
  readonly provider: RootProvider;
  readonly audit: AuditBatcher;
  /** TTL handed out with each key. Default 60 s. */
  readonly ttlMs?: number;
  readonly clock?: () => number;
}

export class KeyService {
  readonly #group: KmGroup;
  readonly #provider: RootProvider;
  readonly #audit: AuditBatcher;
  readonly #ttlMs: number;
  readonly #clock: () => number;

  constructor(options: KeyServiceOptions) {
    this.#group = options.group;
    this.#provider = options.provider;
    this.#audit = options.audit;
    this.#ttlMs = options.ttlMs ?? DEFAULT_KEY_TTL_MS;
    this.#clock = options.clock ?? Date.now;
  }

  /** master[epoch], or the current epoch's when `epoch` is omitted. */
  async masterKey(caller: NodeCaller, epoch?: number): Promise<IssuedKey> {
    const state = await this.#authorized(caller, KeyMethods.MASTER, SYSTEM_CHAIN);
    const system = this.#system(state, caller, KeyMethods.MASTER);
    const e = epoch ?? system.currentEpoch;
    if (e < state.minDecrypt.epoch) throw this.#refuse(caller, KeyMethods.MASTER, SYSTEM_CHAIN, kmError(ErrorCodes.EPOCH_RETIRED, 'that system epoch is retired: its master key is no longer released'));
    const blob = system.masters.get(e);
    if (blob === undefined) throw this.#refuse(caller, KeyMethods.MASTER, SYSTEM_CHAIN, kmError(ErrorCodes.KM_KEY_NOT_FOUND, 'no master key for that system epoch'));
    const key = await this.#provider.unwrap(system.rootRef, blob, masterContext(e, system.rootRef.version));
    return this.#release(key, e, caller, KeyMethods.MASTER, SYSTEM_CHAIN, [{ kind: 'key', purpose: WrapPurposes.SYSTEM_MASTER, epoch: e, version: system.rootRef.version }]);
  }

  async dedupKey(caller: NodeCaller): Promise<IssuedKey> {
    const state = await this.#authorized(caller, KeyMethods.DEDUP, SYSTEM_CHAIN);
    const system = this.#system(state, caller, KeyMethods.DEDUP);
    const key = await this.#provider.unwrap(system.rootRef, system.dedup, dedupContext(system.rootRef.version));
    return this.#release(key, 0, caller, KeyMethods.DEDUP, SYSTEM_CHAIN, [{ kind: 'key', purpose: WrapPurposes.DEDUP, epoch: 0, version: system.rootRef.version }]);
  }

  /** TDK[epoch] of `tenant`, or its current epoch's when `epoch` is omitted. */
  async tenantDataKey(caller: NodeCaller, tenant: string, epoch?: number): Promise<IssuedKey> {
    const t = await this.#tenant(caller, KeyMethods.TDK, tenant);
    const e = epoch ?? t.currentEpoch;
    const wrapped = t.tdks.get(e);
    if (wrapped === undefined) throw this.#refuse(caller, KeyMethods.TDK, tenantChain(tenant), kmError(ErrorCodes.KM_KEY_NOT_FOUND, 'no data key for that tenant epoch'));
    const key = await this.#unwrapTenantKey(caller, KeyMethods.TDK, t, wrapped.kekVersion, wrapped.blob, tdkContext(tenant, e, wrapped.kekVersion));
    return this.#release(key, e, caller, KeyMethods.TDK, tenantChain(tenant), [{ kind: 'key', purpose: WrapPurposes.TDK, epoch: e, version: wrapped.kekVersion }]);
  }

  async tenantIndexKey(caller: NodeCaller, tenant: string): Promise<IssuedKey> {
    const t = await this.#tenant(caller, KeyMethods.TIK, tenant);
    const wrapped = t.tik;
    if (wrapped === undefined) throw this.#refuse(caller, KeyMethods.TIK, tenantChain(tenant), kmError(ErrorCodes.KM_KEY_NOT_FOUND, 'the tenant has no index key yet'));
    const key = await this.#unwrapTenantKey(caller, KeyMethods.TIK, t, wrapped.kekVersion, wrapped.blob, tikContext(tenant, wrapped.kekVersion));
    return this.#release(key, 0, caller, KeyMethods.TIK, tenantChain(tenant), [{ kind: 'key', purpose: WrapPurposes.TIK, epoch: 0, version: wrapped.kekVersion }]);
  }

  /**
   * The metadata leader reports the committed minimum decrypt epoch. The
   * caller must be an allow-listed node presenting its pinned key (checked
   * here and again when the command applies); the state machine enforces
   * monotonicity, the system-epoch bound and the term order, and audits the
   * change. A repeated report is a successful no-op, so retries are safe.
   */
  async reportMinDecryptEpoch(caller: NodeCaller, report: MinDecryptReport): Promise<MinDecryptStatus> {
    await this.#authorized(caller, KeyMethods.MIN_DECRYPT, SYSTEM_CHAIN, KmAuditTypes.MIN_DECRYPT_EPOCH);
    const result = await this.#group.propose({
      ts: this.#clock(),
      actor: { role: 'node', principal: caller.principal, tenant: '' },
      command: { type: 'report-min-decrypt-epoch', nodeId: caller.nodeId, spkiSha256: Buffer.from(caller.spkiSha256), epoch: report.epoch, metadataTerm: report.metadataTerm, metadataIndex: report.metadataIndex },
    });
    // A refusal at apply is already in the audit chain.
    if (!result.ok) throw new TesseraError(result.code, result.message);
    if (result.value.kind !== 'min-decrypt-epoch') throw new TesseraError(ErrorCodes.INTERNAL, 'unexpected result');
    return { epoch: result.value.epoch, systemEpoch: result.value.systemEpoch };
  }

  /**
   * Signs a head of the storage nodes' metadata-group audit chains with the
   * audit key (ADR 0020). Only an allowed, pinned node may ask, and only for a
   * head whose domain is `metadata`: the domain is inside the signed bytes,
   * so no node can get a signature that passes for one of this group's own
   * (`keymanager`) heads. The key manager cannot check the chains' contents —
   * it vouches that an allowed node presented this head at this time.
   */
  async signMetadataHead(caller: NodeCaller, encodedHead: Uint8Array): Promise<SignedAuditHead> {
    await this.#authorized(caller, KeyMethods.SIGN_HEAD, SYSTEM_CHAIN, SIGN_HEAD_AUDIT_TYPE);
    let head;
    try {
      head = decodeHead(encodedHead);
    } catch (err) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'not an audit head', { cause: err });
    }
    if (head.domain !== METADATA_AUDIT_DOMAIN) throw new TesseraError(ErrorCodes.KM_FORBIDDEN, 'only metadata-group heads are signed for nodes');
    return signHead(head, providerAuditSigner(this.#provider));
  }

  // ---------------------------------------------------------------- internals

  async #authorized(caller: NodeCaller, method: string, chain: ChainId, type?: string): Promise<KmState> {
    const state = await this.#group.read();
    this.#checkNode(state, caller, method, chain, type);
    return state;
  }

  #checkNode(state: KmState, caller: NodeCaller, method: string, chain: ChainId, type?: string): void {
    const pin = state.nodes.get(caller.nodeId);
    if (pin === undefined || !constantTimeEqual(pin, caller.spkiSha256)) {
      throw this.#refuse(caller, method, chain, kmError(ErrorCodes.KM_NODE_NOT_ALLOWED, 'this node is not allowed to fetch keys'), pin === undefined ? 'node-not-allowed' : 'pin-mismatch', type);
    }
  }

  #system(state: KmState, caller: NodeCaller, method: string): NonNullable<KmState['system']> {
    if (state.system === undefined) throw this.#refuse(caller, method, SYSTEM_CHAIN, kmError(ErrorCodes.KM_NOT_INITIALIZED, 'the key manager has no system keys yet'));
    return state.system;
  }

  async #tenant(caller: NodeCaller, method: string, tenant: string): Promise<TenantRecord> {
    const state = await this.#group.read();
    const t = state.tenants.get(tenant);
    const chain = t !== undefined ? tenantChain(tenant) : SYSTEM_CHAIN;
    this.#checkNode(state, caller, method, chain);
    if (t === undefined) throw this.#refuse(caller, method, chain, kmError(ErrorCodes.KM_TENANT_NOT_FOUND, 'no such tenant'));
    if (t.state === 'shredded') throw this.#refuse(caller, method, chain, kekDestroyed());
    return t;
  }

  async #unwrapTenantKey(caller: NodeCaller, method: string, t: TenantRecord, kekVersion: number, blob: Buffer, context: ReturnType<typeof tdkContext>): Promise<KeyMaterial> {
    const kek = t.keks.find((k) => k.ref.version === kekVersion);
    if (kek === undefined || kek.state === 'destroyed') throw this.#refuse(caller, method, tenantChain(t.id), kekDestroyed());
    try {
      return await this.#provider.unwrap(kek.ref, blob, context);
    } catch (err) {
      if (isTesseraError(err) && (err.code === ErrorCodes.KEK_DESTROYED || err.code === ErrorCodes.CRYPTO_UNWRAP_FAILED)) throw this.#refuse(caller, method, tenantChain(t.id), err);
      throw err;
    }
  }

  /** Records a refusal (aggregated) and returns the error to throw. */
  #refuse(caller: NodeCaller, method: string, chain: ChainId, err: TesseraError, reason: string = reasonOf(err.code), type: string = KmAuditTypes.KEY_UNWRAP): TesseraError {
    this.#audit.deny({ chain, type, principal: caller.principal, method, reason, atMs: this.#clock(), targets: [{ kind: 'node', nodeId: caller.nodeId }] });
    return err;
  }

  async #release(key: KeyMaterial, epoch: number, caller: NodeCaller, method: string, chain: ChainId, targets: readonly AuditTarget[]): Promise<IssuedKey> {
    const type = method === KeyMethods.MASTER || method === KeyMethods.DEDUP ? KmAuditTypes.KEY_FETCH : KmAuditTypes.KEY_UNWRAP;
    try {
      await this.#audit.record([{ chain, record: { type, principal: caller.principal, method, outcome: 'ok', targets: [{ kind: 'node', nodeId: caller.nodeId }, ...targets] } }]);
    } catch (cause) {
      key.destroy();
      throw new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'the key release could not be audited; try again', { cause, retriable: true });
    }
    return { key, ttlMs: this.#ttlMs, epoch };
  }
}
