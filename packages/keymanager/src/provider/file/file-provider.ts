/**
 * The `file` root provider: a keyring folder of 0600 key files (DESIGN
 * section 5), for development and one-member key managers.
 *
 * - The root key and the audit key are loaded at open and held in memory
 *   (KeyMaterial / a private KeyObject); a KEK is read from its file for each
 *   use and wiped right after, so destroying the file takes effect at once.
 * - Opening checks the folder (0700, owner), every file (regular, 0600,
 *   owner), that the keyring lies outside every data dir, shreds temp files
 *   a crash left behind, and loads the root and audit keys.
 * - Wrapping is @tessera/crypto's context-bound AES-KWP.
 * - Create and destroy are serialised, so two callers never race on a name.
 */
import { randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';
import { ErrorCodes } from '@tessera/common';
import { ed25519PrivateKeyFromSeed, rawEd25519PublicKey } from '@tessera/audit';
import { KeyMaterial, unwrapKey, wrapKey, zeroize, type WrapContext } from '@tessera/crypto';
import { kekDestroyed, kmError, providerConfig } from '../../errors.js';
import { AUDIT_KEY_ID, ROOT_KEY_ID, checkKeyRef, kekKeyId, kekTenant, type KeyRef } from '../../key-ref.js';
import { checkContextForKey } from '../../wrap-context.js';
import type { ProviderHealth, RootProvider } from '../types.js';
import { KeyFileKinds, decodeKeyFile, encodeKeyFile, keyFileName, parseKekFileName, type KeyFileHeader } from './key-file.js';
import {
  checkKeyringDir,
  checkKeyringEntries,
  checkOutsideDataDirs,
  isTempName,
  readKeyFile,
  shredFile,
  writeKeyFileAtomic,
  type ShredObserver,
} from './keyring-fs.js';
import { mkdir, readdir } from 'node:fs/promises';

export const FILE_PROVIDER = 'file';
const ROOT_VERSION = 1;
const AUDIT_VERSION = 1;

export interface FileProviderOptions {
  /** The keyring folder. */
  readonly dir: string;
  /** Data dirs of this process: the keyring must lie outside every one. */
  readonly dataDirs?: readonly string[];
  /** Owner every keyring entry must have; default this process's uid. */
  readonly uid?: number;
  /** Test hook: sees each step of a KEK's destruction. */
  readonly onShredStep?: ShredObserver;
}

export interface FileKeyringInit {
  readonly rootKey: KeyRef;
  readonly auditKey: KeyRef;
  /** Raw Ed25519 public key of the audit key (what tenant admins verify heads with). */
  readonly auditPublicKey: Buffer;
}

function processUid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : 0;
}

/**
 * `tessera keymanager init` for the file provider: creates the keyring
 * folder (0700) with a fresh root key and audit key. Refuses a folder that
 * already holds anything.
 */
export async function initFileKeyring(options: Pick<FileProviderOptions, 'dir' | 'dataDirs'>): Promise<FileKeyringInit> {
  await mkdir(options.dir, { recursive: false, mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw providerConfig('cannot create the keyring folder', err);
  });
  const owner = { uid: processUid() };
  await checkKeyringDir(options.dir, owner);
  if ((await readdir(options.dir)).length > 0) throw providerConfig('the keyring folder is not empty (already initialised?)');
  await checkOutsideDataDirs(options.dir, options.dataDirs ?? []);
  const root = KeyMaterial.generate();
  const seed = randomBytes(32);
  try {
    await writeKey(options.dir, { kind: KeyFileKinds.ROOT, tenant: '', version: ROOT_VERSION }, root.expose());
    await writeKey(options.dir, { kind: KeyFileKinds.AUDIT, tenant: '', version: AUDIT_VERSION }, seed);
    const auditPublicKey = rawEd25519PublicKey(ed25519PrivateKeyFromSeed(seed));
    return { rootKey: rootRef(), auditKey: auditRef(), auditPublicKey };
  } finally {
    root.destroy();
    zeroize(seed);
  }
}

async function writeKey(dir: string, header: KeyFileHeader, key: Uint8Array): Promise<void> {
  const bytes = encodeKeyFile(header, key);
  try {
    await writeKeyFileAtomic(dir, keyFileName(header), bytes);
  } finally {
    zeroize(bytes);
  }
}

function rootRef(): KeyRef {
  return { provider: FILE_PROVIDER, keyId: ROOT_KEY_ID, version: ROOT_VERSION };
}

function auditRef(): KeyRef {
  return { provider: FILE_PROVIDER, keyId: AUDIT_KEY_ID, version: AUDIT_VERSION };
}

