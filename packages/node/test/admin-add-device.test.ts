/**
 * Admin AddDevice against a real ShardStore in a temp folder and a real
 * metadata machine whose proposer applies at once (as the leader would):
 * attach, record, register; retries; every refusal leaves nothing behind;
 * and a "restart" (a new store from the configured plus recorded devices)
 * finds the device again.
 */
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { ShardStore } from '@tessera/storage';
import { ERROR_CODE_METADATA } from '@tessera/transport';
import type { AddDeviceRequest, AddDeviceResponse } from '@tessera/wire';
import { addDeviceHandlers, type AddDeviceView } from '../src/admin/add-device.js';
import { adminActionRecords } from '../src/audit/admin-actions.js';
import type { MetadataCommand } from '../src/metadata/commands.js';
import { loadAddedDevices, mergeDevices, saveAddedDevices } from '../src/process/added-devices.js';
import type { NodeDeviceConfig } from '../src/process/config.js';
import { Harness, T0, topologyAndTenants } from './support/metadata-fixtures.js';

const MiB = 1024 * 1024;
type Outcome = { ok: true; value: AddDeviceResponse } | { ok: false; code: string | undefined; details: string | undefined };

function call(handler: grpc.handleUnaryCall<unknown, AddDeviceResponse>, request: Partial<AddDeviceRequest>): Promise<Outcome> {
  return new Promise((resolve) => {
    handler({ request: { nodeId: '', deviceId: '', path: '', capacityBytes: '0', pool: '', ...request } } as unknown as grpc.ServerUnaryCall<unknown, AddDeviceResponse>, (err, value) => {
      if (err !== null && err !== undefined) {
        const meta = (err as Partial<grpc.StatusObject>).metadata?.get(ERROR_CODE_METADATA)[0];
        resolve({ ok: false, code: typeof meta === 'string' ? meta : undefined, details: (err as Partial<grpc.StatusObject>).details });
      } else resolve({ ok: true, value: value as AddDeviceResponse });
    });
  });
}

const dirs = tempDirs('tessera-add-device-');
const stores: ShardStore[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  await Harness.closeAll();
  await dirs.cleanup();
});

interface Fixture {
  readonly root: string;
  readonly dataDir: string;
  readonly h: Harness;
  readonly store: ShardStore;
  readonly view: AddDeviceView;
  readonly proposals: MetadataCommand[];
  readonly configured: readonly NodeDeviceConfig[];
  readonly add: (request: Partial<AddDeviceRequest>) => Promise<Outcome>;
}

async function fixture(): Promise<Fixture> {
  const base = await dirs.make('node');
  const root = path.join(base, 'devices');
  const dataDir = path.join(base, 'data');
  await mkdir(root);
  await mkdir(dataDir);
  const configured: NodeDeviceConfig[] = [{ id: 'd1', path: path.join(root, 'd1'), capacityBytes: 64 * MiB, pool: 'default' }];
  const store = await ShardStore.open({ nodeId: 'n1', devices: configured.map((d) => ({ deviceId: d.id, path: d.path, capacityBytes: d.capacityBytes })), crashSim: false, healthCheckIntervalMs: 0 });
  stores.push(store);
  const h = await Harness.inMemory();
  await h.run(...topologyAndTenants([]));
  const proposals: MetadataCommand[] = [];
  const view: AddDeviceView = {
    localNodeId: 'n1',
    roots: [root],
    store,
    devices: [...configured],
    added: [],
    record: (list) => saveAddedDevices(dataDir, list),
    machine: h.machine,
    readBarrier: async () => undefined,
    propose: async (command) => {
      proposals.push(command);
      return h.one(command);
    },
    clock: () => T0 + 1,
    localUsedBytes: (deviceId) => {
      const d = store.info().find((i) => i.deviceId === deviceId);
      return d !== undefined && 'usedBytes' in d ? d.usedBytes : undefined;
    },
  };
  const handler = addDeviceHandlers(view).AddDevice as grpc.handleUnaryCall<unknown, AddDeviceResponse>;
  return { root, dataDir, h, store, view, proposals, configured, add: (request) => call(handler, request) };
}

const d4 = (root: string): Partial<AddDeviceRequest> => ({ nodeId: 'n1', deviceId: 'd4', path: path.join(root, 'd4'), capacityBytes: String(128 * MiB) });

