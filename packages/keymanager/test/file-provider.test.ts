import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { KeyMaterial, WrapPurposes } from '@tessera/crypto';
import {
  FileRootProvider,
  assertProviderFitsMembers,
  initFileKeyring,
  tdkContext,
  tikContext,
  validateProvider,
  type ShredStep,
} from '../src/index.js';

const dirs = tempDirs('tessera-km-file-');
afterAll(() => dirs.cleanup());

async function keyring(): Promise<string> {
  const dir = join(await dirs.make('kr'), 'keyring');
  await initFileKeyring({ dir });
  return dir;
}

function code(err: unknown): string | undefined {
  return (err as { code?: string }).code;
}

describe('file root provider', () => {
  it('init creates a 0700 folder of 0600 key files and refuses to run twice', async () => {
    const dir = join(await dirs.make('kr'), 'keyring');
    const init = await initFileKeyring({ dir });
    expect(init.rootKey).toEqual({ provider: 'file', keyId: 'root', version: 1 });
    expect(init.auditPublicKey).toHaveLength(32);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['audit-v1.key', 'root-v1.key']);
    for (const name of names) expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    await expect(initFileKeyring({ dir })).rejects.toMatchObject({ code: ErrorCodes.KM_PROVIDER_CONFIG });
  });

  it('passes the start-up round trip and signs with the audit key', async () => {
    const provider = await FileRootProvider.open({ dir: await keyring() });
    await expect(validateProvider(provider)).resolves.toBeUndefined();
    expect(await provider.health()).toEqual({ ok: true, provider: 'file' });
    await provider.close();
  });

  it('refuses to start on a wrong mode of the folder or of any key file', async () => {
    const dir = await keyring();
    await chmod(join(dir, 'root-v1.key'), 0o640);
    await expect(FileRootProvider.open({ dir })).rejects.toMatchObject({ code: ErrorCodes.KM_KEYRING_INSECURE });
    await chmod(join(dir, 'root-v1.key'), 0o600);
    await chmod(dir, 0o750);
    await expect(FileRootProvider.open({ dir })).rejects.toMatchObject({ code: ErrorCodes.KM_KEYRING_INSECURE });
    await chmod(dir, 0o700);
    await expect(FileRootProvider.open({ dir })).resolves.toBeInstanceOf(FileRootProvider);
  });

  it('refuses to start when the owner is not the expected user', async () => {
    const dir = await keyring();
    const uid = (await stat(dir)).uid;
    await expect(FileRootProvider.open({ dir, uid: uid + 1 })).rejects.toMatchObject({ code: ErrorCodes.KM_KEYRING_INSECURE });
  });

  it('refuses a keyring inside a data dir', async () => {
    const data = await dirs.make('data');
    const dir = join(data, 'keyring');
    await expect(initFileKeyring({ dir, dataDirs: [data] })).rejects.toMatchObject({ code: ErrorCodes.KM_PROVIDER_CONFIG });
    const outside = await keyring();
    await expect(FileRootProvider.open({ dir: outside, dataDirs: [join(outside, '..')] })).rejects.toMatchObject({ code: ErrorCodes.KM_PROVIDER_CONFIG });
    await expect(FileRootProvider.open({ dir: outside, dataDirs: [data] })).resolves.toBeInstanceOf(FileRootProvider);
  });

  it('refuses a missing or damaged root key', async () => {
    const empty = join(await dirs.make('kr'), 'none');
    await expect(FileRootProvider.open({ dir: empty })).rejects.toMatchObject({ code: ErrorCodes.KM_NOT_INITIALIZED });
    const dir = await keyring();
    const file = join(dir, 'root-v1.key');
    const bytes = await readFile(file);
    bytes[bytes.length - 12]! ^= 1;
    await writeFile(file, bytes);
    await expect(FileRootProvider.open({ dir })).rejects.toMatchObject({ code: ErrorCodes.KM_PROVIDER_CONFIG });
  });

  it('wraps tenant keys under a KEK bound to their context', async () => {
    const provider = await FileRootProvider.open({ dir: await keyring() });
    const kek = await provider.createKek('acme', 1);
    const tdk = KeyMaterial.generate();
    const blob = await provider.wrap(kek, tdk, tdkContext('acme', 3, 1));
    const back = await provider.unwrap(kek, blob, tdkContext('acme', 3, 1));
    expect(back.expose().equals(tdk.expose())).toBe(true);
    // Another epoch, purpose, tenant or version: refused.
    await expect(provider.unwrap(kek, blob, tdkContext('acme', 4, 1))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_UNWRAP_FAILED });
    await expect(provider.unwrap(kek, blob, tikContext('acme', 1))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_UNWRAP_FAILED });
    await expect(provider.unwrap(kek, blob, tdkContext('acme', 3, 2))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_WRAP_FAILED });
    await expect(provider.wrap(kek, tdk, tdkContext('other', 3, 1))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_WRAP_FAILED });
    // System keys only under the root key.
    await expect(provider.wrap(kek, tdk, { purpose: WrapPurposes.SYSTEM_MASTER, epoch: 1, kekVersion: 1 })).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_WRAP_FAILED });
    await expect(provider.wrap(provider.rootKey(), tdk, tdkContext('acme', 1, 1))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_WRAP_FAILED });
  });

  it('creates KEKs idempotently and lists their versions', async () => {
    const dir = await keyring();
    const provider = await FileRootProvider.open({ dir });
    await provider.createKek('acme', 1);
    const key = KeyMaterial.generate();
    const blob = await provider.wrap({ provider: 'file', keyId: 'kek/acme', version: 1 }, key, tikContext('acme', 1));
    await provider.createKek('acme', 1); // a retry: the same KEK
    await expect(provider.unwrap({ provider: 'file', keyId: 'kek/acme', version: 1 }, blob, tikContext('acme', 1))).resolves.toBeInstanceOf(KeyMaterial);
    await provider.createKek('acme', 2);
    await provider.createKek('acme-2', 1);
    expect(await provider.listKekVersions('acme')).toEqual([1, 2]);
    expect((await stat(join(dir, 'kek-acme-v2.key'))).mode & 0o777).toBe(0o600);
  });

  it('destroys a KEK by overwrite, fsync, unlink, folder fsync; then unwrap is KEK_DESTROYED', async () => {
    const dir = await keyring();
    const steps: ShredStep[] = [];
    const provider = await FileRootProvider.open({ dir, onShredStep: (step) => steps.push(step) });
    const kek = await provider.createKek('acme', 1);
    const blob = await provider.wrap(kek, KeyMaterial.generate(), tikContext('acme', 1));
    await provider.destroyKek(kek);
    expect(steps).toEqual(['overwrite', 'fsync', 'unlink', 'fsync-dir']);
    expect(await readdir(dir)).not.toContain('kek-acme-v1.key');
    await expect(provider.unwrap(kek, blob, tikContext('acme', 1))).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    await expect(provider.destroyKek(kek)).resolves.toBeUndefined(); // idempotent
    expect(steps).toHaveLength(4);
  });

  it('shreds temp files a crash left behind', async () => {
    const dir = await keyring();
    await writeFile(join(dir, '.tmp-deadbeef'), Buffer.alloc(40, 7), { mode: 0o600 });
    await FileRootProvider.open({ dir });
    expect(await readdir(dir)).not.toContain('.tmp-deadbeef');
  });

  it('serves a one-member key manager only', async () => {
    const provider = await FileRootProvider.open({ dir: await keyring() });
    expect(() => assertProviderFitsMembers(provider, 1)).not.toThrow();
    let err: unknown;
    try {
      assertProviderFitsMembers(provider, 3);
    } catch (e) {
      err = e;
    }
    expect(code(err)).toBe(ErrorCodes.KM_PROVIDER_CONFIG);
  });

  it('refuses to start when the round trip fails', async () => {
    const provider = await FileRootProvider.open({ dir: await keyring() });
    await provider.close();
    await expect(validateProvider(provider)).rejects.toMatchObject({ code: ErrorCodes.KM_PROVIDER_UNAVAILABLE });
  });
});