export class FileRootProvider implements RootProvider {
  readonly kind = FILE_PROVIDER;
  readonly shareable = false;
  readonly #dir: string;
  readonly #owner: { uid: number };
  readonly #onShredStep: ShredObserver | undefined;
  readonly #root: KeyMaterial;
  readonly #auditKey: KeyObject;
  readonly #auditPublic: Buffer;
  /** Serialises create and destroy. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(dir: string, owner: { uid: number }, root: KeyMaterial, auditKey: KeyObject, onShredStep: ShredObserver | undefined) {
    this.#dir = dir;
    this.#owner = owner;
    this.#root = root;
    this.#auditKey = auditKey;
    this.#auditPublic = rawEd25519PublicKey(auditKey);
    this.#onShredStep = onShredStep;
  }

  static async open(options: FileProviderOptions): Promise<FileRootProvider> {
    const owner = { uid: options.uid ?? processUid() };
    await checkKeyringDir(options.dir, owner);
    await checkOutsideDataDirs(options.dir, options.dataDirs ?? []);
    const names = await checkKeyringEntries(options.dir, owner);
    for (const name of names.filter(isTempName)) await shredFile(options.dir, name);
    const rootBytes = await loadKey(options.dir, { kind: KeyFileKinds.ROOT, tenant: '', version: ROOT_VERSION }, owner);
    const seed = await loadKey(options.dir, { kind: KeyFileKinds.AUDIT, tenant: '', version: AUDIT_VERSION }, owner);
    try {
      return new FileRootProvider(options.dir, owner, KeyMaterial.fromBytes(rootBytes), ed25519PrivateKeyFromSeed(seed), options.onShredStep);
    } finally {
      zeroize(rootBytes);
      zeroize(seed);
    }
  }

  rootKey(): KeyRef {
    return rootRef();
  }

  auditKey(): KeyRef {
    return auditRef();
  }

  async createKek(tenant: string, version: number): Promise<KeyRef> {
    const ref: KeyRef = { provider: FILE_PROVIDER, keyId: kekKeyId(tenant), version };
    checkKeyRef(ref);
    return this.#serial(async () => {
      this.#assertOpen();
      const header = { kind: KeyFileKinds.KEK, tenant, version } as const;
      const existing = await readKeyFile(this.#dir, keyFileName(header), this.#owner);
      if (existing !== undefined) {
        // Idempotent: a retried rotation reuses the KEK it created before (checked, then wiped).
        zeroize(decodeKeyFile(existing, header));
        zeroize(existing);
        return ref;
      }
      const kek = KeyMaterial.generate();
      try {
        await writeKey(this.#dir, header, kek.expose());
      } finally {
        kek.destroy();
      }
      return ref;
    });
  }

  async destroyKek(ref: KeyRef): Promise<void> {
    const tenant = this.#kekTenant(ref);
    await this.#serial(() => shredFile(this.#dir, keyFileName({ kind: KeyFileKinds.KEK, tenant, version: ref.version }), this.#onShredStep));
  }

  async listKekVersions(tenant: string): Promise<number[]> {
    kekKeyId(tenant);
    const versions: number[] = [];
    for (const name of await readdir(this.#dir)) {
      const parsed = parseKekFileName(name);
      if (parsed !== undefined && parsed.tenant === tenant) versions.push(parsed.version);
    }
    return versions.sort((a, b) => a - b);
  }

  async wrap(ref: KeyRef, key: KeyMaterial, context: WrapContext): Promise<Buffer> {
    checkContextForKey(ref, context);
    return this.#withKey(ref, (wrapping) => wrapKey(wrapping, key, context));
  }

  async unwrap(ref: KeyRef, wrapped: Uint8Array, context: WrapContext): Promise<KeyMaterial> {
    checkContextForKey(ref, context);
    return this.#withKey(ref, (wrapping) => unwrapKey(wrapping, wrapped, context));
  }

  async auditPublicKey(): Promise<Buffer> {
    return Buffer.from(this.#auditPublic);
  }

  async signAudit(message: Uint8Array): Promise<Buffer> {
    this.#assertOpen();
    return nodeSign(null, message, this.#auditKey);
  }

  async health(): Promise<ProviderHealth> {
    try {
      this.#assertOpen();
      await checkKeyringDir(this.#dir, this.#owner);
      await checkKeyringEntries(this.#dir, this.#owner);
      return { ok: true, provider: this.kind };
    } catch (err) {
      return { ok: false, provider: this.kind, reason: (err as { code?: string }).code === ErrorCodes.KM_KEYRING_INSECURE ? 'keyring-insecure' : 'keyring-unavailable' };
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => undefined);
    this.#root.destroy();
  }

  #assertOpen(): void {
    if (this.#closed) throw kmError(ErrorCodes.KM_PROVIDER_UNAVAILABLE, 'root provider is closed');
  }

  #kekTenant(ref: KeyRef): string {
    checkKeyRef(ref);
    const tenant = kekTenant(ref);
    if (ref.provider !== FILE_PROVIDER || tenant === undefined) throw providerConfig('not a KEK of this provider');
    return tenant;
  }

  /** Runs `use` with the wrapping key named by `ref`: the root key, or a KEK read from its file and wiped afterwards. */
  async #withKey<T>(ref: KeyRef, use: (key: KeyMaterial) => T): Promise<T> {
    this.#assertOpen();
    checkKeyRef(ref);
    if (ref.provider !== FILE_PROVIDER) throw providerConfig('key reference belongs to another provider');
    if (ref.keyId === ROOT_KEY_ID) {
      if (ref.version !== ROOT_VERSION) throw kmError(ErrorCodes.KM_KEY_NOT_FOUND, 'unknown root key version');
      return use(this.#root);
    }
    const tenant = this.#kekTenant(ref);
    const header = { kind: KeyFileKinds.KEK, tenant, version: ref.version } as const;
    const bytes = await readKeyFile(this.#dir, keyFileName(header), this.#owner);
    if (bytes === undefined) throw kekDestroyed();
    let kek: KeyMaterial | undefined;
    try {
      const raw = decodeKeyFile(bytes, header);
      kek = KeyMaterial.fromBytes(raw);
      zeroize(raw);
      return use(kek);
    } finally {
      zeroize(bytes);
      kek?.destroy();
    }
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

async function loadKey(dir: string, header: KeyFileHeader, owner: { uid: number }): Promise<Buffer> {
  const bytes = await readKeyFile(dir, keyFileName(header), owner);
  if (bytes === undefined) throw kmError(ErrorCodes.KM_NOT_INITIALIZED, 'keyring is missing its root or audit key (run `tessera keymanager init`)');
  try {
    return decodeKeyFile(bytes, header);
  } finally {
    zeroize(bytes);
  }
}
