/**
 * The Data path's door for cluster admins (DESIGN A2): a cluster admin's
 * Data call names its tenant in the `tessera-tenant` request header (ADR
 * 0018; tenant principals never need it); this gate decides whether one of
 * the admin's grants on that tenant allows the call (decide.ts), records the
 * decision in the tenant's grant audit trail through the metadata group
 * (`auditAccess`) BEFORE anything is served, and fails closed: a call whose
 * audit record cannot be committed is refused. Every refusal looks the same
 * to the caller (PERMISSION_DENIED "permission denied"), like the
 * interceptor's.
 *
 * A grant is read from this node's applied state after a ReadIndex barrier,
 * so it serves only after applying the approval and before applying the
 * expiry or revocation; the clock rule comes on top (freshness.ts).
 */
import { ErrorCodes, TesseraError, isValidTenantId, type Logger } from '@tessera/common';
import type { MetadataMachine } from '../metadata/machine.js';
import type { MetadataProposer } from '../data/proposer.js';
import type { NodeKeys } from '../data/node-keys.js';
import { objectKeyTag } from '../objects/delta-crypto.js';
import { decideGrantedCall, type GrantCandidate, type GrantedCall } from './decide.js';
import { leaderFreshness } from './freshness.js';
import { grantIdOf } from './ids.js';
import { openScope, sealedScopeEpoch } from './prefix-seal.js';
import type { AccessRecord } from './types.js';

/** The request header naming the tenant a cluster admin acts on. */
export const TENANT_HEADER = 'tessera-tenant';

export interface GrantGateDeps {
  readonly machine: MetadataMachine;
  readonly proposer: Pick<MetadataProposer, 'propose'>;
  readonly readBarrier: () => Promise<void>;
  readonly keys: () => NodeKeys | undefined;
  /** Wall-clock milliseconds (Date.now). */
  readonly clock: () => number;
  /** Monotonic milliseconds (performance.now). */
  readonly monotonicClock: () => number;
  readonly logger: Logger;
}

export interface GrantedAccess {
  readonly tenant: string;
  /** ListObjects: the prefix to list (narrowed to the grant's). */
  readonly listPrefix?: string;
}

export function permissionDenied(): TesseraError {
  return new TesseraError(ErrorCodes.TRANSPORT_PERMISSION_DENIED, 'permission denied');
}

export class GrantGate {
  constructor(private readonly deps: GrantGateDeps) {}

  /** Serves or refuses a cluster admin's call; resolves with the tenant to act on. */
  async authorize(admin: string, tenantHeader: string | undefined, call: GrantedCall): Promise<GrantedAccess> {
    const { deps } = this;
    // No tenant named, or a malformed one: nothing to audit against (the node's log keeps the refusal).
    if (tenantHeader === undefined || !isValidTenantId(tenantHeader)) {
      deps.logger.info('cluster admin refused on Data: no tenant named', { method: call.method });
      throw permissionDenied();
    }
    const tenant = tenantHeader;
    await deps.readBarrier();
    if (deps.machine.tenant(tenant) === undefined) throw permissionDenied();
    const keys = deps.keys();
    const records = deps.machine.access().activeGrants(admin, tenant, Math.max(deps.clock(), deps.machine.leaderTimeMs()));
    const candidates = keys === undefined ? [] : await Promise.all(records.map((r) => candidate(keys, r)));
    const freshness = leaderFreshness(deps.machine.lastLeaderEntry(), deps.monotonicClock(), deps.clock());
    const verdict = decideGrantedCall(candidates, freshness, call);
    const keyTag = call.name === undefined || keys === undefined ? Buffer.alloc(0) : await keyTagOf(keys, tenant, call.name);
    const result = await deps.proposer.propose({
      op: 'auditAccess',
      timeMs: deps.clock(),
      tenant,
      audit: { admin, grantId: verdict.grantId, method: call.method, keyTag, outcome: verdict.outcome },
    });
    if (result.kind === 'error') {
      deps.logger.warn('grant audit record refused: call not served', { method: call.method, errorCode: result.code });
      throw new TesseraError(ErrorCodes.TRANSPORT_PERMISSION_DENIED, 'permission denied');
    }
    if (verdict.outcome !== 'allowed') throw permissionDenied();
    return { tenant, ...(verdict.listPrefix !== undefined ? { listPrefix: verdict.listPrefix } : {}) };
  }
}

/** A grant with its prefix opened (fails, and so refuses the call, when the tenant's key is unavailable). */
async function candidate(keys: NodeKeys, record: AccessRecord): Promise<GrantCandidate> {
  const { key } = await keys.dataKey(record.tenant, sealedScopeEpoch(record.prefixSealed));
  const scope = openScope(record, record.prefixSealed, key);
  return { grantId: grantIdOf(record.requestId), mode: record.mode, prefix: scope.prefix };
}

/** The object's keyTag for the audit record; empty for a name objects may not have (the call fails anyway). */
async function keyTagOf(keys: NodeKeys, tenant: string, name: string): Promise<Buffer> {
  try {
    return objectKeyTag(await keys.indexKey(tenant), name);
  } catch (err) {
    if (err instanceof TesseraError && err.code === ErrorCodes.INVALID_ARGUMENT) return Buffer.alloc(0);
    throw err;
  }
}
