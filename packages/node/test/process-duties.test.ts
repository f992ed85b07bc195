/**
 * NodeDuties against a real MetadataMachine: a fake proposer applies every
 * proposed command to the machine (as the committed log would), so each
 * duty sees its own earlier proposals committed.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, Logger, TesseraError } from '@tessera/common';
import { tempDirs, waitFor } from '@tessera/common/testing';
import type { TenantView } from '@tessera/keymanager';
import type { MetadataProposer } from '../src/data/proposer.js';
import type { MetadataCommand } from '../src/metadata/commands.js';
import type { MetadataResult } from '../src/metadata/machine.js';
import { CLOCK_INTERVAL_MS, NodeDuties } from '../src/process/duties.js';
import type { NodeDeviceConfig } from '../src/process/config.js';
import { Harness, T0, chunkCommit, keyTagOf, putCmd, topologyAndTenants } from './support/metadata-fixtures.js';

const dirs = tempDirs('tessera-duties-');
afterAll(async () => {
  await Harness.closeAll();
  await dirs.cleanup();
});
afterEach(() => {
  vi.useRealTimers();
});

const DEVICES: readonly NodeDeviceConfig[] = [
  { id: 'd1', path: '/unused/d1', capacityBytes: 1 << 30, pool: 'default' },
  { id: 'd2', path: '/unused/d2', capacityBytes: 2 * 2 ** 30, pool: 'fast' },
];

const CA = (n: number): string => `-----BEGIN CERTIFICATE-----\nca-${n}\n-----END CERTIFICATE-----\n`;
const CRL = (n: number): string => `-----BEGIN X509 CRL-----\ncrl-${n}\n-----END X509 CRL-----\n`;

function view(id: string, overrides: Partial<TenantView> = {}): TenantView {
  return { id, policy: 'isolated', state: 'active', caCertPem: CA(1), caCrlPem: CRL(1), currentEpoch: 1, kekVersion: 1, shredExecuteAtMs: 0, disabled: false, ...overrides };
}

interface Rig {
  readonly duties: NodeDuties;
  readonly h: Harness;
  /** Every command proposed, in order. */
  readonly proposed: MetadataCommand[];
  readonly warnings: Array<{ msg: string; line: string }>;
  leader: boolean;
  /** The wall clock the duties read. */
  now: number;
  /** Wall-clock time of the last applied entry. */
  lastEntryAt: number;
  /** When set, the next proposal fails with it (before reaching the machine). */
  failNext: TesseraError | undefined;
  /** Turns that got past registration (each asks isLeader once). */
  turns: number;
}

interface EpochHooks {
  /** The node's current system epoch (undefined: keys not loaded). */
  epoch: number | undefined;
  term: number;
  reports: Array<{ epoch: number; term: number; index: number }>;
}

async function rig(options: { leader?: boolean; peerAddress?: string; devices?: readonly NodeDeviceConfig[]; harness?: Harness; epochs?: EpochHooks } = {}): Promise<Rig> {
  const h = options.harness ?? (await Harness.create(dirs));
  const warnings: Array<{ msg: string; line: string }> = [];
  const logger = new Logger({
    level: 'debug',
    sink: {
      write: (line) => {
        const record = JSON.parse(line) as { level: string; msg: string };
        if (record.level === 'warn') warnings.push({ msg: record.msg, line });
      },
    },
  });
  const state = {
    leader: options.leader ?? true,
    now: T0,
    lastEntryAt: T0,
    failNext: undefined as TesseraError | undefined,
    turns: 0,
  };
  const proposed: MetadataCommand[] = [];
  const fake: Pick<MetadataProposer, 'propose' | 'isLeader'> = {
    isLeader: () => {
      state.turns++;
      return state.leader;
    },
    propose: async (command: MetadataCommand): Promise<MetadataResult> => {
      proposed.push(command);
      const failure = state.failNext;
      state.failNext = undefined;
      if (failure !== undefined) throw failure;
      const result = await h.one(command);
      state.lastEntryAt = state.now;
      return result;
    },
  };
  const duties = new NodeDuties({
    nodeId: 'n1',
    peerAddress: options.peerAddress ?? '127.0.0.1:7001',
    devices: options.devices ?? DEVICES,
    machine: h.machine,
    // Only propose and isLeader are part of what the duties use.
    proposer: fake as MetadataProposer,
    lastEntryAt: () => state.lastEntryAt,
    clock: () => state.now,
    logger,
    ...(options.epochs !== undefined
      ? {
          currentSystemEpoch: () => options.epochs!.epoch,
          leaderRead: async () => ({ term: options.epochs!.term, index: h.machine.appliedIndex() }),
          reportMinDecryptEpoch: async (report: { epoch: number; term: number; index: number }) => {
            options.epochs!.reports.push(report);
          },
        }
      : {}),
  });
  return Object.assign(state, { duties, h, proposed, warnings }) as Rig;
}

