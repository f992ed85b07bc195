/**
 * The files of `tessera audit head|export|verify` and the offline check
 * (A3), kept apart from the commands so they can be tested on their own.
 *
 * Head file (JSON envelope; nothing in it is hashed or signed as JSON):
 *  - format `tessera-audit-head/1`: `{format, keyId, publicKey, signedHead}`
 *    — the key manager's signed head (base64 of its canonical binary) and
 *    the audit public key it gave with it;
 *  - format `tessera-audit-head/2`: the same plus `metadata: {keyId,
 *    signedHead}` — the storage nodes' metadata-group head, signed by the
 *    same audit key (ADR 0020). Written when `audit head` reached a node.
 * Trail file:
 *  - `TSAT` (a single chain of the key manager, as before), or
 *  - `TSAB` (a bundle of the key manager's and the metadata group's trails
 *    of the same chain id, see @tessera/audit bundle.ts).
 *
 * Verification checks every trail against the kept head of its own domain
 * (a head of one log never vouches for the other log's trail). A bundle
 * with a metadata trail checked against a format-1 head file fails with a
 * clear AUDIT_UNKNOWN_CHAIN: that head was kept before the metadata group
 * had an audit log, so it cannot vouch for it.
 */
import {
  KEYMANAGER_AUDIT_DOMAIN,
  METADATA_AUDIT_DOMAIN,
  decodeAuditBundle,
  decodeSignedHead,
  decodeTrail,
  isAuditBundle,
  verifyTrail,
  type AuditEntry,
  type AuditTrail,
  type SignedAuditHead,
  type TrailVerification,
} from '@tessera/audit';
import { ErrorCodes, TesseraError } from '@tessera/common';

export const HEAD_FILE_FORMAT = 'tessera-audit-head/1';
export const HEAD_FILE_FORMAT_V2 = 'tessera-audit-head/2';

export interface KeptHeads {
  readonly format: 1 | 2;
  readonly keymanager: SignedAuditHead;
  /** Present in format 2. */
  readonly metadata?: SignedAuditHead;
  /** The audit public key the key manager gave with the head(s). */
  readonly publicKey: Buffer;
  readonly keyId: string;
}

interface HeadFileJson {
  readonly format: string;
  readonly keyId: string;
  readonly publicKey: string;
  readonly signedHead: string;
  readonly metadata?: { readonly keyId: string; readonly signedHead: string };
}

export interface HeadFromServer {
  readonly signedHead: Buffer;
  readonly publicKey: Buffer;
  readonly keyId: string;
}

function notAHead(): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the head file is not a kept audit head');
}

/** The head file's text: format 1 for the key manager alone, 2 with the metadata group's head. */
export function headFileText(keymanager: HeadFromServer, metadata?: HeadFromServer): string {
  // Public keys are not secret: a plain comparison is fine.
  if (metadata !== undefined && !metadata.publicKey.equals(keymanager.publicKey)) {
    throw new TesseraError(ErrorCodes.AUDIT_BAD_SIGNATURE, 'the metadata head was not signed by the key manager audit key');
  }
  const file: HeadFileJson = {
    format: metadata === undefined ? HEAD_FILE_FORMAT : HEAD_FILE_FORMAT_V2,
    keyId: keymanager.keyId,
    publicKey: keymanager.publicKey.toString('base64'),
    signedHead: keymanager.signedHead.toString('base64'),
    ...(metadata !== undefined ? { metadata: { keyId: metadata.keyId, signedHead: metadata.signedHead.toString('base64') } } : {}),
  };
  return JSON.stringify(file, null, 2) + '\n';
}

export function parseHeadFile(bytes: Buffer): KeptHeads {
  let parsed: Partial<HeadFileJson>;
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as Partial<HeadFileJson>;
  } catch {
    throw notAHead();
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.signedHead !== 'string' || typeof parsed.publicKey !== 'string') throw notAHead();
  const format = parsed.format === HEAD_FILE_FORMAT ? 1 : parsed.format === HEAD_FILE_FORMAT_V2 ? 2 : undefined;
  if (format === undefined) {
    if (typeof parsed.format === 'string' && parsed.format.startsWith('tessera-audit-head/')) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `head file format ${parsed.format} is newer than this tessera understands`);
    }
    throw notAHead();
  }
  const keymanager = decodeSignedHead(Buffer.from(parsed.signedHead, 'base64'));
  const keyId = typeof parsed.keyId === 'string' ? parsed.keyId : keymanager.keyId;
  if (format === 1) return { format, keymanager, publicKey: Buffer.from(parsed.publicKey, 'base64'), keyId };
  const md = parsed.metadata;
  if (typeof md !== 'object' || md === null || typeof md.signedHead !== 'string') throw notAHead();
  return { format, keymanager, metadata: decodeSignedHead(Buffer.from(md.signedHead, 'base64')), publicKey: Buffer.from(parsed.publicKey, 'base64'), keyId };
}

export interface ExportVerification {
  /** The key manager's trail (absent only in a bundle without one). */
  readonly keymanager?: TrailVerification;
  readonly metadata?: TrailVerification;
}

function headFor(kept: KeptHeads, domain: string): SignedAuditHead {
  if (domain === KEYMANAGER_AUDIT_DOMAIN) return kept.keymanager;
  if (domain === METADATA_AUDIT_DOMAIN) {
    if (kept.metadata === undefined) {
      throw new TesseraError(
        ErrorCodes.AUDIT_UNKNOWN_CHAIN,
        'the kept head covers the key manager only (head file format 1): keep a new head with `tessera audit head --node-endpoint …` to verify the metadata trail',
      );
    }
    return kept.metadata;
  }
  throw new TesseraError(ErrorCodes.AUDIT_UNKNOWN_CHAIN, 'the trail file holds a trail of an unknown audit log');
}

/** Checks a trail file (`TSAT` or `TSAB`) against the kept heads, every trail against its own log's head. */
export function verifyExport(trailFile: Buffer, kept: KeptHeads, publicKey: Buffer): ExportVerification {
  if (!isAuditBundle(trailFile)) return { keymanager: verifyTrail(decodeTrail(trailFile), kept.keymanager, publicKey) };
  const out: { keymanager?: TrailVerification; metadata?: TrailVerification } = {};
  for (const part of decodeAuditBundle(trailFile)) {
    const head = headFor(kept, part.domain);
    // The domain is inside the signed head: a head of one log must not vouch for another log's trail.
    if (head.head.domain !== part.domain) throw new TesseraError(ErrorCodes.AUDIT_HEAD_MISMATCH, 'the kept head belongs to another audit log');
    const result = verifyTrail(part.trail, head, publicKey);
    if (part.domain === KEYMANAGER_AUDIT_DOMAIN) out.keymanager = result;
    else out.metadata = result;
  }
  return out;
}

export interface MergedEntry {
  readonly group: 'keymanager' | 'metadata';
  readonly entry: AuditEntry;
}

/** Both logs' entries of one export in one timeline (by leader time, key manager first on a tie, then seq). */
export function mergeEntries(result: ExportVerification): MergedEntry[] {
  const all: MergedEntry[] = [
    ...(result.keymanager?.entries ?? []).map((entry) => ({ group: 'keymanager' as const, entry })),
    ...(result.metadata?.entries ?? []).map((entry) => ({ group: 'metadata' as const, entry })),
  ];
  return all.sort((a, b) => a.entry.timestampMs - b.entry.timestampMs || (a.group === b.group ? a.entry.seq - b.entry.seq : a.group === 'keymanager' ? -1 : 1));
}

export type { AuditTrail };
