/**
 * The `pkcs11` root provider: the root key, every tenant KEK version and the
 * Ed25519 audit key are objects in a PKCS#11 token, and every use of them
 * happens inside the token (DESIGN section 5). Tested against SoftHSM2.
 *
 * - Wrap: AES-256-GCM by `C_Encrypt` inside the token, with the wrap context
 *   (purpose ‖ tenant ‖ epoch ‖ kekVersion) as AAD and a fresh random 96-bit
 *   IV. Blob: u8 version 1 ‖ 12 IV ‖ ciphertext ‖ 16 tag. (SoftHSM2 does
 *   GCM with AAD but not AES-KWP through `C_Encrypt`, and `C_WrapKey` would
 *   need the TDK to be a token object first.)
 * - Unwrap: `C_Decrypt` with the AAD the caller expects; the tag checks every
 *   context field. The plaintext key leaves the token — the key manager hands
 *   TDKs to nodes — straight into KeyMaterial.
 * - Objects are found by label on every use (no cached handles), so a KEK
 *   another member destroyed is gone here at once: KEK_DESTROYED.
 * - Destroy is `C_DestroyObject` on every object with the KEK's label.
 * - Several members (processes, or providers in one process) share a token;
 *   opening retries transient failures (SoftHSM2's file store can briefly
 *   hide a token, or fail a login, while another process writes it) but
 *   never retries a wrong PIN (a real HSM may lock the user after a few).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCodes, isTesseraError, type TesseraError } from '@tessera/common';
import { KeyMaterial, zeroize, type WrapContext } from '@tessera/crypto';
import { kekDestroyed, kmError, providerConfig, providerUnavailable } from '../../errors.js';
import { AUDIT_KEY_ID, ROOT_KEY_ID, checkKeyRef, kekKeyId, kekTenant, type KeyRef } from '../../key-ref.js';
import { checkContextForKey, encodeWrapAad } from '../../wrap-context.js';
import type { ProviderHealth, RootProvider } from '../types.js';
import { acquireModule, pkcs11js, reinitialise, type ModuleLease, type Pkcs11Module } from './module.js';

export const PKCS11_PROVIDER = 'pkcs11';

/** Mechanisms and types pkcs11js 2.1.7 has no constants for (PKCS#11 3.0 values). */
export const CKK_EC_EDWARDS = 0x40;
export const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
export const CKM_EDDSA = 0x1057;
/** DER of the Ed25519 curve OID 1.3.101.112 (CKA_EC_PARAMS). */
const ED25519_PARAMS = Buffer.from('06032b6570', 'hex');

const BLOB_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const BLOB_BYTES = 1 + IV_BYTES + KEY_BYTES + TAG_BYTES;
const ROOT_VERSION = 1;
const AUDIT_VERSION = 1;

export interface Pkcs11ProviderOptions {
  /** Path of the PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so). */
  readonly library: string;
  readonly tokenLabel: string;
  /** The token's user PIN. */
  readonly pin: string;
  /** Prefix of every object label, so several clusters can share one token. Default `tessera`. */
  readonly labelPrefix?: string;
  /** Attempts to open the token before giving up. Default 20. */
  readonly openAttempts?: number;
}

export interface Pkcs11Init {
  readonly rootKey: KeyRef;
  readonly auditKey: KeyRef;
  readonly auditPublicKey: Buffer;
  /** False when the objects already existed. */
  readonly created: boolean;
}

type Handle = Buffer;

function ckr(err: unknown): string {
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && message.startsWith('CKR_') ? message : 'CKR_UNKNOWN';
}

const SESSION_LOST = new Set(['CKR_SESSION_HANDLE_INVALID', 'CKR_SESSION_CLOSED', 'CKR_USER_NOT_LOGGED_IN', 'CKR_DEVICE_REMOVED', 'CKR_TOKEN_NOT_PRESENT', 'CKR_CRYPTOKI_NOT_INITIALIZED']);
const NEVER_RETRY = new Set(['CKR_PIN_INCORRECT', 'CKR_PIN_LOCKED', 'CKR_PIN_EXPIRED']);

export class Pkcs11RootProvider implements RootProvider {
  readonly kind = PKCS11_PROVIDER;
  readonly shareable = true;
  readonly #options: Required<Pkcs11ProviderOptions>;
  readonly #lease: ModuleLease;
  #session: Handle;
  #auditPublic: Buffer | undefined;
  #closed = false;