const ops = (cmds: readonly MetadataCommand[]): string[] => cmds.map((c) => c.op);

describe('NodeDuties: registration', () => {
  it('registers the node and each configured device once, and not again once committed', async () => {
    const r = await rig({ leader: false });
    await r.duties.turn();
    expect(ops(r.proposed)).toEqual(['registerNode', 'addDevice', 'addDevice']);
    expect(r.h.machine.nodes()).toEqual([{ nodeId: 'n1', address: '127.0.0.1:7001' }]);
    expect(r.h.machine.devices().map((d) => [d.deviceId, d.pool, d.capacityBytes, d.state])).toEqual([
      ['d1', 'default', 1 << 30, 'healthy'],
      ['d2', 'fast', 2 * 2 ** 30, 'healthy'],
    ]);
    r.proposed.length = 0;
    await r.duties.turn();
    await r.duties.turn();
    expect(r.proposed).toEqual([]);
  });

  it('registers again when the committed address differs, and adds only the devices that are missing', async () => {
    const first = await rig({ devices: DEVICES.slice(0, 1) });
    await first.duties.turn();
    const moved = await rig({ harness: first.h, peerAddress: '127.0.0.1:7999' });
    moved.now = first.now;
    await moved.duties.turn();
    expect(moved.proposed).toMatchObject([
      { op: 'registerNode', node: { nodeId: 'n1', address: '127.0.0.1:7999' } },
      { op: 'addDevice', device: { deviceId: 'd2' } },
    ]);
    expect(moved.h.machine.nodes()).toEqual([{ nodeId: 'n1', address: '127.0.0.1:7999' }]);
  });

  it('stamps commands with the injected clock', async () => {
    const r = await rig();
    r.now = T0 + 42;
    await r.duties.turn();
    expect(r.proposed.every((c) => c.timeMs === T0 + 42)).toBe(true);
  });

  it('defers the rest of a turn when a proposal fails, and finishes on the next turn', async () => {
    const r = await rig({ leader: false });
    r.failNext = new TesseraError(ErrorCodes.RAFT_UNKNOWN_OUTCOME, 'lost');
    await r.duties.turn();
    expect(ops(r.proposed)).toEqual(['registerNode']);
    await r.duties.turn();
    expect(ops(r.proposed)).toEqual(['registerNode', 'registerNode', 'addDevice', 'addDevice']);
    expect(r.h.machine.devices()).toHaveLength(2);
  });
});

describe('NodeDuties: the idle Clock (leader only)', () => {
  it('proposes Clock only after a full second without an entry', async () => {
    const r = await rig();
    await r.duties.turn(); // registration: entries applied at T0
    r.proposed.length = 0;
    r.now = T0 + CLOCK_INTERVAL_MS - 1;
    await r.duties.turn();
    expect(r.proposed).toEqual([]);
    r.now = T0 + CLOCK_INTERVAL_MS;
    await r.duties.turn();
    expect(r.proposed).toEqual([{ op: 'clock', timeMs: T0 + CLOCK_INTERVAL_MS }]);
    expect(r.h.machine.leaderTimeMs()).toBe(T0 + CLOCK_INTERVAL_MS);
    // The Clock entry itself counts as an entry: quiet again for a second.
    r.now += CLOCK_INTERVAL_MS - 1;
    await r.duties.turn();
    expect(r.proposed).toHaveLength(1);
    r.now += 1;
    await r.duties.turn();
    expect(ops(r.proposed)).toEqual(['clock', 'clock']);
  });

  it('does not repeat a Clock proposal within a second even when it did not commit', async () => {
    const r = await rig();
    await r.duties.turn();
    r.proposed.length = 0;
    r.now = T0 + 5_000;
    r.failNext = new TesseraError(ErrorCodes.RAFT_UNKNOWN_OUTCOME, 'lost');
    await r.duties.turn();
    expect(ops(r.proposed)).toEqual(['clock']);
    r.now += CLOCK_INTERVAL_MS - 1;
    await r.duties.turn();
    expect(ops(r.proposed)).toEqual(['clock']);
    r.now += 1;
    await r.duties.turn();
    expect(ops(r.proposed)).toEqual(['clock', 'clock']);
  });

  it('never proposes Clock on a follower', async () => {
    const r = await rig({ leader: false });
    await r.duties.turn();
    r.proposed.length = 0;
    r.now = T0 + 60_000;
    await r.duties.turn();
    expect(r.proposed).toEqual([]);
  });

  it('runs its turns on a timer once started, and stops', async () => {
    // Only the interval is faked: the machine's LevelDB I/O and waitFor keep real time.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const r = await rig({ leader: false });
    r.duties.start();
    await vi.advanceTimersByTimeAsync(199);
    expect(r.turns).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await waitFor('registration', () => r.h.machine.devices().length === 2);
    // A tick that finds the previous turn still busy is skipped: keep ticking until a second turn ran.
    await waitFor('a second turn', async () => {
      await vi.advanceTimersByTimeAsync(200);
      return r.turns >= 2;
    });
    r.duties.stop();
    const turns = r.turns;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(r.turns).toBe(turns);
    expect(ops(r.proposed)).toEqual(['registerNode', 'addDevice', 'addDevice']);
  });
});

