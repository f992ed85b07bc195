/**
 * Checking an exported trail against a signed head the tenant admin kept.
 *
 * In order: the head's signature (a forged or altered head is
 * AUDIT_BAD_SIGNATURE); the chain is one the head lists (AUDIT_UNKNOWN_CHAIN);
 * every entry belongs to the chain, has seq i+1 and names the hash of the
 * entry before it (a reordered, dropped or edited entry breaks this:
 * AUDIT_CHAIN_BROKEN); the trail is at least as long as the head
 * (AUDIT_TRUNCATED); and the hash at the head's length equals the head's hash
 * (an edited history whose hashes were all recomputed: AUDIT_HEAD_MISMATCH).
 * Entries past the head are linked and returned but are, by construction,
 * vouched for by no signature yet.
 */
import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { ErrorCodes } from '@tessera/common';
import type { ChainId } from './chain-id.js';
import { entryHash, genesisHash, type AuditEntry } from './entry.js';
import { auditError } from './errors.js';
import { verifyHeadSignature, type SignedAuditHead } from './head.js';
import type { AuditTrail } from './trail.js';

export interface TrailVerification {
  readonly chain: ChainId;
  /** Entries covered by the kept head's signature. */
  readonly verifiedLength: number;
  /** Entries in the trail (>= verifiedLength). */
  readonly length: number;
  /** Hash of the last entry of the trail. */
  readonly lastHash: Buffer;
  readonly entries: readonly AuditEntry[];
}

export function verifyTrail(trail: AuditTrail, kept: SignedAuditHead, publicKey: KeyObject | Uint8Array): TrailVerification {
  verifyHeadSignature(kept, publicKey);
  const listed = kept.head.chains.find((c) => c.chain === trail.chain);
  if (listed === undefined) throw auditError(ErrorCodes.AUDIT_UNKNOWN_CHAIN, 'the kept head does not list this chain');

  let hash = genesisHash(trail.chain);
  let hashAtHead: Buffer | undefined = listed.length === 0 ? hash : undefined;
  for (const [i, entry] of trail.entries.entries()) {
    if (entry.chain !== trail.chain || entry.seq !== i + 1 || !constantTimeEqual(entry.prevHash, hash)) {
      throw auditError(ErrorCodes.AUDIT_CHAIN_BROKEN, `audit chain broken at entry ${i + 1}`);
    }
    hash = entryHash(entry);
    if (entry.seq === listed.length) hashAtHead = hash;
  }
  if (hashAtHead === undefined) throw auditError(ErrorCodes.AUDIT_TRUNCATED, 'audit trail is shorter than the kept head');
  if (!constantTimeEqual(hashAtHead, listed.hash)) throw auditError(ErrorCodes.AUDIT_HEAD_MISMATCH, 'audit trail does not match the kept head');
  return { chain: trail.chain, verifiedLength: listed.length, length: trail.entries.length, lastHash: hash, entries: trail.entries };
}

/**
 * Constant time on equal lengths (hashes are public, but a comparison that
 * leaks nothing costs nothing). Local rather than @tessera/crypto's, so the
 * metadata state machine that keeps chains imports no crypto package (K3:
 * its compaction path must reach none).
 */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}