  private constructor(options: Required<Pkcs11ProviderOptions>, lease: ModuleLease, session: Handle) {
    this.#options = options;
    this.#lease = lease;
    this.#session = session;
  }

  /** Opens a provider on a token that `init` prepared; refuses one without root and audit keys. */
  static async open(options: Pkcs11ProviderOptions): Promise<Pkcs11RootProvider> {
    const provider = await Pkcs11RootProvider.#connect(options);
    try {
      provider.#findOne(provider.#lib().CKO_SECRET_KEY, provider.#label(ROOT_KEY_ID, ROOT_VERSION), () =>
        kmError(ErrorCodes.KM_NOT_INITIALIZED, 'the token holds no root key (run `tessera keymanager init`)'),
      );
      provider.#findOne(provider.#lib().CKO_PRIVATE_KEY, provider.#label(AUDIT_KEY_ID, AUDIT_VERSION), () =>
        kmError(ErrorCodes.KM_NOT_INITIALIZED, 'the token holds no audit key (run `tessera keymanager init`)'),
      );
      return provider;
    } catch (err) {
      await provider.close();
      throw err;
    }
  }

  /** `tessera keymanager init` for a token: creates the root key and the audit key pair unless present. */
  static async init(options: Pkcs11ProviderOptions): Promise<Pkcs11Init> {
    const provider = await Pkcs11RootProvider.#connect(options);
    try {
      const lib = provider.#lib();
      let created = false;
      const rootLabel = provider.#label(ROOT_KEY_ID, ROOT_VERSION);
      if (provider.#find(lib.CKO_SECRET_KEY, rootLabel).length === 0) {
        provider.#generateAes(rootLabel);
        created = true;
      }
      const auditLabel = provider.#label(AUDIT_KEY_ID, AUDIT_VERSION);
      if (provider.#find(lib.CKO_PRIVATE_KEY, auditLabel).length === 0) {
        provider.#generateEd25519(auditLabel);
        created = true;
      }
      return { rootKey: provider.rootKey(), auditKey: provider.auditKey(), auditPublicKey: await provider.auditPublicKey(), created };
    } finally {
      await provider.close();
    }
  }

  static async #connect(options: Pkcs11ProviderOptions): Promise<Pkcs11RootProvider> {
    const full: Required<Pkcs11ProviderOptions> = { labelPrefix: 'tessera', openAttempts: 20, ...options };
    if (!/^[a-z0-9][a-z0-9_.-]{0,31}$/.test(full.labelPrefix)) throw providerConfig('labelPrefix must be 1-32 characters of [a-z0-9_.-]');
    const lease = acquireModule(full.library);
    let lastError: unknown;
    for (let attempt = 1; attempt <= full.openAttempts; attempt++) {
      try {
        const session = openSession(lease.module, full.tokenLabel, full.pin);
        return new Pkcs11RootProvider(full, lease, session);
      } catch (err) {
        lastError = err;
        if (NEVER_RETRY.has(ckr(err))) {
          lease.release();
          throw providerConfig('the token refused the PIN', err);
        }
        if ((err as { tokenMissing?: boolean }).tokenMissing === true) {
          try {
            reinitialise(lease);
          } catch {
            // Retried below.
          }
        }
        await delay(Math.min(25 * attempt, 200));
      }
    }
    lease.release();
    throw providerUnavailable('the PKCS#11 token could not be opened', lastError);
  }

  rootKey(): KeyRef {
    return { provider: PKCS11_PROVIDER, keyId: ROOT_KEY_ID, version: ROOT_VERSION };
  }

  auditKey(): KeyRef {
    return { provider: PKCS11_PROVIDER, keyId: AUDIT_KEY_ID, version: AUDIT_VERSION };
  }

  async createKek(tenant: string, version: number): Promise<KeyRef> {
    const ref: KeyRef = { provider: PKCS11_PROVIDER, keyId: kekKeyId(tenant), version };
    checkKeyRef(ref);
    const label = this.#label(ref.keyId, version);
    this.#call(() => {
      if (this.#find(this.#lib().CKO_SECRET_KEY, label).length === 0) this.#generateAes(label);
    });
    return ref;
  }

  async destroyKek(ref: KeyRef): Promise<void> {
    this.#checkKek(ref);
    const label = this.#label(ref.keyId, ref.version);
    this.#call(() => {
      for (const handle of this.#find(this.#lib().CKO_SECRET_KEY, label)) {
        try {
          this.#module().C_DestroyObject(this.#session, handle);
        } catch (err) {
          // Another member destroyed it between our find and our destroy: the goal is reached.
          if (ckr(err) !== 'CKR_OBJECT_HANDLE_INVALID') throw err;
        }
      }
    });
  }

  async listKekVersions(tenant: string): Promise<number[]> {
    const prefix = `${this.#options.labelPrefix}/${kekKeyId(tenant)}/v`;
    const lib = this.#lib();
    return this.#call(() => {
      const versions: number[] = [];
      for (const handle of this.#find(lib.CKO_SECRET_KEY)) {
        let label: string;
        try {
          label = this.#module().C_GetAttributeValue(this.#session, handle, [{ type: lib.CKA_LABEL }])[0]?.value.toString('utf8') ?? '';
        } catch {
          continue; // destroyed meanwhile
        }
        if (!label.startsWith(prefix)) continue;
        const version = Number(label.slice(prefix.length));
        if (Number.isInteger(version) && version >= 1) versions.push(version);
      }
      return [...new Set(versions)].sort((a, b) => a - b);
    });
  }

  async wrap(ref: KeyRef, key: KeyMaterial, context: WrapContext): Promise<Buffer> {
    checkContextForKey(ref, context);
    const aad = encodeWrapAad(context);
    return this.#call(() => {
      const handles = this.#wrappingKeys(ref);
      if (handles.length !== 1) throw providerConfig('the token holds more than one object for this key');
      const iv = randomBytes(IV_BYTES);
      const mod = this.#module();
      mod.C_EncryptInit(this.#session, { mechanism: this.#lib().CKM_AES_GCM, parameter: this.#gcm(iv, aad) }, handles[0]!);
      const sealed = mod.C_Encrypt(this.#session, key.expose(), Buffer.alloc(KEY_BYTES + TAG_BYTES));
      if (sealed.length !== KEY_BYTES + TAG_BYTES) throw kmError(ErrorCodes.CRYPTO_WRAP_FAILED, 'key wrap failed');
      return Buffer.concat([Buffer.from([BLOB_VERSION]), iv, sealed]);
    });
  }

  async unwrap(ref: KeyRef, wrapped: Uint8Array, context: WrapContext): Promise<KeyMaterial> {
    checkContextForKey(ref, context);
    const blob = Buffer.from(wrapped);
    if (blob.length !== BLOB_BYTES || blob[0] !== BLOB_VERSION) throw unwrapFailed();
    const iv = blob.subarray(1, 1 + IV_BYTES);
    const sealed = blob.subarray(1 + IV_BYTES);
    const aad = encodeWrapAad(context);
    return this.#call(() => {
      const handles = this.#wrappingKeys(ref);
      const mod = this.#module();
      // Normally one object; if a retried create left two, the tag tells which one wrapped this blob.
      for (const handle of handles) {
        const out = Buffer.alloc(KEY_BYTES + TAG_BYTES);
        try {
          mod.C_DecryptInit(this.#session, { mechanism: this.#lib().CKM_AES_GCM, parameter: this.#gcm(iv, aad) }, handle);
          const plain = mod.C_Decrypt(this.#session, sealed, out);
          if (plain.length === KEY_BYTES) return KeyMaterial.fromBytes(plain);
        } catch (err) {
          if (SESSION_LOST.has(ckr(err))) throw err;
        } finally {
          zeroize(out);
        }
      }
      throw unwrapFailed();
    });
  }

  async auditPublicKey(): Promise<Buffer> {
    if (this.#auditPublic === undefined) {
      const lib = this.#lib();
      this.#auditPublic = this.#call(() => {
        const handle = this.#findOne(lib.CKO_PUBLIC_KEY, this.#label(AUDIT_KEY_ID, AUDIT_VERSION), () =>
          kmError(ErrorCodes.KM_NOT_INITIALIZED, 'the token holds no audit public key'),
        );
        const point = this.#module().C_GetAttributeValue(this.#session, handle, [{ type: lib.CKA_EC_POINT }])[0]?.value;
        return rawEdwardsPoint(point);
      });
    }
    return Buffer.from(this.#auditPublic);
  }

  async signAudit(message: Uint8Array): Promise<Buffer> {
    const lib = this.#lib();
    return this.#call(() => {
      const handle = this.#findOne(lib.CKO_PRIVATE_KEY, this.#label(AUDIT_KEY_ID, AUDIT_VERSION), () =>
        kmError(ErrorCodes.KM_NOT_INITIALIZED, 'the token holds no audit key'),
      );
      this.#module().C_SignInit(this.#session, { mechanism: CKM_EDDSA }, handle);
      return Buffer.from(this.#module().C_Sign(this.#session, Buffer.from(message), Buffer.alloc(64)));
    });
  }

  async health(): Promise<ProviderHealth> {
    try {
      this.#call(() => {
        this.#module().C_GetSessionInfo(this.#session);
        this.#findOne(this.#lib().CKO_SECRET_KEY, this.#label(ROOT_KEY_ID, ROOT_VERSION), () => kmError(ErrorCodes.KM_NOT_INITIALIZED, 'root key missing'));
      });
      return { ok: true, provider: this.kind };
    } catch (err) {
      const code = (err as { code?: string }).code;
      return { ok: false, provider: this.kind, reason: code === ErrorCodes.KM_NOT_INITIALIZED ? 'root-key-missing' : 'token-unavailable' };
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      // No C_Logout: login state is per application and other providers in this process may share it.
      this.#module().C_CloseSession(this.#session);
    } catch {
      // The session is already gone.
    }
    this.#lease.release();
  }

  // ---------------------------------------------------------------- internals

  #lib(): ReturnType<typeof pkcs11js> {
    return pkcs11js();
  }

  #module(): Pkcs11Module {
    return this.#lease.module;
  }

  #label(keyId: string, version: number): string {
    return `${this.#options.labelPrefix}/${keyId}/v${version}`;
  }

  #gcm(iv: Buffer, aad: Buffer): { type: number; iv: Buffer; aad: Buffer; ivBits: number; tagBits: number } {
    return { type: this.#lib().CK_PARAMS_AES_GCM, iv, aad, ivBits: IV_BYTES * 8, tagBits: TAG_BYTES * 8 };
  }

  #checkKek(ref: KeyRef): void {
    checkKeyRef(ref);
    if (ref.provider !== PKCS11_PROVIDER || kekTenant(ref) === undefined) throw providerConfig('not a KEK of this provider');
  }

  /** Handles of the root key or a KEK; a missing KEK is KEK_DESTROYED. */
  #wrappingKeys(ref: KeyRef): Handle[] {
    checkKeyRef(ref);
    if (ref.provider !== PKCS11_PROVIDER) throw providerConfig('key reference belongs to another provider');
    const handles = this.#find(this.#lib().CKO_SECRET_KEY, this.#label(ref.keyId, ref.version));
    if (handles.length > 0) return handles;
    if (ref.keyId === ROOT_KEY_ID) throw kmError(ErrorCodes.KM_KEY_NOT_FOUND, 'the token holds no such root key');
    throw kekDestroyed();
  }

  #find(objectClass: number, label?: string): Handle[] {
    const lib = this.#lib();
    const mod = this.#module();
    const template: Array<{ type: number; value: number | string | boolean }> = [
      { type: lib.CKA_CLASS, value: objectClass },
      { type: lib.CKA_TOKEN, value: true },
    ];
    if (label !== undefined) template.push({ type: lib.CKA_LABEL, value: label });
    mod.C_FindObjectsInit(this.#session, template);
    try {
      const found: Handle[] = [];
      for (;;) {
        const batch = mod.C_FindObjects(this.#session, 64);
        if (batch.length === 0) return found;
        found.push(...batch);
      }
    } finally {
      mod.C_FindObjectsFinal(this.#session);
    }
  }

  #findOne(objectClass: number, label: string, missing: () => TesseraError): Handle {
    const handles = this.#find(objectClass, label);
    if (handles.length === 0) throw missing();
    if (handles.length > 1) throw providerConfig('the token holds more than one object for this key');
    return handles[0]!;
  }

  #generateAes(label: string): void {
    const lib = this.#lib();
    this.#module().C_GenerateKey(this.#session, { mechanism: lib.CKM_AES_KEY_GEN }, [
      { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
      { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
      { type: lib.CKA_VALUE_LEN, value: KEY_BYTES },
      { type: lib.CKA_TOKEN, value: true },
      { type: lib.CKA_PRIVATE, value: true },
      { type: lib.CKA_SENSITIVE, value: true },
      { type: lib.CKA_EXTRACTABLE, value: false },
      { type: lib.CKA_ENCRYPT, value: true },
      { type: lib.CKA_DECRYPT, value: true },
      { type: lib.CKA_WRAP, value: false },
      { type: lib.CKA_UNWRAP, value: false },
      { type: lib.CKA_SIGN, value: false },
      { type: lib.CKA_VERIFY, value: false },
      { type: lib.CKA_DERIVE, value: false },
      { type: lib.CKA_LABEL, value: label },
      { type: lib.CKA_ID, value: Buffer.from(label, 'utf8') },
    ]);
  }

  #generateEd25519(label: string): void {
    const lib = this.#lib();
    const id = Buffer.from(label, 'utf8');
    this.#module().C_GenerateKeyPair(
      this.#session,
      { mechanism: CKM_EC_EDWARDS_KEY_PAIR_GEN },
      [
        { type: lib.CKA_CLASS, value: lib.CKO_PUBLIC_KEY },
        { type: lib.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
        { type: lib.CKA_TOKEN, value: true },
        { type: lib.CKA_EC_PARAMS, value: ED25519_PARAMS },
        { type: lib.CKA_VERIFY, value: true },
        { type: lib.CKA_LABEL, value: label },
        { type: lib.CKA_ID, value: id },
      ],
      [
        { type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY },
        { type: lib.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
        { type: lib.CKA_TOKEN, value: true },
        { type: lib.CKA_PRIVATE, value: true },
        { type: lib.CKA_SENSITIVE, value: true },
        { type: lib.CKA_EXTRACTABLE, value: false },
        { type: lib.CKA_SIGN, value: true },
        { type: lib.CKA_LABEL, value: label },
        { type: lib.CKA_ID, value: id },
      ],
    );
  }

  /**
   * Runs a token operation; a lost session is reopened once. Token errors
   * become KM_PROVIDER_UNAVAILABLE (retriable); our own TesseraErrors pass through.
   */
  #call<T>(op: () => T): T {
    if (this.#closed) throw providerUnavailable('root provider is closed');
    try {
      return op();
    } catch (err) {
      if (isTesseraError(err)) throw err;
      if (!SESSION_LOST.has(ckr(err))) throw providerUnavailable('the PKCS#11 token failed an operation', err);
    }
    try {
      this.#session = openSession(this.#module(), this.#options.tokenLabel, this.#options.pin);
      return op();
    } catch (err) {
      if (isTesseraError(err)) throw err;
      throw providerUnavailable('the PKCS#11 token failed an operation', err);
    }
  }
}

