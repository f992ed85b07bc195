/**
 * Leader-side operations of the key manager: everything that turns an admin
 * request into a command. Operations that need the root provider first —
 * generating and wrapping a key, creating a KEK object, unwrapping TDKs to
 * re-wrap them — run a *dry run* of the command against the current state
 * before touching the provider, so a request that would be refused (wrong
 * principal, wrong state, stale version) never creates a KEK or unwraps a
 * tenant key; the refusal is audited exactly as the apply would audit it.
 *
 * Fresh keys are random (K4), wrapped at once and wiped; the command carries
 * wrapped blobs and references only.
 */
import { buildHead, signHead, type AuditBatcher, type ChainId, type ChainRecord, type SignedAuditHead } from '@tessera/audit';
import { TesseraError, type Logger } from '@tessera/common';
import { KeyMaterial, WrapPurposes, type WrapContext } from '@tessera/crypto';
import { kekKeyId, type KeyRef } from '../key-ref.js';
import type { RootProvider } from '../provider/types.js';
import { providerAuditSigner } from '../provider/validate.js';
import { AUDIT_DOMAIN, KmCore } from '../state/core.js';
import type { KmCommand, KmEnvelope } from '../state/commands.js';
import { caFingerprint } from '../state/pem.js';
import type { KmResult, KmValue } from '../state/results.js';
import { SYSTEM_ACTOR, currentKek, tenantView, type Actor, type KmState, type TenantPolicy } from '../state/types.js';
import type { KmGroup } from './group.js';

/** DESIGN section 5: a crypto-shred executes 24 h after it is scheduled unless told otherwise. */
export const DEFAULT_SHRED_DELAY_MS = 24 * 3600 * 1000;
const PLACEHOLDER = Buffer.alloc(1);

/** Points inside a multi-step operation, for fault-injection tests (a leader killed mid-rotation). */
export type KeyAdminStep = 'kek-created';

export interface KeyAdminOptions {
  readonly group: KmGroup;
  readonly provider: RootProvider;
  readonly audit: AuditBatcher;
  /** Wall clock for leader timestamps. Default Date.now. */
  readonly clock?: () => number;
  readonly logger?: Logger;
  /** Called at each step of a multi-step operation (tests inject crashes here). */
  readonly onStep?: (step: KeyAdminStep, tenant: string) => void | Promise<void>;
}

export interface CreateTenantInput {
  readonly tenant: string;
  readonly policy: TenantPolicy;
  readonly caCertPem: string;
  /** The tenant CA's CRL (required: ADR 0003). */
  readonly caCrlPem: string;
}

export function tdkContext(tenant: string, epoch: number, kekVersion: number): WrapContext {
  return { purpose: WrapPurposes.TDK, tenant, epoch, kekVersion };
}

export function tikContext(tenant: string, kekVersion: number): WrapContext {
  return { purpose: WrapPurposes.TIK, tenant, epoch: 0, kekVersion };
}

export function masterContext(epoch: number, rootVersion: number): WrapContext {
  return { purpose: WrapPurposes.SYSTEM_MASTER, epoch, kekVersion: rootVersion };
}

export function dedupContext(rootVersion: number): WrapContext {
  return { purpose: WrapPurposes.DEDUP, epoch: 0, kekVersion: rootVersion };
}

function isTenantAdminOf(actor: Actor, tenant: string): boolean {
  return actor.role === 'tenant-admin' && actor.tenant === tenant;
}

function failed(result: Extract<KmResult, { ok: false }>): TesseraError {
  return new TesseraError(result.code, result.message);
}

export class KeyAdmin {
  readonly #group: KmGroup;
  readonly #provider: RootProvider;
  readonly #audit: AuditBatcher;
  readonly #clock: () => number;
  readonly #logger: Logger | undefined;
  readonly #onStep: KeyAdminOptions['onStep'];

  constructor(options: KeyAdminOptions) {
    this.#onStep = options.onStep;
    this.#group = options.group;
    this.#provider = options.provider;
    this.#audit = options.audit;
    this.#clock = options.clock ?? Date.now;
    this.#logger = options.logger;
  }

  /** Creates the system master key (epoch 1) and the dedup key, once. */
  async initSystem(): Promise<KmValue> {
    const state = await this.#group.read();
    if (state.system !== undefined) return { kind: 'system', epoch: state.system.currentEpoch };
    const root = this.#provider.rootKey();
    const master = await this.#fresh(root, masterContext(1, root.version));
    const dedup = await this.#fresh(root, dedupContext(root.version));
    return this.#propose(SYSTEM_ACTOR, { type: 'init-system', rootRef: root, master, dedup });
  }

