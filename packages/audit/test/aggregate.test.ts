import { describe, expect, it } from 'vitest';
import {
  AuditSinkAdapter,
  DenialAggregator,
  MIXED_REASONS,
  MemoryAuditLog,
  OVERFLOW_REASON,
  SYSTEM_CHAIN,
  tenantChain,
  type ChainRecord,
} from '../src/index.js';

const MINUTE = 60_000;

describe('DenialAggregator', () => {
  it('folds denials per (principal, method, minute) into one counted record', () => {
    const agg = new DenialAggregator();
    const base = { chain: SYSTEM_CHAIN, type: 'rpc.denied', reason: 'kind-not-allowed' };
    for (let i = 0; i < 50; i++) agg.record({ ...base, principal: 'spiffe://td/node/a', method: '/m/One', atMs: 10 * MINUTE + i * 100 });
    agg.record({ ...base, principal: 'spiffe://td/node/a', method: '/m/Two', atMs: 10 * MINUTE + 5 });
    agg.record({ ...base, principal: 'spiffe://td/node/b', method: '/m/One', atMs: 10 * MINUTE + 5 });
    agg.record({ ...base, principal: 'spiffe://td/node/a', method: '/m/One', atMs: 11 * MINUTE + 1 });
    expect(agg.flush(11 * MINUTE - 1)).toEqual([]);
    const first = agg.flush(11 * MINUTE);
    expect(first).toHaveLength(3);
    const one = first.find((r) => r.record.principal === 'spiffe://td/node/a' && r.record.method === '/m/One')!;
    expect(one.record).toMatchObject({ type: 'rpc.denied', outcome: 'denied', count: 50, windowStartMs: 10 * MINUTE, reason: 'kind-not-allowed' });
    expect(agg.pendingBuckets).toBe(1);
    expect(agg.drain()[0]!.record).toMatchObject({ count: 1, windowStartMs: 11 * MINUTE });
  });

  it('says "multiple" when reasons differ within a bucket', () => {
    const agg = new DenialAggregator();
    const base = { chain: SYSTEM_CHAIN, type: 'rpc.denied', principal: 'p', method: 'm', atMs: 0 };
    agg.record({ ...base, reason: 'a' });
    agg.record({ ...base, reason: 'b' });
    expect(agg.drain()[0]!.record.reason).toBe(MIXED_REASONS);
  });

  it('keeps exact counts past its bucket bound through an overflow bucket', () => {
    const agg = new DenialAggregator({ maxBuckets: 3 });
    for (let i = 0; i < 10; i++) agg.record({ chain: SYSTEM_CHAIN, type: 'rpc.denied', principal: `p${i}`, method: 'm', reason: 'r', atMs: 0 });
    const out = agg.drain();
    expect(out).toHaveLength(4);
    expect(out.reduce((n, r) => n + (r.record.count ?? 1), 0)).toBe(10);
    expect(out.find((r) => r.record.principal === '*')!.record).toMatchObject({ count: 7, reason: OVERFLOW_REASON, method: '*' });
  });
});

describe('AuditSinkAdapter', () => {
  function setup(): { adapter: AuditSinkAdapter; appended: ChainRecord[]; now: { t: number } } {
    const appended: ChainRecord[] = [];
    const now = { t: 5 * MINUTE };
    const adapter = new AuditSinkAdapter({ appender: { append: (rs) => appended.push(...rs) }, clock: () => now.t });
    return { adapter, appended, now };
  }

  it('aggregates transport denials and routes tenant principals to their chain', () => {
    const { adapter, appended, now } = setup();
    for (let i = 0; i < 20; i++) {
      adapter.record({ type: 'rpc.denied', method: '/tessera.admin.v1.Admin/CreateTenant', principal: 'spiffe://td/tenant/acme/client/app', reason: 'kind-not-allowed' });
    }
    adapter.record({ type: 'rpc.unauthenticated', method: '/x', peer: '127.0.0.1:1', reason: 'no-certificate' });
    expect(appended).toEqual([]);
    now.t = 6 * MINUTE;
    adapter.flush();
    expect(appended).toHaveLength(2);
    const tenant = appended.find((r) => r.chain === tenantChain('acme'))!;
    expect(tenant.record).toMatchObject({ type: 'rpc.denied', count: 20, outcome: 'denied' });
    expect(appended.find((r) => r.chain === SYSTEM_CHAIN)!.record).toMatchObject({ type: 'rpc.unauthenticated', principal: '' });
  });

  it('forwards other events at once, naming the tenant as target', () => {
    const { adapter, appended } = setup();
    adapter.record({ type: 'tls.tenant_ca_skipped', tenant: 'acme', reason: 'bad-crl' });
    adapter.record({ type: 'tls.reload_failed', reason: 'unreadable' });
    expect(appended.map((r) => [r.chain, r.record.outcome])).toEqual([
      ['tenant/acme', 'ok'],
      ['system', 'failed'],
    ]);
    expect(appended[0]!.record.targets).toEqual([{ kind: 'tenant', tenant: 'acme' }]);
  });

  it('never throws, replacing unencodable fields', () => {
    const { adapter, appended } = setup();
    expect(() => adapter.record({ type: 'Weird Type', principal: 'ünïcode', method: 'x'.repeat(1000) })).not.toThrow();
    expect(appended[0]!.record).toMatchObject({ type: 'transport.unknown', principal: '?', method: '?' });
    // The records it forwards are always appendable.
    const log = new MemoryAuditLog();
    for (const r of appended) log.append(r.chain, r.record, 1);
  });

  it('drains pending windows on close', () => {
    const { adapter, appended } = setup();
    adapter.record({ type: 'rpc.denied', method: '/m', principal: 'spiffe://td/node/n1', reason: 'r' });
    adapter.close();
    expect(appended).toHaveLength(1);
  });
});
