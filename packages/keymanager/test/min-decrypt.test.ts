/**
 * The minimum decrypt epoch (DESIGN section 5, rotation): only an
 * allow-listed node (the metadata leader) reports it; it never moves back,
 * never passes the system epoch, a lower metadata term cannot override a
 * higher one; master keys below it are no longer released.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN, type AuditEntry } from '@tessera/audit';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { openDurableKv } from '@tessera/common/durable';
import { tempDirs } from '@tessera/common/testing';
import { AUTHORIZATION_TABLE, decideCall, type Principal } from '@tessera/transport';
import {
  KeyManagerStateMachine,
  KmAuditTypes,
  KmCore,
  NO_MIN_DECRYPT_EPOCH,
  decodeEnvelope,
  decodeState,
  encodeEnvelope,
  encodeState,
  metadataReadPrincipal,
  type Actor,
  type KmCommand,
  type KmEnvelope,
  type KmResult,
} from '../src/index.js';
import { CA_PEM, CRL_PEM, MemoryRootProvider, PIN_A, clusterAdmin, nodeCaller, seed, stack, tenantAdmin } from './helpers.js';

const dirs = tempDirs('tessera-km-min-decrypt-');
afterAll(() => dirs.cleanup());

const SYSTEM: Actor = { role: 'system', principal: '', tenant: '' };
const NODE: Actor = { role: 'node', principal: 'spiffe://td/node/n1', tenant: '' };
const root = { provider: 'memory', keyId: 'root', version: 1 };
const b = (fill: number): Buffer => Buffer.alloc(56, fill);

type Report = Extract<KmCommand, { type: 'report-min-decrypt-epoch' }>;
function report(epoch: number, metadataTerm: number, metadataIndex: number, nodeId = 'n1', spkiSha256 = PIN_A): Report {
  return { type: 'report-min-decrypt-epoch', nodeId, spkiSha256, epoch, metadataTerm, metadataIndex };
}

/** A core with system keys at epoch `epochs`, node n1 pinned to PIN_A, and tenant acme. */
class Harness {
  readonly core = new KmCore();
  readonly entries: AuditEntry[] = [];
  ts = 1_000;
  constructor(epochs = 3) {
    this.ok(SYSTEM, { type: 'init-system', rootRef: root, master: b(1), dedup: b(2) });
    for (let e = 1; e < epochs; e++) this.ok(clusterAdmin, { type: 'rotate-system-epoch', expectedEpoch: e, master: b(10 + e) });
    this.ok(clusterAdmin, { type: 'set-node-pin', nodeId: 'n1', spkiSha256: PIN_A });
    this.ok(clusterAdmin, { type: 'create-tenant', tenant: 'acme', policy: 'isolated', caCertPem: CA_PEM, caCrlPem: CRL_PEM });
  }
  run(actor: Actor, command: KmCommand): KmResult {
    const out = this.core.apply({ ts: (this.ts += 10), actor, command });
    this.entries.push(...out.audit.map((a) => a.entry));
    return out.result;
  }
  ok(actor: Actor, command: KmCommand): Extract<KmResult, { ok: true }> {
    const result = this.run(actor, command);
    if (!result.ok) throw new Error(`refused: ${result.code}`);
    return result;
  }
  refused(actor: Actor, command: KmCommand): string {
    const result = this.run(actor, command);
    if (result.ok) throw new Error('unexpectedly applied');
    return result.code;
  }
  get min(): number {
    return this.core.state.minDecrypt.epoch;
  }
}

