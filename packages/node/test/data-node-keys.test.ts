/**
 * NodeKeys over a real KeyClient and a fake KeyFetcher: readiness (master
 * and dedup keys, retried while the key manager is away), the key sets per
 * policy, and system-epoch rotation.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, Logger, TesseraError } from '@tessera/common';
import { KeyMaterial } from '@tessera/crypto';
import { KeyClient, type FetchedKey, type KeyFetcher } from '@tessera/keymanager';
import { NodeKeys } from '../src/data/node-keys.js';
import type { TenantRecord } from '../src/metadata/types.js';

/** Deterministic key bytes per purpose, so a test can tell which key it got. */
const bytesOf = (label: string): Buffer => Buffer.alloc(32, label);

class FakeFetcher implements KeyFetcher {
  systemEpoch = 1;
  readonly tenantEpochs = new Map<string, number>([['iso', 3]]);
  /** Calls that must fail before one succeeds, per method. */
  readonly failures = { master: 0, dedup: 0, tdk: 0, tik: 0 };
  readonly calls: string[] = [];

  private take(method: keyof FakeFetcher['failures']): void {
    if (this.failures[method] > 0) {
      this.failures[method]--;
      throw new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'key manager down', { retriable: true });
    }
  }

  private key(label: string, epoch: number): FetchedKey {
    return { key: KeyMaterial.fromBytes(bytesOf(label)), ttlMs: 60_000, epoch };
  }

  async masterKey(epoch?: number): Promise<FetchedKey> {
    this.calls.push(`master/${epoch ?? 'current'}`);
    this.take('master');
    const e = epoch ?? this.systemEpoch;
    return this.key(`master-${e}`, e);
  }

  async dedupKey(): Promise<FetchedKey> {
    this.calls.push('dedup');
    this.take('dedup');
    return this.key('dedup', 0);
  }

  async tenantDataKey(tenant: string, epoch?: number): Promise<FetchedKey> {
    this.calls.push(`tdk/${tenant}/${epoch ?? 'current'}`);
    this.take('tdk');
    const e = epoch ?? this.tenantEpochs.get(tenant) ?? 1;
    return this.key(`tdk-${tenant}-${e}`, e);
  }

  async tenantIndexKey(tenant: string): Promise<FetchedKey> {
    this.calls.push(`tik/${tenant}`);
    this.take('tik');
    return this.key(`tik-${tenant}`, 0);
  }
}

const SHARED: TenantRecord = { id: 'sha', policy: 'shared', caCertPem: 'c', caCrlPem: 'r', state: 'active', quotaBytes: 0, keyEpoch: 3, kekVersion: 1 };
const ISOLATED: TenantRecord = { ...SHARED, id: 'iso', policy: 'isolated' };

interface Rig {
  readonly fetcher: FakeFetcher;
  readonly keys: NodeKeys;
  readonly logLines: string[];
}

const opened: NodeKeys[] = [];

function rig(configure: (f: FakeFetcher) => void = () => undefined): Rig {
  const fetcher = new FakeFetcher();
  configure(fetcher);
  const logLines: string[] = [];
  const logger = new Logger({ level: 'debug', sink: { write: (line) => logLines.push(line) } });
  const keys = new NodeKeys(new KeyClient({ fetcher }), logger);
  opened.push(keys);
  return { fetcher, keys, logLines };
}

const hex = (key: KeyMaterial): string => key.expose().toString('hex');
const hexOf = (label: string): string => bytesOf(label).toString('hex');

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const keys of opened.splice(0)) keys.close();
  vi.useRealTimers();
});

