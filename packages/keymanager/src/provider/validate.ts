/**
 * Start-up checks for a root provider: a round trip through the root key and
 * the audit key (a provider that cannot wrap, unwrap and sign refuses to
 * start), and the membership rule (the file provider serves a one-member key
 * manager only).
 */
import { verify as nodeVerify, randomBytes } from 'node:crypto';
import { ErrorCodes } from '@tessera/common';
import { ed25519PublicKeyFromRaw, type AuditSigner } from '@tessera/audit';
import { KeyMaterial, WrapPurposes, constantTimeEqual } from '@tessera/crypto';
import { kmError, providerConfig } from '../errors.js';
import { formatKeyRef } from '../key-ref.js';
import type { RootProvider } from './types.js';

/** Epoch 0 is never a real system epoch: the probe cannot be mistaken for a master key. */
const PROBE_EPOCH = 0;

export async function validateProvider(provider: RootProvider): Promise<void> {
  const probe = KeyMaterial.generate();
  let back: KeyMaterial | undefined;
  try {
    const root = provider.rootKey();
    const context = { purpose: WrapPurposes.SYSTEM_MASTER, epoch: PROBE_EPOCH, kekVersion: root.version };
    const wrapped = await provider.wrap(root, probe, context);
    back = await provider.unwrap(root, wrapped, context);
    if (!constantTimeEqual(back.expose(), probe.expose())) throw new Error('round trip returned another key');
    const message = randomBytes(32);
    const signature = await provider.signAudit(message);
    const publicKey = ed25519PublicKeyFromRaw(await provider.auditPublicKey());
    if (!nodeVerify(null, message, publicKey, signature)) throw new Error('audit signature does not verify');
  } catch (cause) {
    throw kmError(ErrorCodes.KM_PROVIDER_UNAVAILABLE, 'root provider failed its start-up round trip', { cause });
  } finally {
    probe.destroy();
    back?.destroy();
  }
}

/** Refuses a provider that cannot serve this many key-manager members. */
export function assertProviderFitsMembers(provider: Pick<RootProvider, 'kind' | 'shareable'>, members: number): void {
  if (members > 1 && !provider.shareable) {
    throw providerConfig(`the ${provider.kind} root provider serves a one-member key manager only`);
  }
}

/** The audit module's signer, backed by the provider's audit key. */
export function providerAuditSigner(provider: RootProvider): AuditSigner {
  return { keyId: formatKeyRef(provider.auditKey()), sign: (message) => provider.signAudit(message) };
}