describe('Admin AddDevice', () => {
  it('attaches a new folder, records it in the data dir, registers it healthy and answers with the committed device', async () => {
    const f = await fixture();
    const res = await f.add(d4(f.root));
    expect(res.ok, JSON.stringify(res)).toBe(true);
    if (!res.ok) return;
    expect(res.value).toMatchObject({ path: path.join(f.root, 'd4'), formatted: true });
    expect(res.value.device).toMatchObject({ nodeId: 'n1', deviceId: 'd4', pool: 'default', state: 'healthy', capacityBytes: String(128 * MiB), usedKnown: true });
    expect(f.store.deviceIds()).toContain('d4');
    expect(await readdir(path.join(f.root, 'd4'))).toContain('SUPERBLOCK');
    expect(f.h.machine.devices().find((d) => d.nodeId === 'n1' && d.deviceId === 'd4')).toMatchObject({ state: 'healthy', pool: 'default', capacityBytes: 128 * MiB });
    expect(await loadAddedDevices(f.dataDir)).toEqual([{ id: 'd4', path: path.join(f.root, 'd4'), capacityBytes: 128 * MiB, pool: 'default' }]);
    // The registration duty's list grew too.
    expect(f.view.devices.map((d) => d.id)).toEqual(['d1', 'd4']);
  });

  it('answers the same request again as a success without attaching twice (a retry after a lost answer)', async () => {
    const f = await fixture();
    expect((await f.add({ ...d4(f.root), pool: 'fast' })).ok).toBe(true);
    const again = await f.add({ ...d4(f.root), pool: 'fast' });
    expect(again).toMatchObject({ ok: true, value: { formatted: false, device: { deviceId: 'd4', pool: 'fast' } } });
    expect(f.view.devices.filter((d) => d.id === 'd4')).toHaveLength(1);
    expect(await loadAddedDevices(f.dataDir)).toHaveLength(1);
    // Other settings under the same id are a conflict.
    expect(await f.add({ ...d4(f.root), capacityBytes: String(256 * MiB), pool: 'fast' })).toMatchObject({ ok: false, code: ErrorCodes.DEVICE_EXISTS });
  });

  it('refuses, changing nothing: another node, a path outside the roots, `..`, a symlink out, a foreign folder, ids and folders in use, zero capacity', async () => {
    const f = await fixture();
    const outside = await dirs.make('outside');
    await symlink(outside, path.join(f.root, 'escape'));
    await mkdir(path.join(f.root, 'photos'));
    await writeFile(path.join(f.root, 'photos', 'cat.jpg'), 'x');
    // A device of the table this node no longer has (removed): its id stays taken.
    await f.h.one({ op: 'addDevice', timeMs: T0, device: { nodeId: 'n1', deviceId: 'd9', pool: 'default', capacityBytes: MiB, state: 'healthy' } });
    const cases: Array<[Partial<AddDeviceRequest>, string]> = [
      [{ ...d4(f.root), nodeId: 'n2' }, ErrorCodes.INVALID_ARGUMENT],
      [{ ...d4(f.root), path: path.join(outside, 'd4') }, ErrorCodes.DEVICE_PATH_REFUSED],
      [{ ...d4(f.root), path: `${f.root}/d1/../../d4` }, ErrorCodes.DEVICE_PATH_REFUSED],
      [{ ...d4(f.root), path: path.join(f.root, 'escape', 'd4') }, ErrorCodes.DEVICE_PATH_REFUSED],
      [{ ...d4(f.root), path: path.join(f.root, 'photos') }, ErrorCodes.DEVICE_PATH_REFUSED],
      [{ ...d4(f.root), deviceId: 'd1', path: path.join(f.root, 'new') }, ErrorCodes.DEVICE_EXISTS],
      [{ ...d4(f.root), deviceId: 'd9', path: path.join(f.root, 'd9') }, ErrorCodes.DEVICE_EXISTS],
      [{ ...d4(f.root), path: path.join(f.root, 'd1', 'inner') }, ErrorCodes.DEVICE_EXISTS],
      [{ ...d4(f.root), capacityBytes: '0' }, ErrorCodes.INVALID_ARGUMENT],
      [{ ...d4(f.root), capacityBytes: '99999999999999999999' }, ErrorCodes.INVALID_ARGUMENT],
    ];
    const proposed = f.proposals.length;
    for (const [request, code] of cases) expect(await f.add(request), JSON.stringify(request)).toMatchObject({ ok: false, code });
    expect(f.proposals.length).toBe(proposed);
    expect(f.store.deviceIds()).toEqual(['d1']);
    expect(await loadAddedDevices(f.dataDir)).toEqual([]);
    expect(await readdir(outside)).toEqual([]);
    expect(await readdir(path.join(f.root, 'photos'))).toEqual(['cat.jpg']);
  });

  it('a folder holding another node\'s device is refused by the store, and the record is taken back', async () => {
    const f = await fixture();
    const foreign = await ShardStore.open({ nodeId: 'n7', devices: [{ deviceId: 'd4', path: path.join(f.root, 'd4'), capacityBytes: MiB }], crashSim: false, healthCheckIntervalMs: 0 });
    await foreign.close();
    expect(await f.add(d4(f.root))).toMatchObject({ ok: false, code: ErrorCodes.DEVICE_WRONG_OWNER });
    expect(await loadAddedDevices(f.dataDir)).toEqual([]);
    expect(f.view.devices.map((d) => d.id)).toEqual(['d1']);
  });

  it('is an audited admin action naming the device, also when refused (the path never enters the trail)', () => {
    const ok = adminActionRecords('AddDevice', 'spiffe://td/admin/ops', { nodeId: 'n1', deviceId: 'd4', path: '/srv/tessera/d4' });
    expect(ok[0]?.record).toMatchObject({ method: 'AddDevice', outcome: 'ok', targets: [{ kind: 'device', nodeId: 'n1', deviceId: 'd4' }] });
    expect(JSON.stringify(ok)).not.toContain('/srv/tessera');
    const refused = adminActionRecords('AddDevice', 'x', { nodeId: 'n1', deviceId: 'd4' }, new TesseraError(ErrorCodes.DEVICE_PATH_REFUSED, 'no'));
    expect(refused[0]?.record).toMatchObject({ outcome: 'failed', reason: 'device-path-refused' });
  });

  it('after a restart the node opens the recorded device again from the data dir', async () => {
    const f = await fixture();
    expect((await f.add(d4(f.root))).ok).toBe(true);
    await f.store.close();
    const merged = mergeDevices(f.configured, await loadAddedDevices(f.dataDir));
    expect(merged.devices.map((d) => d.id)).toEqual(['d1', 'd4']);
    const reopened = await ShardStore.open({ nodeId: 'n1', devices: merged.devices.map((d) => ({ deviceId: d.id, path: d.path, capacityBytes: d.capacityBytes })), crashSim: false, healthCheckIntervalMs: 0 });
    stores.push(reopened);
    expect(reopened.info().map((d) => [d.deviceId, d.state])).toEqual([['d1', 'healthy'], ['d4', 'healthy']]);
  });
});