describe('NodeDuties: copying tenants from the key manager (leader only)', () => {
  it('copies a tenant-changed event into upsertTenant once, and again only when it changes', async () => {
    const r = await rig();
    await r.duties.turn();
    r.proposed.length = 0;
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme') });
    r.duties.onKmEvent({ kind: 'tenant-epoch', tenant: 'acme', epoch: 2 });
    await r.duties.turn();
    expect(r.proposed).toEqual([
      { op: 'upsertTenant', timeMs: T0, tenant: { id: 'acme', policy: 'isolated', caCertPem: CA(1), caCrlPem: CRL(1), state: 'active', quotaBytes: 0, keyEpoch: 1, kekVersion: 1 } },
    ]);
    expect(r.h.machine.tenant('acme')).toMatchObject({ policy: 'isolated', state: 'active', caCertPem: CA(1) });
    await r.duties.turn();
    expect(r.proposed).toHaveLength(1);
    // The same view again: nothing to do.
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme') });
    await r.duties.turn();
    expect(r.proposed).toHaveLength(1);
    // A new CA and a scheduled shred: copied.
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme', { caCertPem: CA(2), caCrlPem: CRL(2), state: 'shred-scheduled' }) });
    await r.duties.turn();
    expect(r.proposed[1]).toMatchObject({ op: 'upsertTenant', tenant: { caCertPem: CA(2), caCrlPem: CRL(2), state: 'shred-scheduled' } });
    expect(r.h.machine.tenant('acme')).toMatchObject({ caCertPem: CA(2), state: 'shred-scheduled' });
    // A new tenant epoch or KEK version changes the key references: copied.
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme', { caCertPem: CA(2), caCrlPem: CRL(2), state: 'shred-scheduled', currentEpoch: 2, kekVersion: 3 }) });
    await r.duties.turn();
    expect(r.proposed).toHaveLength(3);
    expect(r.h.machine.tenant('acme')).toMatchObject({ keyEpoch: 2, kekVersion: 3 });
  });

  it('copies the key manager\'s disabled flag both ways, keeping the committed quota; a pending shred request still serves data', async () => {
    const r = await rig();
    await r.duties.turn();
    await r.h.one({ op: 'upsertTenant', timeMs: T0, tenant: { id: 'acme', policy: 'shared', caCertPem: CA(1), caCrlPem: CRL(1), state: 'active', quotaBytes: 5_000, keyEpoch: 1, kekVersion: 1 } });
    r.proposed.length = 0;
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme', { policy: 'shared', disabled: true }) });
    await r.duties.turn();
    expect(r.proposed).toMatchObject([{ op: 'upsertTenant', tenant: { state: 'disabled', quotaBytes: 5_000 } }]);
    expect(r.h.machine.tenant('acme')).toMatchObject({ state: 'disabled', quotaBytes: 5_000 });
    // Still disabled while a cluster admin's shred request awaits approval (the flag is beside the lifecycle).
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme', { policy: 'shared', disabled: true, state: 'shred-pending-approval' }) });
    await r.duties.turn();
    expect(r.h.machine.tenant('acme')).toMatchObject({ state: 'disabled' });
    // Enabled again, with the request still pending: the tenant's data is served.
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme', { policy: 'shared', state: 'shred-pending-approval' }) });
    await r.duties.turn();
    expect(r.h.machine.tenant('acme')).toMatchObject({ state: 'shred-pending-approval', quotaBytes: 5_000 });
    const clientId = await r.h.openSession(T0, 'acme');
    expect(await r.h.one(putCmd('acme', { clientId, seq: 1, ackedThrough: 0 }, keyTagOf(1), []))).toMatchObject({ kind: 'delta' });
    r.proposed.length = 0;
    // A shred executed in the key manager purges the tenant here (never a bare state copy), once.
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme', { policy: 'shared', state: 'shredded' }) });
    await r.duties.turn();
    expect(r.proposed).toMatchObject([{ op: 'purgeTenant', tenant: 'acme' }]);
    expect(r.h.machine.tenant('acme')).toMatchObject({ state: 'shredded', quotaBytes: 5_000 });
    await r.duties.turn();
    expect(r.proposed).toHaveLength(1);
  });

  it('purges a tenant it never saw active: the shredded tenant is recorded disabled first, then purged', async () => {
    const r = await rig();
    await r.duties.turn();
    r.proposed.length = 0;
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('gone', { policy: 'shared', state: 'shredded' }) });
    await r.duties.turn();
    expect(r.proposed).toMatchObject([{ op: 'upsertTenant', tenant: { id: 'gone', state: 'disabled' } }, { op: 'purgeTenant', tenant: 'gone' }]);
    expect(r.h.machine.tenant('gone')?.state).toBe('shredded');
  });

  it('leaves tenants to the leader: a follower copies nothing, and copies once it leads', async () => {
    const r = await rig({ leader: false });
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme') });
    await r.duties.turn();
    expect(ops(r.proposed)).not.toContain('upsertTenant');
    expect(r.h.machine.tenant('acme')).toBeUndefined();
    r.leader = true;
    await r.duties.turn();
    expect(ops(r.proposed).filter((op) => op === 'upsertTenant')).toHaveLength(1);
    expect(r.h.machine.tenant('acme')?.state).toBe('active');
  });

  it('logs a tenant copy the state machine refuses (a policy change), without its CA, and retries on the next turn', async () => {
    const r = await rig();
    await r.duties.turn();
    await r.h.one({ op: 'upsertTenant', timeMs: T0, tenant: { id: 'acme', policy: 'shared', caCertPem: CA(1), caCrlPem: CRL(1), state: 'active', quotaBytes: 0, keyEpoch: 1, kekVersion: 1 } });
    r.proposed.length = 0;
    r.duties.onKmEvent({ kind: 'tenant-changed', tenant: view('acme', { policy: 'isolated' }) });
    await r.duties.turn();
    await r.duties.turn();
    expect(r.proposed.filter((c) => c.op === 'upsertTenant')).toHaveLength(2);
    expect(r.h.machine.tenant('acme')?.policy).toBe('shared');
    expect(r.warnings.map((w) => w.msg)).toEqual(['tenant copy refused', 'tenant copy refused']);
    expect(r.warnings.every((w) => !w.line.includes('BEGIN CERTIFICATE') && w.line.includes(ErrorCodes.INVALID_ARGUMENT))).toBe(true);
  });
});

