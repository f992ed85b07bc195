/**
 * Whether a cluster admin's Data call may be served under one of its grants
 * on the named tenant (pure; the gate gathers the inputs):
 *  - no active grant                       → `no-grant`
 *  - the node's view of leader time stale  → `stale-clock` (freshness.ts)
 *  - a write (OpenSession, PutChunk, PutObject, DeleteObject) under a read
 *    grant                                 → `read-only`
 *  - a name outside the grant's prefix, or a listing prefix disjoint from
 *    it                                    → `outside-prefix`
 * The first grant that allows the call is used; a listing is narrowed to
 * the grant's prefix (asking for "" under a grant on "reports/" lists
 * "reports/"). When none allows it, the first grant's refusal is reported.
 */
import type { Freshness } from './freshness.js';
import { WRITE_METHODS, type AccessMode, type AuditOutcome, type GrantedMethod } from './types.js';

export interface GrantCandidate {
  readonly grantId: Buffer;
  readonly mode: AccessMode;
  /** Cleartext prefix ('' = the whole tenant). */
  readonly prefix: string;
}

export interface GrantedCall {
  readonly method: GrantedMethod;
  /** The object a call names (PutObject, GetObject, StatObject, DeleteObject). */
  readonly name?: string;
  /** ListObjects: the prefix asked for. */
  readonly listPrefix?: string;
}

export type GrantVerdict =
  | { readonly outcome: 'allowed'; readonly grantId: Buffer; readonly listPrefix?: string }
  | { readonly outcome: Exclude<AuditOutcome, 'allowed'>; readonly grantId: Buffer };

const NO_GRANT_ID = Buffer.alloc(0);

function judge(grant: GrantCandidate, call: GrantedCall): GrantVerdict {
  if (WRITE_METHODS.has(call.method) && grant.mode !== 'read-write') return { outcome: 'read-only', grantId: grant.grantId };
  if (call.name !== undefined && !call.name.startsWith(grant.prefix)) return { outcome: 'outside-prefix', grantId: grant.grantId };
  if (call.listPrefix !== undefined) {
    if (call.listPrefix.startsWith(grant.prefix)) return { outcome: 'allowed', grantId: grant.grantId, listPrefix: call.listPrefix };
    if (grant.prefix.startsWith(call.listPrefix)) return { outcome: 'allowed', grantId: grant.grantId, listPrefix: grant.prefix };
    return { outcome: 'outside-prefix', grantId: grant.grantId };
  }
  return { outcome: 'allowed', grantId: grant.grantId };
}

export function decideGrantedCall(grants: readonly GrantCandidate[], freshness: Freshness, call: GrantedCall): GrantVerdict {
  const first = grants[0];
  if (first === undefined) return { outcome: 'no-grant', grantId: NO_GRANT_ID };
  if (freshness !== 'fresh') return { outcome: 'stale-clock', grantId: first.grantId };
  let refusal: GrantVerdict | undefined;
  for (const grant of grants) {
    const verdict = judge(grant, call);
    if (verdict.outcome === 'allowed') return verdict;
    refusal ??= verdict;
  }
  return refusal ?? { outcome: 'no-grant', grantId: NO_GRANT_ID };
}
