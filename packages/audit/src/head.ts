/**
 * Signed chain heads. A head lists (chain id, length, hash) for the chains
 * it covers, with the domain (which group's log) and the leader time it was
 * taken at; the key manager's audit key signs it. A tenant admin keeps a
 * signed head and later checks an exported trail against it (`verifyTrail`).
 *
 *   head   = u8 format 1 ‖ u8-len domain ‖ u64 timestampMs ‖ u32 n ‖ n × (u8-len chain ‖ u64 length ‖ 32 hash)
 *            chains strictly ascending
 *   signed = "TSAH" ‖ u8 version 1 ‖ u32-len head ‖ u8-len keyId ‖ u8-len signature
 *   signature = Ed25519(auditKey, "tessera/v1/audit-head" ‖ head)
 */
import { verify as nodeVerify, type KeyObject } from 'node:crypto';
import { BinaryReader, BinaryWriter, ErrorCodes } from '@tessera/common';
import { MAX_CHAIN_ID_BYTES, parseChainId, type ChainId } from './chain-id.js';
import type { ChainHead } from './chains.js';
import { ED25519_SIGNATURE_BYTES, toEd25519PublicKey, type AuditSigner } from './ed25519.js';
import { AUDIT_HASH_BYTES } from './entry.js';
import { auditError, badEncoding, invalidRecord } from './errors.js';
import { checkPrintable } from './record.js';

export interface AuditHead {
  /** Which log the head belongs to, e.g. `keymanager` or `metadata` (with a cluster id). */
  readonly domain: string;
  readonly timestampMs: number;
  readonly chains: readonly ChainHead[];
}

export interface SignedAuditHead {
  readonly head: AuditHead;
  /** The exact bytes that were signed (after the domain label). */
  readonly encodedHead: Buffer;
  readonly keyId: string;
  readonly signature: Buffer;
}

const HEAD_FORMAT = 1;
const SIGNED_MAGIC = Buffer.from('TSAH', 'ascii');
const SIGNED_VERSION = 1;
const SIGNATURE_DOMAIN = Buffer.from('tessera/v1/audit-head', 'ascii');
export const MAX_DOMAIN_BYTES = 128;
export const MAX_KEY_ID_BYTES = 128;
/** Bound for a signed head: a million chains of at most 70-byte ids. */
export const MAX_HEAD_BYTES = 128 * 1024 * 1024;
const MIN_HEAD_ENTRY_BYTES = 1 + 1 + 8 + AUDIT_HASH_BYTES;

export function encodeHead(head: AuditHead): Buffer {
  checkPrintable(head.domain, MAX_DOMAIN_BYTES, 'head domain', false);
  const w = new BinaryWriter(64 + head.chains.length * 96).u8(HEAD_FORMAT).string(head.domain, 1, MAX_DOMAIN_BYTES).u64(head.timestampMs).u32(head.chains.length);
  let previous = '';
  for (const [i, c] of head.chains.entries()) {
    if (i > 0 && c.chain <= previous) throw invalidRecord('head chains must be sorted and distinct');
    previous = c.chain;
    w.string(c.chain, 1, MAX_CHAIN_ID_BYTES).u64(c.length).fixed(c.hash, AUDIT_HASH_BYTES);
  }
  return w.finish();
}

export function decodeHead(bytes: Uint8Array): AuditHead {
  if (bytes.byteLength > MAX_HEAD_BYTES) throw badEncoding('audit head too large');
  const r = new BinaryReader(bytes);
  if (r.u8() !== HEAD_FORMAT) throw badEncoding('unknown audit head format');
  const domain = r.string(1, MAX_DOMAIN_BYTES);
  try {
    checkPrintable(domain, MAX_DOMAIN_BYTES, 'head domain', false);
  } catch {
    throw badEncoding('bad audit head domain');
  }
  const timestampMs = r.u64Number();
  const n = r.u32();
  if (n * MIN_HEAD_ENTRY_BYTES > r.remaining) throw badEncoding('audit head count out of range');
  const chains: ChainHead[] = [];
  let previous = '';
  for (let i = 0; i < n; i++) {
    const chain: ChainId = parseChainId(r.string(1, MAX_CHAIN_ID_BYTES));
    if (i > 0 && chain <= previous) throw badEncoding('audit head chains not in canonical order');
    previous = chain;
    const length = r.u64Number();
    const hash = Buffer.from(r.fixed(AUDIT_HASH_BYTES));
    chains.push({ chain, length, hash });
  }
  r.end();
  return { domain, timestampMs, chains };
}

function signedMessage(encodedHead: Uint8Array): Buffer {
  return Buffer.concat([SIGNATURE_DOMAIN, encodedHead]);
}

export async function signHead(head: AuditHead, signer: AuditSigner): Promise<SignedAuditHead> {
  checkPrintable(signer.keyId, MAX_KEY_ID_BYTES, 'signing key id', false);
  const encodedHead = encodeHead(head);
  const signature = Buffer.from(await signer.sign(signedMessage(encodedHead)));
  if (signature.length !== ED25519_SIGNATURE_BYTES) throw auditError(ErrorCodes.AUDIT_BAD_SIGNATURE, 'signer returned a malformed signature');
  return { head: decodeHead(encodedHead), encodedHead, keyId: signer.keyId, signature };
}

/** Throws AUDIT_BAD_SIGNATURE unless `signed` carries a valid signature by `publicKey` over its head. */
export function verifyHeadSignature(signed: SignedAuditHead, publicKey: KeyObject | Uint8Array): void {
  const key = toEd25519PublicKey(publicKey);
  let ok = false;
  try {
    ok = signed.signature.length === ED25519_SIGNATURE_BYTES && nodeVerify(null, signedMessage(signed.encodedHead), key, signed.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw auditError(ErrorCodes.AUDIT_BAD_SIGNATURE, 'audit head signature does not verify');
}

export function encodeSignedHead(signed: SignedAuditHead): Buffer {
  return new BinaryWriter(signed.encodedHead.length + 256)
    .raw(SIGNED_MAGIC)
    .u8(SIGNED_VERSION)
    .bytes(signed.encodedHead, 4, MAX_HEAD_BYTES)
    .string(signed.keyId, 1, MAX_KEY_ID_BYTES)
    .bytes(signed.signature, 1)
    .finish();
}

/** Decodes a signed head (it does not verify the signature: see `verifyHeadSignature`). */
export function decodeSignedHead(bytes: Uint8Array): SignedAuditHead {
  const r = new BinaryReader(bytes);
  r.expectMagic(SIGNED_MAGIC);
  if (r.u8() !== SIGNED_VERSION) throw badEncoding('unknown signed head version');
  const encodedHead = Buffer.from(r.bytes(4, MAX_HEAD_BYTES));
  const keyId = r.string(1, MAX_KEY_ID_BYTES);
  const signature = Buffer.from(r.bytes(1));
  r.end();
  if (signature.length !== ED25519_SIGNATURE_BYTES) throw badEncoding('signature must be 64 bytes');
  try {
    checkPrintable(keyId, MAX_KEY_ID_BYTES, 'key id', false);
  } catch {
    throw badEncoding('bad signing key id');
  }
  return { head: decodeHead(encodedHead), encodedHead, keyId, signature };
}
