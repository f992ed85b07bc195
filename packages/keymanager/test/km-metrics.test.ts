/**
 * The key manager's metric families: readiness and provider health,
 * unwraps counted by a pass-through provider wrapper, rotations and shreds
 * counted from applied events, tenants by state — and no label naming a
 * tenant (O1).
 */
import { describe, expect, it } from 'vitest';
import { StateRole, type RaftNodeObserver, type RaftNodeStats, type RaftNodeStatus } from '@tessera/raft';
import { RpcCounts } from '@tessera/transport';
import { countKeyEvent, KeyManagerMetrics, type KeyEventCounts, type UnwrapCounts } from '../src/index.js';
import { countingProvider } from '../src/process/counting-provider.js';
import type { RootProvider } from '../src/provider/types.js';
import type { KmState } from '../src/state/types.js';

function value(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const rendered = Object.keys(labels).length === 0 ? name : `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
  const line = body.split('\n').find((l) => l.startsWith(`${rendered} `));
  return line === undefined ? undefined : Number(line.slice(rendered.length + 1));
}

const raftStats = (): RaftNodeStats => ({
  readies: 0, syncedBatches: 0, entriesPersisted: 0, entriesApplied: 0, messagesSent: 0, messagesDropped: 0, messagesRefused: 0,
  snapshotsCreated: 0, snapshotsInstalled: 0, leaderChanges: 1, proposalsApplied: 0, proposalsNotLeader: 0, proposalsRejected: 0, proposalsUnknown: 0,
});

const raft = {
  stats: raftStats(),
  status: (): RaftNodeStatus => ({ id: 'km1', role: StateRole.Leader, lead: 'km1', term: 2, commit: 5, applied: 5, confState: { voters: ['km1'], learners: [] } }),
  observe: (_o: RaftNodeObserver) => () => undefined,
};

function state(tenants: Array<[string, 'active' | 'shredded']>): KmState {
  return {
    system: { currentEpoch: 3 },
    tenants: new Map(tenants.map(([id, s]) => [id, { id, state: s }])),
  } as unknown as KmState;
}

describe('key-manager metrics', () => {
  it('reports readiness, provider health, rotations, shreds, tenants by state and the system epoch', async () => {
    const unwraps: UnwrapCounts = { ok: 0, error: 0 };
    const events: KeyEventCounts = { kekRotations: 0, tenantEpochs: 0, systemEpochs: 0, shreds: 0 };
    let healthy = true;
    const rpc = new RpcCounts();
    rpc.record('/tessera.v1.Keys/GetTenantDataKey', 0);
    const m = new KeyManagerMetrics({
      ready: async () => healthy,
      providerHealthy: () => healthy,
      raft,
      servers: () => [{ kind: 'keys', rpc }],
      state: () => state([['acme-corp', 'active'], ['beta-inc', 'active'], ['gone-ltd', 'shredded']]),
      unwraps,
      events,
      defaults: false,
    });
    countKeyEvent(events, { kind: 'kek-rotated', tenant: 'acme-corp', kekVersion: 2 });
    countKeyEvent(events, { kind: 'system-epoch', epoch: 3 });
    countKeyEvent(events, { kind: 'tenant-shredded', tenant: 'gone-ltd' });
    countKeyEvent(events, { kind: 'tenant-changed', tenant: {} as never });
    unwraps.ok = 7;
    let body = await m.renderOwn();
    expect(value(body, 'tessera_keymanager_ready')).toBe(1);
    expect(value(body, 'tessera_keymanager_provider_healthy')).toBe(1);
    expect(value(body, 'tessera_keys_unwraps_total', { outcome: 'ok' })).toBe(7);
    expect(value(body, 'tessera_keys_rotations_total', { kind: 'kek' })).toBe(1);
    expect(value(body, 'tessera_keys_rotations_total', { kind: 'system_epoch' })).toBe(1);
    expect(value(body, 'tessera_keys_rotations_total', { kind: 'tenant_epoch' })).toBe(0);
    expect(value(body, 'tessera_keys_shreds_total')).toBe(1);
    expect(value(body, 'tessera_keys_tenants', { state: 'active' })).toBe(2);
    expect(value(body, 'tessera_keys_tenants', { state: 'shredded' })).toBe(1);
    expect(value(body, 'tessera_keys_system_epoch')).toBe(3);
    expect(value(body, 'tessera_raft_is_leader', { group: 'keymanager' })).toBe(1);
    expect(value(body, 'tessera_grpc_requests_total', { port: 'keys', service: 'tessera.v1.Keys', method: 'GetTenantDataKey', code: 'OK' })).toBe(1);
    expect(body).not.toMatch(/acme|beta|gone/);
    healthy = false;
    body = await m.renderOwn();
    expect(value(body, 'tessera_keymanager_ready')).toBe(0);
    expect(value(body, 'tessera_keymanager_provider_healthy')).toBe(0);
    expect((await m.render()).body).not.toMatch(/^process_cpu/m);
    m.close();
  });

  it('the counting provider counts unwraps by outcome and passes everything through', async () => {
    const calls: string[] = [];
    let fail = false;
    const inner = {
      kind: 'file',
      shareable: false,
      unwrap: async () => {
        calls.push('unwrap');
        if (fail) throw new Error('wrong context');
        return 'key' as never;
      },
      health: async () => ({ ok: true, provider: 'file' }),
    } as unknown as RootProvider;
    const counts: UnwrapCounts = { ok: 0, error: 0 };
    const p = countingProvider(inner, counts);
    expect(p.kind).toBe('file');
    expect(p.shareable).toBe(false);
    expect(await p.unwrap({} as never, new Uint8Array(1), {} as never)).toBe('key');
    fail = true;
    await expect(p.unwrap({} as never, new Uint8Array(1), {} as never)).rejects.toThrow('wrong context');
    expect(counts).toEqual({ ok: 1, error: 1 });
    expect(await p.health()).toEqual({ ok: true, provider: 'file' });
    expect(calls).toEqual(['unwrap', 'unwrap']);
  });
});
