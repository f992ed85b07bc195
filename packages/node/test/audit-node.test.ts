/**
 * The node side of the metadata audit log (issue #9): who may take which
 * head and export which chain (every principal kind, tenant A naming tenant
 * B), admin actions reported with the caller and outcome (a forced removal
 * marked), how the batcher proposes `auditAppend` (the batcher itself is
 * tested in @tessera/audit), and the transport sink's fan-out.
 */
import type * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { AuditSinkAdapter, SYSTEM_CHAIN, tenantChain, type ChainRecord } from '@tessera/audit';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { ERROR_CODE_METADATA, MemoryAuditSink, toStatus, type Principal } from '@tessera/transport';
import { EventEmitter } from 'node:events';
import { decodeSignedHead, encodeSignedHead, localEd25519Signer, signHead, decodeHead } from '@tessera/audit';
import { generateKeyPairSync } from 'node:crypto';
import { ENTRIES_PER_PART, NodeTransportAuditSink, nodeAuditBatcher, adminActionRecords, auditAdminHandlers, auditHandlers, exportScope, headScope } from '../src/audit/index.js';
import { MetadataAuditLog } from '../src/metadata/audit-log.js';
import { AUDIT_APPEND_LIMITS } from '../src/metadata/audit-command.js';
import type { MetadataCommand } from '../src/metadata/commands.js';
import type { MetadataResult } from '../src/metadata/machine.js';

const TD = 'tessera.test';
const principals: Record<string, Principal> = {
  admin: { kind: 'admin', name: 'ops', spiffeId: `spiffe://${TD}/admin/ops`, trustDomain: TD },
  acmeAdmin: { kind: 'tenant-admin', tenant: 'acme', name: 'boss', spiffeId: `spiffe://${TD}/tenant/acme/admin/boss`, trustDomain: TD },
  acmeClient: { kind: 'tenant-client', tenant: 'acme', name: 'app', spiffeId: `spiffe://${TD}/tenant/acme/client/app`, trustDomain: TD },
  node: { kind: 'node', id: 'n1', spiffeId: `spiffe://${TD}/node/n1`, trustDomain: TD },
  keymanager: { kind: 'keymanager', id: 'km1', spiffeId: `spiffe://${TD}/keymanager/km1`, trustDomain: TD },
};
const p = (name: string): Principal => principals[name]!;
const denied = expect.objectContaining({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED });

describe('audit scope on the node (every principal kind)', () => {
  it('a tenant admin: a head of its own chain only, and only its own chain to export', () => {
    expect(headScope(p('acmeAdmin'), 'acme')).toEqual({ select: [tenantChain('acme')], tenant: 'acme' });
    expect(headScope(p('acmeAdmin'), '')).toEqual({ select: [tenantChain('acme')], tenant: 'acme' });
    expect(exportScope(p('acmeAdmin'), 'acme')).toBe(tenantChain('acme'));
    // Tenant A naming tenant B.
    expect(() => headScope(p('acmeAdmin'), 'bolt')).toThrow(denied);
    expect(() => exportScope(p('acmeAdmin'), 'bolt')).toThrow(denied);
  });

  it('a cluster admin: heads of every chain or one tenant, the system chain to export, never a tenant trail', () => {
    expect(headScope(p('admin'), '')).toEqual({ select: undefined, tenant: undefined });
    expect(headScope(p('admin'), 'bolt')).toEqual({ select: [tenantChain('bolt')], tenant: 'bolt' });
    expect(() => headScope(p('admin'), 'Not_A_Tenant')).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_TENANT_ID }));
    expect(exportScope(p('admin'), '')).toBe(SYSTEM_CHAIN);
    expect(() => exportScope(p('admin'), 'acme')).toThrow(denied);
  });

  it('tenant clients, nodes and key managers get nothing (behind the authorization table, the handler refuses too)', () => {
    for (const name of ['acmeClient', 'node', 'keymanager']) {
      expect(() => headScope(p(name), ''), name).toThrow(denied);
      expect(() => exportScope(p(name), ''), name).toThrow(denied);
      expect(() => exportScope(p(name), 'acme'), name).toThrow(denied);
    }
  });
});