describe('minimum decrypt epoch: state machine', () => {
  it('starts unset and moves forward only; a report at or below it from the same term is a duplicate that changes nothing', () => {
    const h = new Harness();
    expect(h.core.state.minDecrypt).toEqual(NO_MIN_DECRYPT_EPOCH);
    expect(h.ok(NODE, report(0, 3, 1)).duplicate).toBe(true); // nothing set, nothing to set
    expect(h.core.state.minDecrypt).toEqual(NO_MIN_DECRYPT_EPOCH);
    expect(h.ok(NODE, report(2, 5, 100)).value).toEqual({ kind: 'min-decrypt-epoch', epoch: 2, systemEpoch: 3 });
    expect(h.core.state.minDecrypt).toEqual({ epoch: 2, metadataTerm: 5, metadataIndex: 100 });
    const entries = h.entries.length;
    // The same report again (a retry) and a lower one: successful no-ops.
    for (const again of [report(2, 5, 100), report(1, 5, 120), report(0, 5, 130)]) {
      const result = h.ok(NODE, again);
      expect(result.duplicate).toBe(true);
      expect(result.value).toEqual({ kind: 'min-decrypt-epoch', epoch: 2, systemEpoch: 3 });
    }
    expect(h.core.state.minDecrypt).toEqual({ epoch: 2, metadataTerm: 5, metadataIndex: 100 });
    expect(h.entries.length).toBe(entries); // no audit entry: nothing changed
    expect(h.ok(NODE, report(3, 5, 130)).duplicate).toBeUndefined();
    expect(h.min).toBe(3);
  });

  it('records a higher metadata term even when the epoch stays, so the older term is refused from then on', () => {
    const h = new Harness();
    h.ok(NODE, report(2, 5, 100));
    const entries = h.entries.length;
    const bumped = h.ok(NODE, report(1, 6, 10));
    expect(bumped.duplicate).toBeUndefined();
    expect(bumped.value).toEqual({ kind: 'min-decrypt-epoch', epoch: 2, systemEpoch: 3 });
    expect(h.core.state.minDecrypt).toEqual({ epoch: 2, metadataTerm: 6, metadataIndex: 10 });
    expect(h.entries.slice(entries).map((e) => [e.type, e.outcome])).toEqual([[KmAuditTypes.MIN_DECRYPT_EPOCH, 'ok']]);
    expect(h.refused(NODE, report(3, 5, 200))).toBe(ErrorCodes.KM_CONFLICT);
    expect(h.ok(NODE, report(2, 6, 10)).duplicate).toBe(true);
    expect(h.min).toBe(2);
  });

  it('never passes the current system epoch', () => {
    const h = new Harness(2);
    expect(h.refused(NODE, report(3, 1, 10))).toBe(ErrorCodes.KM_BAD_STATE);
    expect(h.min).toBe(0);
    h.ok(clusterAdmin, { type: 'rotate-system-epoch', expectedEpoch: 2, master: b(20) });
    expect(h.ok(NODE, report(3, 1, 10)).value).toMatchObject({ epoch: 3 });
  });

  it('refuses a report from a metadata term lower than the one that set it: a stale leader cannot race a newer one', () => {
    const h = new Harness();
    h.ok(NODE, report(2, 7, 500));
    expect(h.refused(NODE, report(3, 6, 900))).toBe(ErrorCodes.KM_CONFLICT);
    expect(h.refused(NODE, report(2, 6, 900))).toBe(ErrorCodes.KM_CONFLICT);
    // Within the accepting term, a higher epoch read at an earlier index is stale too.
    expect(h.refused(NODE, report(3, 7, 499))).toBe(ErrorCodes.KM_CONFLICT);
    expect(h.core.state.minDecrypt).toEqual({ epoch: 2, metadataTerm: 7, metadataIndex: 500 });
    // A later term may move it on, from any index (a new leader's log positions are its own).
    h.ok(NODE, report(3, 8, 10));
    expect(h.core.state.minDecrypt).toEqual({ epoch: 3, metadataTerm: 8, metadataIndex: 10 });
  });

  it('is reported only by an allow-listed node presenting its pin; never by an admin or the system', () => {
    const h = new Harness();
    expect(h.refused(clusterAdmin, report(2, 1, 1))).toBe(ErrorCodes.KM_FORBIDDEN);
    expect(h.refused(tenantAdmin('acme'), report(2, 1, 1))).toBe(ErrorCodes.KM_FORBIDDEN);
    expect(h.refused(SYSTEM, report(2, 1, 1))).toBe(ErrorCodes.KM_FORBIDDEN);
    expect(h.refused(NODE, report(2, 1, 1, 'n9'))).toBe(ErrorCodes.KM_NODE_NOT_ALLOWED);
    expect(h.refused(NODE, report(2, 1, 1, 'n1', Buffer.alloc(32, 0xee)))).toBe(ErrorCodes.KM_NODE_NOT_ALLOWED);
    h.ok(clusterAdmin, { type: 'remove-node', nodeId: 'n1' });
    expect(h.refused(NODE, report(2, 1, 1))).toBe(ErrorCodes.KM_NODE_NOT_ALLOWED);
    expect(h.min).toBe(0);
  });

  it('refuses a report without its metadata term and index, and before the system keys exist', () => {
    const h = new Harness();
    expect(h.refused(NODE, report(2, 0, 1))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(h.refused(NODE, report(2, 1, 0))).toBe(ErrorCodes.INVALID_ARGUMENT);
    const empty = new KmCore();
    empty.apply({ ts: 1, actor: clusterAdmin, command: { type: 'set-node-pin', nodeId: 'n1', spkiSha256: PIN_A } });
    expect(empty.apply({ ts: 2, actor: NODE, command: report(1, 1, 1) }).result).toMatchObject({ ok: false, code: ErrorCodes.KM_NOT_INITIALIZED });
  });

  it('audits every accepted change in the system chain, naming the node, the epoch, the term and the index; refusals too', () => {
    const h = new Harness();
    const start = h.entries.length;
    h.ok(NODE, report(2, 4, 77));
    h.ok(NODE, report(2, 4, 77)); // duplicate: nothing new to record
    h.refused(NODE, report(3, 3, 99));
    const added = h.entries.slice(start);
    expect(added.map((e) => [e.chain, e.type, e.outcome, e.reason ?? ''])).toEqual([
      [SYSTEM_CHAIN, KmAuditTypes.MIN_DECRYPT_EPOCH, 'ok', ''],
      [SYSTEM_CHAIN, KmAuditTypes.MIN_DECRYPT_EPOCH, 'failed', 'km-conflict'],
    ]);
    const accepted = added[0]!;
    expect(accepted).toMatchObject({ principal: NODE.principal, method: 'ReportMinDecryptEpoch' });
    expect(accepted.targets).toEqual([
      { kind: 'node', nodeId: 'n1' },
      { kind: 'key', purpose: 'system-master', epoch: 2, version: 1 },
      { kind: 'principal', principal: metadataReadPrincipal(4, 77) },
    ]);
  });
});

describe('minimum decrypt epoch: codecs', () => {
  const envelope = (command: KmCommand): KmEnvelope => ({ ts: 42, actor: NODE, command });

  it('round-trips the report command canonically', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), (epoch, term, index, pin) => {
        const bytes = encodeEnvelope(envelope(report(epoch, term, index, 'n-1.x', Buffer.from(pin))));
        const back = decodeEnvelope(bytes);
        expect(back.command).toEqual(report(epoch, term, index, 'n-1.x', Buffer.from(pin)));
        expect(encodeEnvelope(back).equals(bytes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes mutated or cut report commands to a TesseraError only, and apply never throws on them', () => {
    const h = new Harness();
    const valid = encodeEnvelope(envelope(report(2, 9, 1234)));
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(), (at, xor, cut) => {
        const mutated = Buffer.from(valid);
        mutated[at % valid.length]! ^= xor;
        for (const candidate of [mutated, valid.subarray(0, cut % valid.length)]) {
          try {
            decodeEnvelope(candidate);
          } catch (err) {
            expect(isTesseraError(err)).toBe(true);
          }
          expect(new KmCore(h.core.state).applyData(candidate).result).toBeDefined();
        }
      }),
      { numRuns: 800 },
    );
  });

  it('carries the value in the state encoding; a partial or out-of-range value is refused', () => {
    const h = new Harness();
    h.ok(NODE, report(2, 4, 77));
    const bytes = h.core.encode();
    const back = decodeState(bytes);
    expect(back.minDecrypt).toEqual({ epoch: 2, metadataTerm: 4, metadataIndex: 77 });
    expect(encodeState(back).equals(bytes)).toBe(true);
    // The three u64s sit just before the audit heads.
    const at = bytes.length - h.core.state.audit.encode().length - 24;
    expect(bytes.readBigUInt64BE(at)).toBe(2n);
    for (const [epoch, term, index] of [[0, 4, 77], [2, 0, 77], [2, 4, 0], [4, 4, 77]] as const) {
      const bad = Buffer.from(bytes);
      bad.writeBigUInt64BE(BigInt(epoch), at);
      bad.writeBigUInt64BE(BigInt(term), at + 8);
      bad.writeBigUInt64BE(BigInt(index), at + 16);
      expect(() => decodeState(bad)).toThrow(expect.objectContaining({ code: ErrorCodes.CODEC_VALUE_OUT_OF_RANGE }));
    }
  });

  it('still reads format-2 (no disabled flag) and format-1 (no minimum decrypt epoch either) states, and writes them back as format 3', () => {
    const h = new Harness();
    const state = h.core.state;
    const current = h.core.encode();
    // The tenant's disabled flag is the one byte that differs when it is set.
    const flipped = encodeState({ ...state, tenants: new Map([...state.tenants].map(([id, t]) => [id, { ...t, disabled: true }])) });
    const flagAt = [...current].findIndex((byte, i) => byte !== flipped[i]);
    expect([current[flagAt], flipped[flagAt]]).toEqual([0, 1]);
    const badFlag = Buffer.from(current);
    badFlag[flagAt] = 2;
    expect(() => decodeState(badFlag)).toThrow(expect.objectContaining({ code: ErrorCodes.CODEC_VALUE_OUT_OF_RANGE }));

    const format2 = Buffer.concat([current.subarray(0, flagAt), current.subarray(flagAt + 1)]);
    format2[4] = 2; // "TKMS" ‖ u8 format
    const read2 = decodeState(format2);
    expect(read2.tenants.get('acme')?.disabled).toBe(false);
    expect(encodeState(read2).equals(current)).toBe(true);

    const auditBytes = state.audit.encode().length;
    const cut = format2.length - auditBytes - 24;
    expect(format2.subarray(cut, cut + 24).equals(Buffer.alloc(24))).toBe(true);
    const legacy = Buffer.concat([format2.subarray(0, cut), format2.subarray(cut + 24)]);
    legacy[4] = 1;
    const read = decodeState(legacy);
    expect(read.minDecrypt).toEqual(NO_MIN_DECRYPT_EPOCH);
    expect(read.system?.currentEpoch).toBe(3);
    expect(encodeState(read).equals(current)).toBe(true);
    const unknown = Buffer.from(current);
    unknown[4] = 4;
    expect(() => decodeState(unknown)).toThrow(expect.objectContaining({ code: ErrorCodes.CODEC_VALUE_OUT_OF_RANGE }));
  });
});