function unwrapFailed(): TesseraError {
  return kmError(ErrorCodes.CRYPTO_UNWRAP_FAILED, 'key unwrap failed');
}

/** Opens a read-write session on the token labelled `tokenLabel` and logs the user in. */
function openSession(mod: Pkcs11Module, tokenLabel: string, pin: string): Handle {
  const lib = pkcs11js();
  const slot = mod.C_GetSlotList(true).find((s) => {
    try {
      return mod.C_GetTokenInfo(s).label.trim() === tokenLabel;
    } catch {
      return false;
    }
  });
  if (slot === undefined) throw Object.assign(new Error('token not found'), { tokenMissing: true });
  const session = mod.C_OpenSession(slot, lib.CKF_RW_SESSION | lib.CKF_SERIAL_SESSION);
  try {
    mod.C_Login(session, lib.CKU_USER, pin);
  } catch (err) {
    if (ckr(err) !== 'CKR_USER_ALREADY_LOGGED_IN') {
      try {
        mod.C_CloseSession(session);
      } catch {
        // Closing a half-open session may fail too.
      }
      throw err;
    }
  }
  return session;
}

/** CKA_EC_POINT of an Ed25519 key: the 32-byte point, raw or wrapped in a DER OCTET STRING (04 20 ...). */
function rawEdwardsPoint(point: Buffer | undefined): Buffer {
  if (point?.length === 32) return Buffer.from(point);
  if (point?.length === 34 && point[0] === 0x04 && point[1] === 0x20) return Buffer.from(point.subarray(2));
  throw providerUnavailable('the token returned a malformed Ed25519 public key');
}