describe('admin actions', () => {
  it('names the caller, the method, the targets and the outcome; a forced removal says so', () => {
    const [removal] = adminActionRecords('RemoveMember', principals['admin']!.spiffeId, { id: 'n3', force: true });
    expect(removal).toEqual({
      chain: SYSTEM_CHAIN,
      record: { type: 'admin.action', principal: `spiffe://${TD}/admin/ops`, method: 'RemoveMember', outcome: 'ok', reason: 'forced', targets: [{ kind: 'node', nodeId: 'n3' }] },
    });
    expect(adminActionRecords('RemoveMember', 'x', { id: 'n3', force: false })[0]?.record.reason).toBeUndefined();
    const failed = adminActionRecords('SetDeviceState', 'x', { nodeId: 'n1', deviceId: 'd1', state: 'failed' }, new TesseraError(ErrorCodes.DEVICE_BAD_TRANSITION, 'no'));
    expect(failed[0]?.record).toMatchObject({ outcome: 'failed', reason: 'device-bad-transition', targets: [{ kind: 'device', nodeId: 'n1', deviceId: 'd1' }] });
    // A tenant's quota: the system chain and the tenant's own chain.
    expect(adminActionRecords('SetTenantQuota', 'x', { tenant: 'acme', quotaBytes: '5' }).map((r) => r.chain)).toEqual([SYSTEM_CHAIN, tenantChain('acme')]);
    // Read-only methods are not actions.
    expect(adminActionRecords('ListDevices', 'x', {})).toEqual([]);
    expect(adminActionRecords('AddMember', 'x', { member: { id: 'n4' }, voter: true })[0]?.record).toMatchObject({ reason: 'voter', targets: [{ kind: 'node', nodeId: 'n4' }] });
  });

  it('the wrapper reports each call after it finished and never changes the answer', async () => {
    const sink: ChainRecord[] = [];
    const handlers = {
      RemoveMember: ((call, cb) => cb(null, { removed: call.request })) as grpc.handleUnaryCall<unknown, unknown>,
      TransferLeader: ((_call, cb) => cb({ code: 9, details: 'refused' } as grpc.ServiceError)) as grpc.handleUnaryCall<unknown, unknown>,
      SetDeviceState: ((call, cb) =>
        cb(toStatus(new TesseraError((call.request as { state: string }).state === 'x' ? ErrorCodes.RAFT_NOT_LEADER : ErrorCodes.DEVICE_BAD_TRANSITION, 'no')))) as grpc.handleUnaryCall<unknown, unknown>,
      ListMembers: ((_call, cb) => cb(null, {})) as grpc.handleUnaryCall<unknown, unknown>,
    };
    const wrapped = auditAdminHandlers(handlers, { append: (r) => sink.push(...r) }, () => p('admin'));
    expect(wrapped['ListMembers']).toBe(handlers.ListMembers);
    const invoke = (name: string, request: unknown): Promise<[unknown, unknown]> =>
      new Promise((resolve) => (wrapped[name] as grpc.handleUnaryCall<unknown, unknown>)({ request } as grpc.ServerUnaryCall<unknown, unknown>, (err, value) => resolve([err, value])));
    expect(await invoke('RemoveMember', { id: 'n2', force: true })).toEqual([null, { removed: { id: 'n2', force: true } }]);
    const [err] = await invoke('TransferLeader', { id: 'n2' });
    expect(err).toMatchObject({ details: 'refused' });
    // The Tessera code travels in the status metadata; "ask the leader" is no action at all.
    const [failed] = await invoke('SetDeviceState', { nodeId: 'n1', deviceId: 'd1', state: 'failed' });
    expect((failed as { metadata: { get(k: string): unknown[] } }).metadata.get(ERROR_CODE_METADATA)).toEqual([ErrorCodes.DEVICE_BAD_TRANSITION]);
    await invoke('SetDeviceState', { nodeId: 'n1', deviceId: 'd1', state: 'x' });
    expect(sink.map((r) => [r.record.method, r.record.outcome, r.record.reason])).toEqual([
      ['RemoveMember', 'ok', 'forced'],
      ['TransferLeader', 'failed', 'internal'],
      ['SetDeviceState', 'failed', 'device-bad-transition'],
    ]);
  });
});