describe('minimum decrypt epoch: key service', () => {
  async function setup() {
    const kv = await openDurableKv(await dirs.make());
    const provider = new MemoryRootProvider();
    const s = await stack(kv, provider);
    await seed(s);
    await s.admin.rotateSystemEpoch(clusterAdmin, 1);
    await s.admin.rotateSystemEpoch(clusterAdmin, 2);
    return { s, kv, provider };
  }

  it('accepts the report of an allow-listed node presenting its pin, and refuses any other node', async () => {
    const { s, kv } = await setup();
    await expect(s.service.reportMinDecryptEpoch(nodeCaller('n9'), { epoch: 2, metadataTerm: 1, metadataIndex: 5 })).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    await expect(s.service.reportMinDecryptEpoch(nodeCaller('n1', Buffer.alloc(32, 0x77)), { epoch: 2, metadataTerm: 1, metadataIndex: 5 })).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    expect(s.machine.state.minDecrypt.epoch).toBe(0);
    await expect(s.service.reportMinDecryptEpoch(nodeCaller('n1'), { epoch: 2, metadataTerm: 1, metadataIndex: 5 })).resolves.toEqual({ epoch: 2, systemEpoch: 3 });
    await expect(s.service.reportMinDecryptEpoch(nodeCaller('n1'), { epoch: 2, metadataTerm: 1, metadataIndex: 5 })).resolves.toEqual({ epoch: 2, systemEpoch: 3 });
    await expect(s.service.reportMinDecryptEpoch(nodeCaller('n1'), { epoch: 4, metadataTerm: 1, metadataIndex: 6 })).rejects.toMatchObject({ code: ErrorCodes.KM_BAD_STATE });
    // The refusal before the state machine was recorded as a denial (aggregated), the change in the system chain.
    await s.audit.close();
    const trail = await s.machine.trail(SYSTEM_CHAIN);
    const ours = trail.entries.filter((e) => e.type === KmAuditTypes.MIN_DECRYPT_EPOCH);
    expect(ours.map((e) => [e.outcome, e.reason ?? ''])).toEqual(
      expect.arrayContaining([
        ['ok', ''],
        ['failed', 'km-bad-state'],
        ['denied', 'node-not-allowed'],
        ['denied', 'pin-mismatch'],
      ]),
    );
    await kv.close();
  });

  it('releases master keys of every epoch before the report, and none below the minimum after it', async () => {
    const { s, kv } = await setup();
    const n1 = nodeCaller('n1');
    for (const epoch of [1, 2, 3]) (await s.service.masterKey(n1, epoch)).key.destroy();
    await s.service.reportMinDecryptEpoch(n1, { epoch: 2, metadataTerm: 3, metadataIndex: 40 });
    await expect(s.service.masterKey(n1, 1)).rejects.toMatchObject({ code: ErrorCodes.EPOCH_RETIRED });
    for (const epoch of [2, 3]) {
      const issued = await s.service.masterKey(n1, epoch);
      expect(issued.epoch).toBe(epoch);
      issued.key.destroy();
    }
    const current = await s.service.masterKey(n1);
    expect(current.epoch).toBe(3);
    current.key.destroy();
    await kv.close();
  });

  it('survives a reopen and travels in snapshots', async () => {
    const { s, kv, provider } = await setup();
    await s.service.reportMinDecryptEpoch(nodeCaller('n1'), { epoch: 3, metadataTerm: 2, metadataIndex: 9 });
    const snap = await s.machine.snapshot();
    const other = await openDurableKv(await dirs.make());
    const restored = await KeyManagerStateMachine.open({ kv: other, provider });
    expect(restored.state.minDecrypt).toEqual(NO_MIN_DECRYPT_EPOCH);
    await restored.restore({ metadata: { index: s.machine.appliedIndex(), term: 1, confState: { voters: ['a'], learners: [] } }, data: snap });
    expect(restored.state.minDecrypt).toEqual({ epoch: 3, metadataTerm: 2, metadataIndex: 9 });
    expect(Buffer.from(await restored.snapshot()).equals(Buffer.from(snap))).toBe(true);
    const reopened = await KeyManagerStateMachine.open({ kv, provider });
    expect(reopened.state.minDecrypt).toEqual({ epoch: 3, metadataTerm: 2, metadataIndex: 9 });
    await other.close();
    await kv.close();
  });
});