  /**
   * A new system epoch. With `expectedEpoch` (the epoch the caller saw) a
   * retry after an unknown outcome is safe: when the epoch already moved one
   * past it, the rotation happened and is reported, not repeated.
   */
  async rotateSystemEpoch(actor: Actor, expectedEpoch?: number): Promise<KmValue> {
    const state = await this.#group.read();
    const current = state.system?.currentEpoch ?? 0;
    if (expectedEpoch !== undefined && actor.role === 'cluster-admin' && state.system !== undefined && current === expectedEpoch + 1) {
      return { kind: 'system', epoch: current };
    }
    const epoch = expectedEpoch ?? current;
    await this.#precheck(state, actor, { type: 'rotate-system-epoch', expectedEpoch: epoch, master: PLACEHOLDER });
    const root = state.system!.rootRef;
    const master = await this.#fresh(root, masterContext(epoch + 1, root.version));
    return this.#propose(actor, { type: 'rotate-system-epoch', expectedEpoch: epoch, master });
  }

  createTenant(actor: Actor, input: CreateTenantInput): Promise<KmValue> {
    return this.#propose(actor, { type: 'create-tenant', tenant: input.tenant, policy: input.policy, caCertPem: input.caCertPem, caCrlPem: input.caCrlPem });
  }

  /** Stops (disabled) or restores the tenant's data access on the storage nodes. */
  setTenantDisabled(actor: Actor, tenant: string, disabled: boolean): Promise<KmValue> {
    return this.#propose(actor, { type: disabled ? 'disable-tenant' : 'enable-tenant', tenant });
  }

  /** The tenant's KEK version 1, its TDK for epoch 1 and its TIK. */
  async createTenantKeys(actor: Actor, tenant: string): Promise<KmValue> {
    const state = await this.#group.read();
    const kekRef = this.#kekRef(tenant, 1);
    await this.#precheck(state, actor, { type: 'create-tenant-keys', tenant, kekRef, tdk: PLACEHOLDER, tik: PLACEHOLDER });
    await this.#provider.createKek(tenant, 1);
    const tdk = await this.#fresh(kekRef, tdkContext(tenant, 1, 1));
    const tik = await this.#fresh(kekRef, tikContext(tenant, 1));
    this.#logger?.info('tenant keys created', { tenant });
    return this.#propose(actor, { type: 'create-tenant-keys', tenant, kekRef, tdk, tik });
  }