function fakeProposer(answer: (cmd: MetadataCommand) => MetadataResult | Promise<MetadataResult>): { proposed: MetadataCommand[]; propose(cmd: MetadataCommand): Promise<MetadataResult> } {
  const proposed: MetadataCommand[] = [];
  return {
    proposed,
    propose: async (cmd) => {
      proposed.push(cmd);
      return answer(cmd);
    },
  };
}

const rec = (i: number): ChainRecord => ({ chain: SYSTEM_CHAIN, record: { type: 'admin.action', principal: `p${i}`, outcome: 'ok' } });

// The batcher itself is tested in @tessera/audit; here, how the metadata group proposes a batch.
describe('the metadata audit batcher', () => {
  it('proposes auditAppend commands of at most AUDIT_APPEND_LIMITS.records, stamped by the clock', async () => {
    const proposer = fakeProposer(() => ({ kind: 'ok', index: 1, duplicate: false }));
    const batcher = nodeAuditBatcher({ proposer, maxBatch: 1_000, clock: () => 7 });
    await batcher.record(Array.from({ length: AUDIT_APPEND_LIMITS.records + 1 }, (_, i) => rec(i)));
    expect(proposer.proposed.map((c) => (c.op === 'auditAppend' ? [c.timeMs, c.records.length] : c.op))).toEqual([
      [7, AUDIT_APPEND_LIMITS.records],
      [7, 1],
    ]);
  });

  it('turns a refused command into its code (retriable as the group says) and a failed proposal into RAFT_NOT_LEADER', async () => {
    const refused = nodeAuditBatcher({ proposer: fakeProposer(() => ({ kind: 'error', index: 1, code: ErrorCodes.INVALID_ARGUMENT, retriable: false, duplicate: false })) });
    await expect(refused.record([rec(1)])).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT, retriable: false });
    const unreachable = nodeAuditBatcher({ proposer: fakeProposer(() => Promise.reject(new Error('peer gone'))) });
    await expect(unreachable.record([rec(1)])).rejects.toMatchObject({ code: ErrorCodes.RAFT_NOT_LEADER, retriable: true });
    unreachable.append([rec(2), rec(3)]);
    await unreachable.close();
    expect(unreachable.lost).toBe(2);
  });
});

describe('the transport sink', () => {
  it('keeps the local record and, once bound, feeds the chains (refusals aggregated)', async () => {
    const local = new MemoryAuditSink();
    const sink = new NodeTransportAuditSink(local);
    const event = { type: 'rpc.denied' as const, method: '/tessera.v1.Data/GetObject', principal: `spiffe://${TD}/tenant/acme/client/app`, reason: 'kind-not-allowed' };
    sink.record(event);
    const appended: ChainRecord[] = [];
    sink.bind(new AuditSinkAdapter({ appender: { append: (r) => appended.push(...r) }, clock: () => 120_000 }));
    sink.record(event);
    sink.record(event);
    sink.close();
    expect(local.events).toHaveLength(3);
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({ chain: tenantChain('acme'), record: { type: 'rpc.denied', count: 2, outcome: 'denied' } });
  });
});

