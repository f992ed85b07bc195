/**
 * A root provider that counts its unwraps by outcome for the metrics, and
 * otherwise passes every call through unchanged.
 */
import type { KeyMaterial, WrapContext } from '@tessera/crypto';
import type { KeyRef } from '../key-ref.js';
import type { ProviderHealth, RootProvider } from '../provider/types.js';
import type { UnwrapCounts } from './metrics.js';

export function countingProvider(inner: RootProvider, counts: UnwrapCounts): RootProvider {
  return {
    kind: inner.kind,
    shareable: inner.shareable,
    rootKey: (): KeyRef => inner.rootKey(),
    auditKey: (): KeyRef => inner.auditKey(),
    createKek: (tenant: string, version: number): Promise<KeyRef> => inner.createKek(tenant, version),
    destroyKek: (ref: KeyRef): Promise<void> => inner.destroyKek(ref),
    listKekVersions: (tenant: string): Promise<number[]> => inner.listKekVersions(tenant),
    wrap: (ref: KeyRef, key: KeyMaterial, context: WrapContext): Promise<Buffer> => inner.wrap(ref, key, context),
    async unwrap(ref: KeyRef, wrapped: Uint8Array, context: WrapContext): Promise<KeyMaterial> {
      try {
        const key = await inner.unwrap(ref, wrapped, context);
        counts.ok++;
        return key;
      } catch (err) {
        counts.error++;
        throw err;
      }
    },
    auditPublicKey: (): Promise<Buffer> => inner.auditPublicKey(),
    signAudit: (message: Uint8Array): Promise<Buffer> => inner.signAudit(message),
    health: (): Promise<ProviderHealth> => inner.health(),
    close: (): Promise<void> => inner.close(),
  };
}