  /**
   * A new KEK version; every TDK and the TIK are re-wrapped under it (no
   * data is re-encrypted). With `expectedKekVersion` (the version the caller
   * saw) a retry is safe: a rotation that already committed is reported, not
   * repeated, and a KEK object a failed leader created before it could
   * propose is reused (`createKek` is idempotent) — so a rotation completes
   * exactly once whoever finishes it.
   */
  async rotateKek(actor: Actor, tenant: string, expectedKekVersion?: number): Promise<KmValue> {
    const state = await this.#group.read();
    const t = state.tenants.get(tenant);
    const current = t === undefined ? undefined : currentKek(t);
    const now = current?.ref.version ?? 0;
    if (expectedKekVersion !== undefined && t !== undefined && isTenantAdminOf(actor, tenant) && t.state !== 'shredded' && now === expectedKekVersion + 1) {
      return { kind: 'tenant', tenant: tenantView(t) };
    }
    const from = expectedKekVersion ?? now;
    const epochs = t === undefined ? [] : [...t.tdks.keys()].sort((a, b) => a - b);
    const next = this.#kekRef(tenant, from + 1);
    await this.#precheck(state, actor, {
      type: 'rotate-kek',
      tenant,
      expectedKekVersion: from,
      kekRef: next,
      tdks: epochs.map((epoch) => ({ epoch, blob: PLACEHOLDER })),
      tik: PLACEHOLDER,
    });
    const record = t!;
    const old = current!.ref;
    await this.#provider.createKek(tenant, next.version);
    await this.#onStep?.('kek-created', tenant);
    const tdks: Array<{ epoch: number; blob: Buffer }> = [];
    for (const epoch of epochs) {
      const wrapped = record.tdks.get(epoch)!;
      tdks.push({ epoch, blob: await this.#rewrap(old, next, wrapped.blob, tdkContext(tenant, epoch, old.version), tdkContext(tenant, epoch, next.version)) });
    }
    const tik = await this.#rewrap(old, next, record.tik!.blob, tikContext(tenant, old.version), tikContext(tenant, next.version));
    this.#logger?.info('tenant KEK rotated', { tenant, kekVersion: next.version });
    return this.#propose(actor, { type: 'rotate-kek', tenant, expectedKekVersion: from, kekRef: next, tdks, tik });
  }

  /** A new TDK for the next tenant epoch (new writes use it); `expectedEpoch` makes a retry safe, as for `rotateKek`. */
  async newTenantEpoch(actor: Actor, tenant: string, expectedEpoch?: number): Promise<KmValue> {
    const state = await this.#group.read();
    const t = state.tenants.get(tenant);
    const kek = t === undefined ? undefined : currentKek(t);
    const now = t?.currentEpoch ?? 0;
    if (expectedEpoch !== undefined && t !== undefined && isTenantAdminOf(actor, tenant) && t.state !== 'shredded' && now === expectedEpoch + 1) {
      return { kind: 'tenant', tenant: tenantView(t) };
    }
    const epoch = expectedEpoch ?? now;
    const kekVersion = kek?.ref.version ?? 0;
    await this.#precheck(state, actor, { type: 'new-tenant-epoch', tenant, expectedEpoch: epoch, kekVersion, tdk: PLACEHOLDER });
    const tdk = await this.#fresh(kek!.ref, tdkContext(tenant, epoch + 1, kekVersion));
    return this.#propose(actor, { type: 'new-tenant-epoch', tenant, expectedEpoch: epoch, kekVersion, tdk });
  }

  requestShred(actor: Actor, tenant: string, delayMs: number = DEFAULT_SHRED_DELAY_MS): Promise<KmValue> {
    return this.#propose(actor, { type: 'request-shred', tenant, delayMs });
  }

  approveShred(actor: Actor, tenant: string): Promise<KmValue> {
    return this.#propose(actor, { type: 'approve-shred', tenant });
  }

  cancelShred(actor: Actor, tenant: string): Promise<KmValue> {
    return this.#propose(actor, { type: 'cancel-shred', tenant });
  }

  /** Leader duty: executes every scheduled shred that is due. Returns the tenants shredded. */
  async executeDueShreds(): Promise<string[]> {
    const state = await this.#group.read();
    const now = this.#clock();
    const due = [...state.tenants.values()].filter((t) => t.state === 'shred-scheduled' && t.shred !== undefined && t.shred.executeAtMs <= now).map((t) => t.id);
    const done: string[] = [];
    for (const tenant of due) {
      await this.#propose(SYSTEM_ACTOR, { type: 'execute-shred', tenant });
      this.#logger?.warn('tenant crypto-shredded', { tenant });
      done.push(tenant);
    }
    return done;
  }

  setNodePin(actor: Actor, nodeId: string, spkiSha256: Uint8Array): Promise<KmValue> {
    return this.#propose(actor, { type: 'set-node-pin', nodeId, spkiSha256: Buffer.from(spkiSha256) });
  }

  removeNode(actor: Actor, nodeId: string): Promise<KmValue> {
    return this.#propose(actor, { type: 'remove-node', nodeId });
  }

  /**
   * Replaces a tenant's CA. `actor` must be a tenant admin authenticated
   * against the tenant's current CA; the command names that CA, so it fails
   * if the CA changed in between.
   */
  async replaceTenantCa(actor: Actor, tenant: string, caCertPem: string, caCrlPem: string): Promise<KmValue> {
    const state = await this.#group.read();
    const current = state.tenants.get(tenant)?.caCertPem ?? '';
    return this.#propose(actor, { type: 'replace-tenant-ca', tenant, expectedCaSha256: caFingerprint(current), caCertPem, caCrlPem });
  }

  /** A new CRL for the tenant's current CA (revocations): a CA replacement that keeps the certificate. */
  async updateTenantCrl(actor: Actor, tenant: string, caCrlPem: string): Promise<KmValue> {
    const state = await this.#group.read();
    const current = state.tenants.get(tenant)?.caCertPem ?? '';
    return this.#propose(actor, { type: 'replace-tenant-ca', tenant, expectedCaSha256: caFingerprint(current), caCertPem: current, caCrlPem });
  }

  /** A signed head over every chain (or the selected ones), read linearizably. */
  async signedHead(select?: readonly ChainId[]): Promise<SignedAuditHead> {
    const state = await this.#group.read();
    return signHead(buildHead(state.audit, AUDIT_DOMAIN, state.lastTimestampMs, select), providerAuditSigner(this.#provider));
  }

  // ---------------------------------------------------------------- internals

  #kekRef(tenant: string, version: number): KeyRef {
    return { provider: this.#provider.kind, keyId: kekKeyId(tenant), version };
  }

  #envelope(actor: Actor, command: KmCommand): KmEnvelope {
    return { ts: this.#clock(), actor, command };
  }

  async #propose(actor: Actor, command: KmCommand): Promise<KmValue> {
    const result = await this.#group.propose(this.#envelope(actor, command));
    if (!result.ok) throw failed(result);
    return result.value;
  }

  /** Runs the command against a copy of the state; a refusal is audited and thrown before any provider work. */
  async #precheck(state: KmState, actor: Actor, command: KmCommand): Promise<void> {
    const out = new KmCore(state).apply(this.#envelope(actor, command));
    if (out.result.ok) return;
    const entry = out.audit[0]?.entry;
    if (entry !== undefined) {
      const refusal: ChainRecord = {
        chain: entry.chain,
        record: { type: entry.type, principal: entry.principal, method: entry.method, outcome: entry.outcome, reason: entry.reason, targets: entry.targets },
      };
      await this.#audit.record([refusal]).catch(() => undefined);
    }
    throw failed(out.result);
  }

  /** A fresh random key, wrapped under `ref` and wiped. */
  async #fresh(ref: KeyRef, context: WrapContext): Promise<Buffer> {
    const key = KeyMaterial.generate();
    try {
      return await this.#provider.wrap(ref, key, context);
    } finally {
      key.destroy();
    }
  }

  async #rewrap(from: KeyRef, to: KeyRef, blob: Buffer, fromContext: WrapContext, toContext: WrapContext): Promise<Buffer> {
    const key = await this.#provider.unwrap(from, blob, fromContext);
    try {
      return await this.#provider.wrap(to, key, toContext);
    } finally {
      key.destroy();
    }
  }
}