describe('the Admin audit handlers', () => {
  function fixture(options: { signer?: boolean; entries?: number } = {}) {
    const log = new MetadataAuditLog(() => undefined);
    for (let i = 0; i < (options.entries ?? 3); i++) log.append(tenantChain('acme'), { type: 'data.access', principal: 'admin/ops', outcome: 'ok' }, 1_000 + i);
    log.append(SYSTEM_CHAIN, { type: 'node.registered', principal: '', outcome: 'ok' }, 1_000);
    const events: string[] = [];
    const keys = generateKeyPairSync('ed25519');
    const handlers = auditHandlers({
      machine: {
        auditHead: (select) => log.head(5_000, select),
        auditEntries: (chain, from, limit) => log.encodedEntries(chain, from, limit),
        auditLength: (chain) => log.length(chain),
        tenant: (id) => (id === 'acme' || id === 'bolt' ? ({ id } as never) : undefined),
      },
      readBarrier: async () => {
        events.push('barrier');
      },
      signer: () =>
        options.signer === false
          ? undefined
          : async (encoded) => ({ signedHead: encodeSignedHead(await signHead(decodeHead(encoded), localEd25519Signer(keys.privateKey, 'k#1'))), publicKey: Buffer.alloc(32), keyId: 'k#1' }),
      audit: {
        record: async (records) => {
          events.push(`audit:${records.map((r) => `${r.chain}/${r.record.type}`).join(',')}`);
          for (const r of records) log.append(r.chain, r.record, 6_000);
        },
      },
      principalOf: (call) => (call as unknown as { principal: Principal }).principal,
    });
    return { log, events, handlers };
  }

  function head(handlers: ReturnType<typeof fixture>['handlers'], principal: Principal, tenant: string): Promise<{ err: unknown; value: unknown }> {
    return new Promise((resolve) => handlers.GetAuditHead({ request: { tenant }, principal } as never, (err, value) => resolve({ err, value })));
  }

  function exported(handlers: ReturnType<typeof fixture>['handlers'], principal: Principal, tenant: string): Promise<{ parts: Array<{ chain: string; entries: Buffer[] }>; error: unknown }> {
    return new Promise((resolve) => {
      const call = Object.assign(new EventEmitter(), { request: { tenant }, principal, cancelled: false, parts: [] as Array<{ chain: string; entries: Buffer[] }> });
      const stream = Object.assign(call, {
        write: (part: { chain: string; entries: Buffer[] }) => call.parts.push(part),
        end: () => resolve({ parts: call.parts, error: undefined }),
      });
      call.on('error', (error: unknown) => resolve({ parts: call.parts, error }));
      handlers.ExportAudit(stream as never);
    });
  }

  it("signs a head of the caller's scope; without a key manager it is unavailable", async () => {
    const { handlers } = fixture();
    const own = await head(handlers, p('acmeAdmin'), 'acme');
    const signed = decodeSignedHead((own.value as { signedHead: Buffer }).signedHead);
    expect(signed.head).toMatchObject({ domain: 'metadata', chains: [{ chain: 'tenant/acme', length: 3 }] });
    const all = await head(handlers, p('admin'), '');
    expect(decodeSignedHead((all.value as { signedHead: Buffer }).signedHead).head.chains.map((c) => c.chain)).toEqual(['system', 'tenant/acme']);
    expect((await head(handlers, p('admin'), 'ghost')).err).toMatchObject({ code: 5 });
    expect((await head(fixture({ signer: false }).handlers, p('admin'), '')).err).toMatchObject({ code: 14 });
  });

  it('audits an export before streaming it, in bounded parts, the export itself included', async () => {
    const { handlers, events } = fixture({ entries: ENTRIES_PER_PART + 5 });
    const { parts, error } = await exported(handlers, p('acmeAdmin'), 'acme');
    expect(error).toBeUndefined();
    expect(events).toEqual(['barrier', 'audit:tenant/acme/audit.export', 'barrier']);
    expect(parts.map((part) => [part.chain, part.entries.length])).toEqual([
      ['tenant/acme', ENTRIES_PER_PART],
      ['tenant/acme', 6],
    ]);
    const system = await exported(handlers, p('admin'), '');
    expect(system.parts.map((part) => part.chain)).toEqual(['system']);
    const refused = await exported(handlers, p('admin'), 'acme');
    expect(refused.parts).toEqual([]);
    expect(refused.error).toMatchObject({ code: 7 });
  });
});