describe('NodeKeys: readiness', () => {
  it('becomes ready once the current master key and the dedup key are loaded', async () => {
    const { keys, fetcher } = rig();
    expect(keys.ready()).toBe(false);
    keys.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(keys.ready()).toBe(true);
    expect(fetcher.calls).toEqual(['master/current', 'dedup']);
    keys.start(); // idempotent: no second load
    await vi.advanceTimersByTimeAsync(0);
    expect(fetcher.calls).toEqual(['master/current', 'dedup']);
  });

  it('refuses data-path keys with a retriable KM_UNAVAILABLE while not ready', async () => {
    const { keys } = rig();
    for (const attempt of [() => keys.writeKeySet(SHARED), () => keys.readKeySet(ISOLATED, 1, 3), () => keys.dataKey('iso'), () => keys.indexKey('iso')]) {
      await expect(attempt()).rejects.toMatchObject({ code: ErrorCodes.KM_UNAVAILABLE, retriable: true });
    }
  });

  it('retries with back-off while the key manager is unreachable, and logs no key', async () => {
    const { keys, fetcher, logLines } = rig((f) => {
      f.failures.master = 2;
    });
    keys.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(keys.ready()).toBe(false);
    expect(fetcher.calls).toEqual(['master/current']);
    await vi.advanceTimersByTimeAsync(199);
    expect(fetcher.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // first retry after 200 ms: fails again
    expect(fetcher.calls).toHaveLength(2);
    expect(keys.ready()).toBe(false);
    await vi.advanceTimersByTimeAsync(399);
    expect(fetcher.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1); // second retry after 400 ms: succeeds
    expect(keys.ready()).toBe(true);
    expect(fetcher.calls).toEqual(['master/current', 'master/current', 'master/current', 'dedup']);
    const warnings = logLines.filter((l) => l.includes('"warn"'));
    expect(warnings).toHaveLength(2);
    expect(warnings.every((l) => l.includes(ErrorCodes.KM_UNAVAILABLE))).toBe(true);
    expect(logLines.join('')).not.toContain(hexOf('master-1'));
  });

  it('is not ready with the master key alone: it keeps trying for the dedup key', async () => {
    const { keys, fetcher } = rig((f) => {
      f.failures.dedup = 3;
    });
    keys.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(keys.ready()).toBe(false);
    await expect(keys.writeKeySet(SHARED)).rejects.toMatchObject({ code: ErrorCodes.KM_UNAVAILABLE });
    await vi.advanceTimersByTimeAsync(200 + 400 + 800);
    expect(keys.ready()).toBe(true);
    // The master key was fetched once and kept; only the dedup key was asked again.
    expect(fetcher.calls.filter((c) => c.startsWith('master'))).toHaveLength(1);
    expect(fetcher.calls.filter((c) => c === 'dedup')).toHaveLength(4);
  });

  it('stops retrying once closed', async () => {
    const { keys, fetcher, logLines } = rig((f) => {
      f.failures.master = 1_000;
    });
    keys.start();
    await vi.advanceTimersByTimeAsync(200 + 400);
    expect(fetcher.calls).toHaveLength(3);
    const attempts = (): number => logLines.filter((l) => l.includes('key manager not reachable yet')).length;
    expect(attempts()).toBe(3);
    keys.close();
    await vi.advanceTimersByTimeAsync(60_000);
    // Each attempt logs once (a closed client fails before reaching the fetcher): none after close.
    expect(attempts()).toBe(3);
    expect(fetcher.calls).toHaveLength(3);
    expect(keys.ready()).toBe(false);
  });
});

describe('NodeKeys: key sets', () => {
  async function readyRig(): Promise<Rig> {
    const r = rig();
    r.keys.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(r.keys.ready()).toBe(true);
    return r;
  }

  it('gives a shared tenant the current master and the dedup key, and no tenant key', async () => {
    const { keys, fetcher } = await readyRig();
    const set = await keys.writeKeySet(SHARED);
    expect(set.policy).toBe('shared');
    if (set.policy !== 'shared') return;
    expect(set.sysEpoch).toBe(1);
    expect(hex(set.master)).toBe(hexOf('master-1'));
    expect(hex(set.dedupKey)).toBe(hexOf('dedup'));
    expect(fetcher.calls.some((c) => c.startsWith('tdk') || c.startsWith('tik'))).toBe(false);
  });

  it("gives an isolated tenant the current master, its current TDK epoch and its TIK", async () => {
    const { keys } = await readyRig();
    const set = await keys.writeKeySet(ISOLATED);
    expect(set).toMatchObject({ policy: 'isolated', sysEpoch: 1, tenant: 'iso', tenEpoch: 3 });
    if (set.policy !== 'isolated') return;
    expect(hex(set.master)).toBe(hexOf('master-1'));
    expect(hex(set.tdk)).toBe(hexOf('tdk-iso-3'));
    expect(hex(set.tik)).toBe(hexOf('tik-iso'));
  });

  it('opens stored chunks with the epochs they were sealed under', async () => {
    const { keys, fetcher } = await readyRig();
    fetcher.systemEpoch = 5;
    const shared = await keys.readKeySet(SHARED, 0, 0);
    expect(shared).toMatchObject({ policy: 'shared', sysEpoch: 0 });
    if (shared.policy === 'shared') expect(hex(shared.master)).toBe(hexOf('master-0'));
    const isolated = await keys.readKeySet(ISOLATED, 1, 2);
    expect(isolated).toMatchObject({ policy: 'isolated', sysEpoch: 1, tenant: 'iso', tenEpoch: 2 });
    if (isolated.policy === 'isolated') {
      expect(hex(isolated.master)).toBe(hexOf('master-1'));
      expect(hex(isolated.tdk)).toBe(hexOf('tdk-iso-2'));
      expect(hex(isolated.tik)).toBe(hexOf('tik-iso'));
    }
    expect(fetcher.calls).toContain('master/0');
    expect(fetcher.calls).toContain('tdk/iso/2');
  });

  it('hands out delta and index keys by tenant and epoch', async () => {
    const { keys } = await readyRig();
    const current = await keys.dataKey('iso');
    expect(current.epoch).toBe(3);
    expect(hex(current.key)).toBe(hexOf('tdk-iso-3'));
    const old = await keys.dataKey('iso', 1);
    expect(old.epoch).toBe(1);
    expect(hex(old.key)).toBe(hexOf('tdk-iso-1'));
    expect(hex(await keys.indexKey('iso'))).toBe(hexOf('tik-iso'));
  });

  it('passes a tenant-key failure through as retriable KM_UNAVAILABLE', async () => {
    const { keys, fetcher } = await readyRig();
    fetcher.failures.tdk = 1;
    await expect(keys.writeKeySet(ISOLATED)).rejects.toMatchObject({ code: ErrorCodes.KM_UNAVAILABLE, retriable: true });
    expect((await keys.writeKeySet(ISOLATED)).policy).toBe('isolated');
  });
});

describe('NodeKeys: system-epoch rotation', () => {
  async function readyRig(): Promise<Rig> {
    const r = rig();
    r.keys.start();
    await vi.advanceTimersByTimeAsync(0);
    return r;
  }

  it('loads the new master on a system-epoch event; new writes use it, old chunks still open', async () => {
    const { keys, fetcher, logLines } = await readyRig();
    fetcher.systemEpoch = 2;
    keys.onEvent({ kind: 'system-epoch', epoch: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(fetcher.calls).toContain('master/2');
    const set = await keys.writeKeySet(SHARED);
    expect(set.sysEpoch).toBe(2);
    if (set.policy === 'shared') expect(hex(set.master)).toBe(hexOf('master-2'));
    const old = await keys.readKeySet(SHARED, 1, 0);
    if (old.policy === 'shared') expect(hex(old.master)).toBe(hexOf('master-1'));
    expect(logLines.some((l) => l.includes('new system epoch loaded'))).toBe(true);
    expect(logLines.join('')).not.toContain(hexOf('master-2'));
  });

  it('keeps the previous epoch for new writes until the new master key could be loaded', async () => {
    const { keys, fetcher } = await readyRig();
    fetcher.systemEpoch = 2;
    fetcher.failures.master = 1;
    keys.onEvent({ kind: 'system-epoch', epoch: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect((await keys.writeKeySet(SHARED)).sysEpoch).toBe(1);
  });

  it('never moves new writes back to an older epoch, and ignores other events', async () => {
    const { keys, fetcher } = await readyRig();
    fetcher.systemEpoch = 3;
    keys.onEvent({ kind: 'system-epoch', epoch: 3 });
    await vi.advanceTimersByTimeAsync(0);
    keys.onEvent({ kind: 'system-epoch', epoch: 2 });
    keys.onEvent({ kind: 'tenant-epoch', tenant: 'iso', epoch: 9 });
    await vi.advanceTimersByTimeAsync(0);
    expect((await keys.writeKeySet(SHARED)).sysEpoch).toBe(3);
  });
});