describe('NodeDuties: retiring old system epochs (leader only)', () => {
  const setMin = (r: Rig): MetadataCommand[] => r.proposed.filter((c) => c.op === 'setMinDecryptEpoch');

  it('proposes nothing while epoch 1 is the only one, and nothing before the keys are loaded', async () => {
    const epochs: EpochHooks = { epoch: undefined, term: 3, reports: [] };
    const r = await rig({ epochs });
    await r.duties.turn();
    epochs.epoch = 1;
    await r.duties.turn();
    expect(setMin(r)).toEqual([]);
    expect(epochs.reports).toEqual([]);
    expect(r.h.machine.minDecryptEpoch()).toBe(0);
  });

  it('retires older epochs once no live chunk is sealed under them, and reports the value once per leader term', async () => {
    const epochs: EpochHooks = { epoch: 2, term: 3, reports: [] };
    const r = await rig({ epochs });
    await r.duties.turn();
    expect(setMin(r)).toMatchObject([{ op: 'setMinDecryptEpoch', epoch: 2 }]);
    expect(r.h.machine.minDecryptEpoch()).toBe(2);
    expect(epochs.reports).toMatchObject([{ epoch: 2, term: 3 }]);
    await r.duties.turn();
    expect(setMin(r)).toHaveLength(1);
    expect(epochs.reports).toHaveLength(1);
    // A new leader term reports again (the key manager refuses older terms after it).
    epochs.term = 4;
    await r.duties.turn();
    expect(epochs.reports).toMatchObject([{ epoch: 2, term: 3 }, { epoch: 2, term: 4 }]);
  });

  it('leaves an epoch that still seals a live chunk', async () => {
    const h = await Harness.create(dirs);
    await h.run(...topologyAndTenants([{ id: 'a' }]), { op: 'commitChunk', timeMs: T0, chunk: chunkCommit(1, { sysEpoch: 1 }) });
    const epochs: EpochHooks = { epoch: 2, term: 3, reports: [] };
    const r = await rig({ harness: h, epochs });
    await r.duties.turn();
    expect(setMin(r)).toEqual([]);
    expect(h.machine.minDecryptEpoch()).toBe(0);
    expect(epochs.reports).toEqual([]);
  });

  it('does nothing on a follower', async () => {
    const epochs: EpochHooks = { epoch: 2, term: 3, reports: [] };
    const r = await rig({ leader: false, epochs });
    await r.duties.turn();
    expect(setMin(r)).toEqual([]);
    expect(epochs.reports).toEqual([]);
  });
});