describe('minimum decrypt epoch: who may call it', () => {
  const PATH = '/tessera.v1.Keys/ReportMinDecryptEpoch';
  const base = { trustDomain: 'td' };
  const principals: Record<string, Principal> = {
    node: { ...base, kind: 'node', id: 'n1', spiffeId: 'spiffe://td/node/n1' },
    admin: { ...base, kind: 'admin', name: 'alice', spiffeId: 'spiffe://td/admin/alice' },
    tenantAdmin: { ...base, kind: 'tenant-admin', tenant: 'acme', name: 'bob', spiffeId: 'spiffe://td/tenant/acme/admin/bob' },
    tenantClient: { ...base, kind: 'tenant-client', tenant: 'acme', name: 'app', spiffeId: 'spiffe://td/tenant/acme/client/app' },
    keymanager: { ...base, kind: 'keymanager', id: 'km2', spiffeId: 'spiffe://td/keymanager/km2' },
  };

  it('is open to storage nodes only: the authorization table refuses a cluster admin and a tenant admin', () => {
    expect(AUTHORIZATION_TABLE.get(PATH)?.allow).toEqual(['node']);
    expect(decideCall(AUTHORIZATION_TABLE, PATH, principals.node!)).toMatchObject({ ok: true });
    for (const who of ['admin', 'tenantAdmin', 'tenantClient', 'keymanager']) {
      expect(decideCall(AUTHORIZATION_TABLE, PATH, principals[who]!)).toEqual({ ok: false, reason: 'kind-not-allowed' });
    }
  });
});
