/**
 * Admin AddDevice (issue #9): a cluster admin attaches a new device folder
 * to the node that answers (the CLI routes the call to the node it names,
 * checking that node's certificate) and the node registers it in the
 * node/device table with the same metadata `addDevice` command its
 * registration duty proposes.
 *
 * Order: check the request and the folder (./device-path.ts: under a
 * device root, no `..`, no symlink leading out, empty or a device already);
 * record the device in the data dir (so a restart finds it); attach it to
 * the ShardStore (formats an empty folder); append it to the node's device
 * list (the registration duty re-proposes it should the proposal below be
 * lost); propose `addDevice`. A failed attach takes the record back. The
 * same request again (same id, folder, capacity, pool) is answered as a
 * success without attaching twice, so a retry after a lost answer is safe.
 * Calls are serialised: two adds never race for an id or a folder.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';
import type { DeviceOpenReport, ShardStore } from '@tessera/storage';
import { unary } from '@tessera/transport';
import { u64Number, type AddDeviceRequest__Output, type AddDeviceResponse } from '@tessera/wire';
import type { MetadataCommand } from '../metadata/commands.js';
import type { MetadataResult } from '../metadata/machine.js';
import type { NodeDeviceConfig } from '../process/config.js';
import { checkDeviceConflicts, checkDeviceRequest, resolveDeviceFolder, type LocalDevice } from './device-path.js';
import { deviceStatusOf } from './operator.js';
import { deviceRows, type OverviewMachine } from './overview.js';

export const DEFAULT_ADDED_POOL = 'default';

export interface AddDeviceView {
  readonly localNodeId: string;
  /** Absolute folders under which a device folder may be attached (config `deviceRoots`). */
  readonly roots: readonly string[];
  readonly store: Pick<ShardStore, 'attach'>;
  /** Open the device with O_DIRECT (the node's `storage.directIo`); default false. */
  readonly directIo?: boolean;
  /**
   * Every device of this node, configured then added: AddDevice appends to
   * this very list (the node's registration duty reads it each turn).
   */
  readonly devices: NodeDeviceConfig[];
  /** The devices added at runtime as recorded in the data dir; AddDevice appends to it after `record` succeeded. */
  readonly added: NodeDeviceConfig[];
  /** Records the full list of added devices durably (the data dir's added-devices.json). */
  record(devices: readonly NodeDeviceConfig[]): Promise<void>;
  readonly machine: OverviewMachine;
  readBarrier(): Promise<void>;
  propose(command: MetadataCommand): Promise<MetadataResult>;
  clock(): number;
  localUsedBytes(deviceId: string): number | undefined;
}

const REFUSALS: Partial<Record<ErrorCode, string>> = {
  [ErrorCodes.NOT_FOUND]: 'this node is not registered in the node/device table yet; retry shortly',
  [ErrorCodes.INVALID_ARGUMENT]: 'the node/device table holds this device with other settings',
};

function capacityOf(wire: string): number {
  try {
    return u64Number(wire);
  } catch {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'capacity_bytes is out of range');
  }
}

async function realOrResolved(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch {
    return path.resolve(p);
  }
}

export interface AddDeviceHandlers {
  readonly AddDevice: grpc.handleUnaryCall<AddDeviceRequest__Output, AddDeviceResponse>;
}

export function addDeviceHandlers(view: AddDeviceView): AddDeviceHandlers {
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const add = async (req: AddDeviceRequest__Output): Promise<AddDeviceResponse> => {
    if (req.nodeId !== view.localNodeId) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `this is node ${view.localNodeId}: send AddDevice for node ${req.nodeId || '(none)'} to that node's client port`);
    }
    const request = { deviceId: req.deviceId, path: req.path, capacityBytes: capacityOf(req.capacityBytes), pool: req.pool === '' ? DEFAULT_ADDED_POOL : req.pool };
    const lexical = checkDeviceRequest(request, view.roots);
    const folder = await resolveDeviceFolder(lexical);
    const device: NodeDeviceConfig = { id: request.deviceId, path: folder.path, capacityBytes: request.capacityBytes, pool: request.pool };

    let report: DeviceOpenReport | undefined;
    const same = view.devices.find((d) => d.id === device.id);
    const retry = same !== undefined && same.capacityBytes === device.capacityBytes && same.pool === device.pool && (await realOrResolved(same.path)) === device.path;
    if (!retry) {
      const local: LocalDevice[] = await Promise.all(view.devices.map(async (d) => ({ deviceId: d.id, path: await realOrResolved(d.path) })));
      const committed = new Map(view.machine.devices().filter((d) => d.nodeId === view.localNodeId).map((d) => [d.deviceId, d.state] as const));
      checkDeviceConflicts({ deviceId: device.id, path: device.path }, local, committed);
      const recorded = [...view.added, device];
      await view.record(recorded);
      try {
        report = await view.store.attach({ deviceId: device.id, path: device.path, capacityBytes: device.capacityBytes, ...(view.directIo === true ? { directIo: true } : {}) });
      } catch (err) {
        await view.record(view.added).catch(() => undefined);
        throw err;
      }
      if (report === undefined) {
        // The store keeps the id as a failed device until the node restarts; nothing is registered.
        await view.record(view.added).catch(() => undefined);
        throw new TesseraError(ErrorCodes.STORAGE_IO, `device ${device.id} could not be opened (I/O error); its id stays unusable on this node until it restarts`);
      }
      view.added.push(device);
      view.devices.push(device);
    }

    const result = await view.propose({ op: 'addDevice', timeMs: view.clock(), device: { nodeId: view.localNodeId, deviceId: device.id, pool: device.pool, capacityBytes: device.capacityBytes, state: 'healthy' } });
    if (result.kind === 'error') throw new TesseraError(result.code, REFUSALS[result.code] ?? 'request refused', { retriable: result.retriable });
    await view.readBarrier();
    const measured = (nodeId: string, deviceId: string): number | undefined => (nodeId === view.localNodeId ? view.localUsedBytes(deviceId) : undefined);
    const row = deviceRows(view.machine, measured).find((r) => r.device.nodeId === view.localNodeId && r.device.deviceId === device.id);
    if (row === undefined) throw new TesseraError(ErrorCodes.UNKNOWN_DEVICE, 'the device is not in the node/device table after its registration', { retriable: true });
    return { device: deviceStatusOf(row), path: device.path, formatted: report?.formatted ?? false };
  };

  return {
    AddDevice: unary<AddDeviceRequest__Output, AddDeviceResponse>((req) => serialised(() => add(req))),
  };
}
