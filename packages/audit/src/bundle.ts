/**
 * Audit domains and the export bundle: one file holding the trails of one
 * chain id from several logs (the key manager's and the metadata group's),
 * each checked on its own against the signed head of its own domain.
 *
 *   bundle = "TSAB" ‖ u8 version 1 ‖ u8 n (1..4) ‖ n × (u8-len domain ‖ u32-len trail)
 *            domains strictly ascending; each trail is a `TSAT` trail (trail.ts)
 *
 * The domain names which log a head or trail belongs to and is part of every
 * signed head, so a head of one log can never vouch for another log's trail.
 */
import { BinaryReader, BinaryWriter } from '@tessera/common';
import { badEncoding, invalidRecord } from './errors.js';
import { checkPrintable } from './record.js';
import { decodeTrail, encodeTrail, type AuditTrail } from './trail.js';

/** The key manager's log (its own heads). */
export const KEYMANAGER_AUDIT_DOMAIN = 'keymanager';
/** The storage nodes' metadata group (heads signed by the key manager on a node's request: ADR 0020). */
export const METADATA_AUDIT_DOMAIN = 'metadata';

export interface AuditBundlePart {
  readonly domain: string;
  readonly trail: AuditTrail;
}

const BUNDLE_MAGIC = Buffer.from('TSAB', 'ascii');
const BUNDLE_VERSION = 1;
const MAX_PARTS = 4;
const MAX_DOMAIN_BYTES = 128;
/** A trail in a bundle: far above any real trail, far below memory trouble. */
const MAX_TRAIL_BYTES = 1024 * 1024 * 1024;

/** Whether `bytes` start like a bundle (a plain `TSAT` trail does not). */
export function isAuditBundle(bytes: Uint8Array): boolean {
  return bytes.byteLength >= BUNDLE_MAGIC.length && Buffer.from(bytes.buffer, bytes.byteOffset, BUNDLE_MAGIC.length).equals(BUNDLE_MAGIC);
}

export function encodeAuditBundle(parts: readonly AuditBundlePart[]): Buffer {
  if (parts.length < 1 || parts.length > MAX_PARTS) throw invalidRecord('a bundle holds 1 to 4 trails');
  const w = new BinaryWriter(1024).raw(BUNDLE_MAGIC).u8(BUNDLE_VERSION).u8(parts.length);
  let previous = '';
  for (const [i, part] of parts.entries()) {
    checkPrintable(part.domain, MAX_DOMAIN_BYTES, 'bundle domain', false);
    if (i > 0 && part.domain <= previous) throw invalidRecord('bundle domains must be sorted and distinct');
    previous = part.domain;
    w.string(part.domain, 1, MAX_DOMAIN_BYTES).bytes(encodeTrail(part.trail), 4, MAX_TRAIL_BYTES);
  }
  return w.finish();
}

/** Decodes a bundle and every trail in it (chain linkage is checked by `verifyTrail`). */
export function decodeAuditBundle(bytes: Uint8Array): AuditBundlePart[] {
  const r = new BinaryReader(bytes);
  r.expectMagic(BUNDLE_MAGIC);
  if (r.u8() !== BUNDLE_VERSION) throw badEncoding('unknown audit bundle version');
  const n = r.u8();
  if (n < 1 || n > MAX_PARTS) throw badEncoding('audit bundle part count out of range');
  const parts: AuditBundlePart[] = [];
  let previous = '';
  for (let i = 0; i < n; i++) {
    const domain = r.string(1, MAX_DOMAIN_BYTES);
    try {
      checkPrintable(domain, MAX_DOMAIN_BYTES, 'bundle domain', false);
    } catch {
      throw badEncoding('bad audit bundle domain');
    }
    if (i > 0 && domain <= previous) throw badEncoding('audit bundle domains not in canonical order');
    previous = domain;
    parts.push({ domain, trail: decodeTrail(r.bytes(4, MAX_TRAIL_BYTES)) });
  }
  r.end();
  return parts;
}
