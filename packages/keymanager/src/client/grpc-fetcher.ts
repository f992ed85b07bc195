/**
 * The node's `KeyFetcher` over gRPC: each fetch is one Keys call to the
 * key-manager leader (followed and retried by `KeyManagerClient`: key
 * fetches are reads). Key bytes go straight into KeyMaterial and the
 * response buffer is zero-filled; a response whose key is not 32 bytes is
 * refused.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { KeyMaterial, zeroize } from '@tessera/crypto';
import { u64Number } from '@tessera/wire';
import type { KeyManagerClient } from './km-client.js';
import type { FetchedKey, KeyFetcher } from './types.js';

const KEY_BYTES = 32;

function fetched(key: Buffer, ttlMs: string, epoch: number): FetchedKey {
  try {
    if (key.length !== KEY_BYTES) throw new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'the key manager answered with a malformed key', { retriable: true });
    return { key: KeyMaterial.fromBytes(key), ttlMs: u64Number(ttlMs), epoch };
  } finally {
    zeroize(key);
  }
}

export function grpcKeyFetcher(client: KeyManagerClient): KeyFetcher {
  const read = { idempotent: true } as const;
  return {
    masterKey: async (epoch) => {
      const res = await client.call('GetMasterKey', { epoch: epoch ?? 0 }, read);
      return fetched(res.key, res.ttlMs, u64Number(res.epoch));
    },
    dedupKey: async () => {
      const res = await client.call('GetDedupKey', {}, read);
      return fetched(res.key, res.ttlMs, 0);
    },
    tenantDataKey: async (tenant, epoch) => {
      const res = await client.call('GetDataKey', { tenant, tenantEpoch: epoch ?? 0 }, read);
      return fetched(res.key, res.ttlMs, u64Number(res.tenantEpoch));
    },
    tenantIndexKey: async (tenant) => {
      const res = await client.call('GetIndexKey', { tenant }, read);
      return fetched(res.key, res.ttlMs, 0);
    },
  };
}
