/**
 * Metadata heads signed by the key manager's audit key (ADR 0020): the node
 * sends the encoded head over its own mTLS connection (Keys.SignAuditHead,
 * node principals with a pinned certificate only) and hands back what the
 * key manager answers. Nothing is trusted here: whoever keeps the head
 * checks the signature against the audit public key it pinned.
 */
import type { KeyManagerClient } from '@tessera/keymanager';
import type { MetadataHeadSigner } from './handlers.js';

export function kmHeadSigner(client: Pick<KeyManagerClient, 'call'>): MetadataHeadSigner {
  return async (encodedHead) => {
    const res = await client.call('SignAuditHead', { head: encodedHead }, { idempotent: true });
    return { signedHead: Buffer.from(res.signedHead), publicKey: Buffer.from(res.publicKey), keyId: res.keyId };
  };
}
