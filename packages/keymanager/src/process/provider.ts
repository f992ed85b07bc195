/**
 * Opening the root provider a configuration names, and `keymanager init`
 * (creating the root and audit keys). A provider that does not complete its
 * round trip (wrap/unwrap through the root key, sign/verify with the audit
 * key) refuses to start (`validateProvider`).
 */
import { readFile } from 'node:fs/promises';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { FileRootProvider, initFileKeyring } from '../provider/file/file-provider.js';
import { Pkcs11RootProvider } from '../provider/pkcs11/pkcs11-provider.js';
import type { RootProvider } from '../provider/types.js';
import { validateProvider } from '../provider/validate.js';
import type { KeyRef } from '../key-ref.js';
import { PKCS11_PIN_ENV, type ProviderConfig } from './config.js';

export interface ProviderInit {
  readonly provider: string;
  readonly rootKey: KeyRef;
  readonly auditKey: KeyRef;
  /** Raw Ed25519 public key of the audit key. */
  readonly auditPublicKey: Buffer;
  /** False when a token already held the keys (init is idempotent for tokens). */
  readonly created: boolean;
}

async function readPin(config: Extract<ProviderConfig, { kind: 'pkcs11' }>): Promise<string> {
  if (config.pinFile !== undefined) {
    try {
      return (await readFile(config.pinFile, 'utf8')).trim();
    } catch (cause) {
      throw new TesseraError(ErrorCodes.KM_PROVIDER_CONFIG, 'cannot read the PKCS#11 PIN file', { cause });
    }
  }
  const pin = process.env[PKCS11_PIN_ENV];
  if (pin === undefined || pin === '') throw new TesseraError(ErrorCodes.KM_PROVIDER_CONFIG, `the pkcs11 provider needs a PIN file (--pin-file) or ${PKCS11_PIN_ENV}`);
  return pin;
}

/** Opens the configured provider; `dataDirs` are this process's data dirs (a keyring must lie outside them). */
export async function openProvider(config: ProviderConfig, dataDirs: readonly string[]): Promise<RootProvider> {
  if (config.kind === 'file') return FileRootProvider.open({ dir: config.keyring, dataDirs });
  return Pkcs11RootProvider.open({
    library: config.library,
    tokenLabel: config.tokenLabel,
    pin: await readPin(config),
    ...(config.labelPrefix !== undefined ? { labelPrefix: config.labelPrefix } : {}),
  });
}

/** Opens the provider and proves it works; a provider that fails is closed and start-up refused. */
export async function openValidatedProvider(config: ProviderConfig, dataDirs: readonly string[]): Promise<RootProvider> {
  const provider = await openProvider(config, dataDirs);
  try {
    await validateProvider(provider);
    return provider;
  } catch (err) {
    await provider.close().catch(() => undefined);
    throw err;
  }
}

/** `tessera keymanager init`: the root key and the audit key, in a new keyring folder or in the token. */
export async function initProvider(config: ProviderConfig, dataDirs: readonly string[] = []): Promise<ProviderInit> {
  if (config.kind === 'file') {
    const init = await initFileKeyring({ dir: config.keyring, dataDirs });
    return { provider: 'file', ...init, created: true };
  }
  const init = await Pkcs11RootProvider.init({
    library: config.library,
    tokenLabel: config.tokenLabel,
    pin: await readPin(config),
    ...(config.labelPrefix !== undefined ? { labelPrefix: config.labelPrefix } : {}),
  });
  return { provider: 'pkcs11', ...init };
}
