import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import {
  MemoryAuditLog,
  SYSTEM_CHAIN,
  decodeSignedHead,
  decodeTrail,
  encodeEntry,
  encodeSignedHead,
  encodeTrail,
  entryHash,
  localEd25519Signer,
  rawEd25519PublicKey,
  signHead,
  tenantChain,
  verifyTrail,
  type AuditEntry,
  type AuditTrail,
  type SignedAuditHead,
} from '../src/index.js';
import { sampleRecord } from './arbitraries.js';

const chain = tenantChain('acme');
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = localEd25519Signer(privateKey, 'file/audit/1');

async function setup(length = 6): Promise<{ log: MemoryAuditLog; kept: SignedAuditHead; trail: AuditTrail }> {
  const log = new MemoryAuditLog();
  for (let i = 0; i < length; i++) {
    log.append(chain, sampleRecord(i), 1_000 + i);
    log.append(SYSTEM_CHAIN, sampleRecord(i, { type: 'system.epoch' }), 1_000 + i);
  }
  const kept = await signHead(log.head('keymanager', 2_000), signer);
  // What a tenant admin stores and later reads back: bytes, not objects.
  const keptAgain = decodeSignedHead(encodeSignedHead(kept));
  return { log, kept: keptAgain, trail: decodeTrail(encodeTrail(log.trail(chain))) };
}

/** Recomputes seq numbers and hash links, as a forger who rewrites history would. */
function relink(entries: readonly AuditEntry[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = entries[0]!.prevHash;
  entries.forEach((e, i) => {
    const next = { ...e, seq: i + 1, prevHash: prev };
    out.push(next);
    prev = entryHash(next);
  });
  return out;
}

function expectCode(fn: () => unknown, code: string): void {
  expect(fn).toThrow(expect.objectContaining({ code }));
}

describe('verifyTrail', () => {
  it('accepts an untouched trail, with the raw public key or the KeyObject', async () => {
    const { kept, trail } = await setup();
    const result = verifyTrail(trail, kept, rawEd25519PublicKey(publicKey));
    expect(result.verifiedLength).toBe(6);
    expect(result.length).toBe(6);
    expect(verifyTrail(trail, kept, publicKey).lastHash.equals(kept.head.chains.find((c) => c.chain === chain)!.hash)).toBe(true);
  });

  it('accepts entries appended after the kept head (linked, not yet signed)', async () => {
    const { log, kept } = await setup();
    log.append(chain, sampleRecord(99), 3_000);
    const result = verifyTrail(log.trail(chain), kept, publicKey);
    expect(result.verifiedLength).toBe(6);
    expect(result.length).toBe(7);
  });

  it('detects a rewritten entry (left unlinked)', async () => {
    const { kept, trail } = await setup();
    const entries = [...trail.entries];
    entries[2] = { ...entries[2]!, outcome: 'denied' };
    expectCode(() => verifyTrail({ chain, entries }, kept, publicKey), ErrorCodes.AUDIT_CHAIN_BROKEN);
  });

  it('detects a rewritten entry even when every later hash was recomputed', async () => {
    const { kept, trail } = await setup();
    const entries = [...trail.entries];
    entries[2] = { ...entries[2]!, principal: 'spiffe://td/node/someone-else' };
    expectCode(() => verifyTrail({ chain, entries: relink(entries) }, kept, publicKey), ErrorCodes.AUDIT_HEAD_MISMATCH);
  });

  it('detects a rewritten last entry', async () => {
    const { kept, trail } = await setup();
    const entries = [...trail.entries];
    entries[5] = { ...entries[5]!, reason: 'nothing-to-see' };
    expectCode(() => verifyTrail({ chain, entries }, kept, publicKey), ErrorCodes.AUDIT_HEAD_MISMATCH);
  });

  it('detects a dropped entry', async () => {
    const { kept, trail } = await setup();
    const entries = trail.entries.filter((_, i) => i !== 3);
    expectCode(() => verifyTrail({ chain, entries }, kept, publicKey), ErrorCodes.AUDIT_CHAIN_BROKEN);
    // Re-linked after the drop, the trail is one short of the head.
    expectCode(() => verifyTrail({ chain, entries: relink(entries) }, kept, publicKey), ErrorCodes.AUDIT_TRUNCATED);
  });

  it('detects reordered entries', async () => {
    const { kept, trail } = await setup();
    const entries = [...trail.entries];
    [entries[1], entries[2]] = [entries[2]!, entries[1]!];
    expectCode(() => verifyTrail({ chain, entries }, kept, publicKey), ErrorCodes.AUDIT_CHAIN_BROKEN);
    expectCode(() => verifyTrail({ chain, entries: relink(entries) }, kept, publicKey), ErrorCodes.AUDIT_HEAD_MISMATCH);
  });

  it('detects a truncated trail', async () => {
    const { kept, trail } = await setup();
    expectCode(() => verifyTrail({ chain, entries: trail.entries.slice(0, 5) }, kept, publicKey), ErrorCodes.AUDIT_TRUNCATED);
    expectCode(() => verifyTrail({ chain, entries: [] }, kept, publicKey), ErrorCodes.AUDIT_TRUNCATED);
  });

  it('detects an entry moved in from another chain', async () => {
    const { log, kept, trail } = await setup();
    const entries = [...trail.entries];
    entries[0] = { ...log.entries(SYSTEM_CHAIN)[0]! };
    expectCode(() => verifyTrail({ chain, entries }, kept, publicKey), ErrorCodes.AUDIT_CHAIN_BROKEN);
  });

  it('detects a forged head signature', async () => {
    const { log, trail } = await setup();
    const forger = generateKeyPairSync('ed25519');
    const forged = await signHead(log.head('keymanager', 2_000), localEd25519Signer(forger.privateKey, 'file/audit/1'));
    expectCode(() => verifyTrail(trail, forged, publicKey), ErrorCodes.AUDIT_BAD_SIGNATURE);
  });

  it('detects a head altered after signing (to match a rewritten trail)', async () => {
    const { kept, trail } = await setup();
    const entries = [...trail.entries];
    entries[5] = { ...entries[5]!, outcome: 'failed' };
    const bytes = encodeSignedHead(kept);
    const oldHash = kept.head.chains.find((c) => c.chain === chain)!.hash;
    const at = bytes.indexOf(oldHash);
    expect(at).toBeGreaterThan(0);
    entryHash(entries[5]!).copy(bytes, at);
    const altered = decodeSignedHead(bytes);
    expectCode(() => verifyTrail({ chain, entries }, altered, publicKey), ErrorCodes.AUDIT_BAD_SIGNATURE);
  });

  it('refuses a chain the head does not list', async () => {
    const { kept } = await setup();
    const other = new MemoryAuditLog();
    other.append(tenantChain('zeta'), sampleRecord(1), 1);
    expectCode(() => verifyTrail(other.trail(tenantChain('zeta')), kept, publicKey), ErrorCodes.AUDIT_UNKNOWN_CHAIN);
  });

  it('encodes entries without any JSON', async () => {
    const { trail } = await setup(1);
    const bytes = encodeEntry(trail.entries[0]!);
    expect(bytes.includes(Buffer.from('{"'))).toBe(false);
  });
});
