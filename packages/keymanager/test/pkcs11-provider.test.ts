import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryAuditLog, SYSTEM_CHAIN, signHead, verifyTrail } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import { KeyMaterial, WrapPurposes } from '@tessera/crypto';
import { Pkcs11RootProvider, assertProviderFitsMembers, providerAuditSigner, tdkContext, tikContext, validateProvider, type Pkcs11ProviderOptions } from '../src/index.js';
import { SOFTHSM_LIBRARY, createTokens, describePkcs11, type TestToken } from './softhsm.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

describePkcs11('pkcs11 root provider (SoftHSM2)', () => {
  let token: TestToken;
  let empty: TestToken;
  let options: Pkcs11ProviderOptions;

  beforeAll(async () => {
    const tokens = await createTokens(['tessera-km', 'tessera-empty']);
    token = tokens[0]!;
    empty = tokens[1]!;
    options = { library: SOFTHSM_LIBRARY, tokenLabel: token!.label, pin: token!.pin };
    const init = await Pkcs11RootProvider.init(options);
    expect(init.created).toBe(true);
    expect((await Pkcs11RootProvider.init(options)).created).toBe(false);
  });
  afterAll(async () => {
    await token?.cleanup();
  });

  it('passes the start-up round trip; root, KEK and audit key are token objects', async () => {
    const provider = await Pkcs11RootProvider.open(options);
    try {
      await validateProvider(provider);
      expect(await provider.health()).toEqual({ ok: true, provider: 'pkcs11' });
      expect(() => assertProviderFitsMembers(provider, 3)).not.toThrow();
    } finally {
      await provider.close();
    }
  });

  it('refuses to start with a wrong PIN or on a token without keys', async () => {
    await expect(Pkcs11RootProvider.open({ ...options, pin: '000000' })).rejects.toMatchObject({ code: ErrorCodes.KM_PROVIDER_CONFIG });
    await expect(Pkcs11RootProvider.open({ library: SOFTHSM_LIBRARY, tokenLabel: empty.label, pin: empty.pin })).rejects.toMatchObject({ code: ErrorCodes.KM_NOT_INITIALIZED });
    await expect(Pkcs11RootProvider.open({ ...options, tokenLabel: 'no-such-token', openAttempts: 2 })).rejects.toMatchObject({ code: ErrorCodes.KM_PROVIDER_UNAVAILABLE });
  });

  it('wraps inside the token with AES-GCM, the context as AAD', async () => {
    const provider = await Pkcs11RootProvider.open(options);
    try {
      const kek = await provider.createKek('acme', 1);
      const tdk = KeyMaterial.generate();
      const blob = await provider.wrap(kek, tdk, tdkContext('acme', 2, 1));
      expect(blob).toHaveLength(61);
      expect(blob.includes(tdk.expose())).toBe(false);
      const back = await provider.unwrap(kek, blob, tdkContext('acme', 2, 1));
      expect(back.expose().equals(tdk.expose())).toBe(true);
      await expect(provider.unwrap(kek, blob, tdkContext('acme', 3, 1))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_UNWRAP_FAILED });
      await expect(provider.unwrap(kek, blob, tikContext('acme', 1))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_UNWRAP_FAILED });
      const tampered = Buffer.from(blob);
      tampered[20]! ^= 1;
      await expect(provider.unwrap(kek, tampered, tdkContext('acme', 2, 1))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_UNWRAP_FAILED });
      // System keys under the root key only.
      const root = provider.rootKey();
      const master = await provider.wrap(root, tdk, { purpose: WrapPurposes.SYSTEM_MASTER, epoch: 1, kekVersion: 1 });
      await expect(provider.unwrap(kek, master, tdkContext('acme', 1, 1))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_UNWRAP_FAILED });
      await expect(provider.wrap(root, tdk, tdkContext('acme', 1, 1))).rejects.toMatchObject({ code: ErrorCodes.CRYPTO_WRAP_FAILED });
      // createKek is idempotent: the blob still opens.
      await provider.createKek('acme', 1);
      await expect(provider.unwrap(kek, blob, tdkContext('acme', 2, 1))).resolves.toBeInstanceOf(KeyMaterial);
    } finally {
      await provider.close();
    }
  });

  it('is shared by three members: a KEK one destroys is gone for all (KEK_DESTROYED)', async () => {
    const members = await Promise.all([1, 2, 3].map(() => Pkcs11RootProvider.open(options)));
    try {
      const [a, b, c] = members as [Pkcs11RootProvider, Pkcs11RootProvider, Pkcs11RootProvider];
      const kek = await a.createKek('shared-t', 1);
      await a.createKek('shared-t', 2);
      const blob = await b.wrap(kek, KeyMaterial.generate(), tikContext('shared-t', 1));
      await expect(c.unwrap(kek, blob, tikContext('shared-t', 1))).resolves.toBeInstanceOf(KeyMaterial);
      expect(await c.listKekVersions('shared-t')).toEqual([1, 2]);
      await b.destroyKek(kek);
      await b.destroyKek(kek); // idempotent
      for (const m of members) await expect(m.unwrap(kek, blob, tikContext('shared-t', 1))).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
      expect(await a.listKekVersions('shared-t')).toEqual([2]);
    } finally {
      for (const m of members) await m.close();
    }
  });

  it('sees a KEK destroyed by another process', async () => {
    const provider = await Pkcs11RootProvider.open(options);
    try {
      const kek = await provider.createKek('xproc', 1);
      const blob = await provider.wrap(kek, KeyMaterial.generate(), tikContext('xproc', 1));
      const script = join(token.dir, 'destroy.cjs');
      await writeFile(
        script,
        `const p = require(${JSON.stringify(require.resolve('pkcs11js'))});
const m = new p.PKCS11(); m.load(${JSON.stringify(SOFTHSM_LIBRARY)}); m.C_Initialize();
const slot = m.C_GetSlotList(true).find((s) => m.C_GetTokenInfo(s).label.trim() === ${JSON.stringify(token.label)});
const s = m.C_OpenSession(slot, p.CKF_RW_SESSION | p.CKF_SERIAL_SESSION);
m.C_Login(s, p.CKU_USER, ${JSON.stringify(token.pin)});
m.C_FindObjectsInit(s, [{ type: p.CKA_LABEL, value: 'tessera/kek/xproc/v1' }]);
const hs = m.C_FindObjects(s, 10); m.C_FindObjectsFinal(s);
for (const h of hs) m.C_DestroyObject(s, h);
m.C_Finalize(); console.log(hs.length);`,
      );
      const { stdout } = await run(process.execPath, [script], { env: { ...process.env, SOFTHSM2_CONF: token.conf } });
      expect(stdout.trim()).toBe('1');
      await expect(provider.unwrap(kek, blob, tikContext('xproc', 1))).rejects.toMatchObject({ code: ErrorCodes.KEK_DESTROYED });
    } finally {
      await provider.close();
    }
  });

  it('signs audit heads with the Ed25519 token key (CKM_EDDSA)', async () => {
    const provider = await Pkcs11RootProvider.open(options);
    try {
      const log = new MemoryAuditLog();
      log.append(SYSTEM_CHAIN, { type: 'system.init', principal: '', outcome: 'ok' }, 1);
      const head = await signHead(log.head('keymanager', 1), providerAuditSigner(provider));
      expect(head.keyId).toBe('pkcs11:audit#1');
      expect(verifyTrail(log.trail(SYSTEM_CHAIN), head, await provider.auditPublicKey()).verifiedLength).toBe(1);
    } finally {
      await provider.close();
    }
  });
});
