/**
 * The files of `tessera audit` (ADR 0020): format-1 and format-2 head files,
 * plain trails and bundles of both logs, each trail checked against its own
 * log's head, and the clear error for a format-1 head against a bundle.
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  KEYMANAGER_AUDIT_DOMAIN,
  METADATA_AUDIT_DOMAIN,
  MemoryAuditLog,
  decodeAuditBundle,
  encodeAuditBundle,
  encodeSignedHead,
  encodeTrail,
  localEd25519Signer,
  rawEd25519PublicKey,
  signHead,
  tenantChain,
} from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import { HEAD_FILE_FORMAT, HEAD_FILE_FORMAT_V2, headFileText, mergeEntries, parseHeadFile, verifyExport, type HeadFromServer } from '../src/commands/audit-files.js';

const chain = tenantChain('acme');
const T = 1_700_000_000_000;
const keys = generateKeyPairSync('ed25519');
const publicKey = rawEd25519PublicKey(keys.publicKey);
const signer = localEd25519Signer(keys.privateKey, 'file:audit#1');
const km = new MemoryAuditLog();
const md = new MemoryAuditLog();
let kmHead: HeadFromServer;
let mdHead: HeadFromServer;

beforeAll(async () => {
  for (let i = 0; i < 4; i++) km.append(chain, { type: 'key.unwrap', principal: `spiffe://t/node/n${i}`, outcome: 'ok' }, T + i * 10);
  for (let i = 0; i < 3; i++) md.append(chain, { type: 'data.access', principal: 'admin/ops', method: 'GetObject', outcome: 'ok', reason: 'allowed' }, T + i * 10 + 5);
  kmHead = { signedHead: encodeSignedHead(await signHead(km.head(KEYMANAGER_AUDIT_DOMAIN, T + 100), signer)), publicKey, keyId: signer.keyId };
  mdHead = { signedHead: encodeSignedHead(await signHead(md.head(METADATA_AUDIT_DOMAIN, T + 100), signer)), publicKey, keyId: signer.keyId };
});

const bundle = (): Buffer =>
  encodeAuditBundle([
    { domain: KEYMANAGER_AUDIT_DOMAIN, trail: km.trail(chain) },
    { domain: METADATA_AUDIT_DOMAIN, trail: md.trail(chain) },
  ]);

describe('audit head and trail files', () => {
  it('a format-2 head verifies both trails of a bundle, and merges them in one timeline', () => {
    const kept = parseHeadFile(Buffer.from(headFileText(kmHead, mdHead)));
    expect(kept.format).toBe(2);
    const result = verifyExport(bundle(), kept, kept.publicKey);
    expect(result.keymanager?.verifiedLength).toBe(4);
    expect(result.metadata?.verifiedLength).toBe(3);
    const merged = mergeEntries(result);
    expect(merged.map((m) => m.group)).toEqual(['keymanager', 'metadata', 'keymanager', 'metadata', 'keymanager', 'metadata', 'keymanager']);
  });

  it('a format-1 head still verifies a key-manager trail, and refuses a bundle with a clear error', () => {
    const text = headFileText(kmHead);
    expect(JSON.parse(text)).toMatchObject({ format: HEAD_FILE_FORMAT });
    const kept = parseHeadFile(Buffer.from(text));
    expect(verifyExport(encodeTrail(km.trail(chain)), kept, publicKey).keymanager?.verifiedLength).toBe(4);
    expect(() => verifyExport(bundle(), kept, publicKey)).toThrow(expect.objectContaining({ code: ErrorCodes.AUDIT_UNKNOWN_CHAIN, message: expect.stringMatching(/format 1/) }));
    // A format-2 head verifies a plain key-manager trail too.
    expect(verifyExport(encodeTrail(km.trail(chain)), parseHeadFile(Buffer.from(headFileText(kmHead, mdHead))), publicKey).metadata).toBeUndefined();
  });

  it('one changed byte of the metadata trail fails verification', () => {
    const kept = parseHeadFile(Buffer.from(headFileText(kmHead, mdHead)));
    const parts = decodeAuditBundle(bundle());
    const entries = parts[1]!.trail.entries.map((e, i) => (i === 1 ? { ...e, principal: 'admin/opz' } : e));
    const tampered = encodeAuditBundle([parts[0]!, { domain: METADATA_AUDIT_DOMAIN, trail: { chain, entries } }]);
    expect(() => verifyExport(tampered, kept, publicKey)).toThrow(expect.objectContaining({ code: ErrorCodes.AUDIT_CHAIN_BROKEN }));
  });

  it("a head of one log never vouches for the other log's trail", () => {
    // The metadata head filed as the key manager's.
    const swapped = parseHeadFile(Buffer.from(headFileText(mdHead, mdHead)));
    expect(() => verifyExport(bundle(), swapped, publicKey)).toThrow(expect.objectContaining({ code: ErrorCodes.AUDIT_HEAD_MISMATCH }));
  });

  it('refuses a metadata head signed by another key, and head files it does not know', () => {
    const other = rawEd25519PublicKey(generateKeyPairSync('ed25519').publicKey);
    expect(() => headFileText(kmHead, { ...mdHead, publicKey: other })).toThrow(expect.objectContaining({ code: ErrorCodes.AUDIT_BAD_SIGNATURE }));
    const v2 = JSON.parse(headFileText(kmHead, mdHead)) as Record<string, unknown>;
    expect(v2['format']).toBe(HEAD_FILE_FORMAT_V2);
    expect(() => parseHeadFile(Buffer.from(JSON.stringify({ ...v2, format: 'tessera-audit-head/9' })))).toThrow(expect.objectContaining({ message: expect.stringMatching(/newer/) }));
    expect(() => parseHeadFile(Buffer.from(JSON.stringify({ ...v2, metadata: undefined })))).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
    expect(() => parseHeadFile(Buffer.from('not json'))).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ARGUMENT }));
  });
});
