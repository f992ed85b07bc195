/**
 * An in-process `KeyFetcher` over a `KeyService`, for a node and a key
 * manager in one process (tests, single-process development). The gRPC
 * fetcher has the same shape.
 */
import type { KeyService, NodeCaller } from '../service/key-service.js';
import type { KeyFetcher } from './types.js';

export function localKeyFetcher(service: KeyService, caller: NodeCaller): KeyFetcher {
  return {
    masterKey: (epoch) => service.masterKey(caller, epoch),
    dedupKey: () => service.dedupKey(caller),
    tenantDataKey: (tenant, epoch) => service.tenantDataKey(caller, tenant, epoch),
    tenantIndexKey: (tenant) => service.tenantIndexKey(caller, tenant),
  };
}
