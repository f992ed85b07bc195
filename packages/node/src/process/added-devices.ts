/**
 * Devices added at runtime through Admin AddDevice (issue #9), kept in the
 * node's data dir so the node finds them again after a restart without the
 * operator editing its configuration:
 *
 *   <dataDir>/added-devices.json   {"version":1,"devices":[{"id","path","capacityBytes","pool"}]}
 *
 * Written whole (temp file, fsync, rename, fsync of the folder), so a crash
 * leaves the old list or the new one. Read at start and merged after the
 * configured devices: the configuration wins on a shared id or folder (the
 * operator moved the device into the config, perhaps with other settings).
 * The decoder is bounded and throws only TesseraError.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { DEVICE_ID_PATTERN, MAX_ADDED_DEVICE_CAPACITY, MAX_DEVICES_PER_NODE, MAX_DEVICE_PATH_BYTES, POOL_NAME_PATTERN } from '../admin/device-path.js';
import type { NodeDeviceConfig } from './config.js';

export const ADDED_DEVICES_FILE = 'added-devices.json';
export const ADDED_DEVICES_VERSION = 1;
/** Far above 64 entries of bounded fields: anything larger is not ours. */
export const MAX_ADDED_DEVICES_BYTES = 256 * 1024;

function corrupt(why: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, `${ADDED_DEVICES_FILE}: ${why}`);
}

export function encodeAddedDevices(devices: readonly NodeDeviceConfig[]): string {
  const list = devices.map((d) => ({ id: d.id, path: d.path, capacityBytes: d.capacityBytes, pool: d.pool }));
  return JSON.stringify({ version: ADDED_DEVICES_VERSION, devices: list }, null, 2) + '\n';
}

function entryOf(value: unknown, i: number): NodeDeviceConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt(`devices[${i}] is not an object`);
  const { id, path: p, capacityBytes, pool } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !DEVICE_ID_PATTERN.test(id)) throw corrupt(`devices[${i}].id is not a device id`);
  if (typeof p !== 'string' || p === '' || Buffer.byteLength(p) > MAX_DEVICE_PATH_BYTES || p.includes('\0') || !path.isAbsolute(p)) throw corrupt(`devices[${i}].path is not an absolute path`);
  if (typeof capacityBytes !== 'number' || !Number.isSafeInteger(capacityBytes) || capacityBytes < 1 || capacityBytes > MAX_ADDED_DEVICE_CAPACITY) throw corrupt(`devices[${i}].capacityBytes is out of range`);
  if (typeof pool !== 'string' || !POOL_NAME_PATTERN.test(pool)) throw corrupt(`devices[${i}].pool is not a pool name`);
  return { id, path: p, capacityBytes, pool };
}

export function decodeAddedDevices(text: string): NodeDeviceConfig[] {
  if (text.length > MAX_ADDED_DEVICES_BYTES) throw corrupt('too large');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw corrupt('not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw corrupt('not an object');
  const { version, devices } = doc as Record<string, unknown>;
  if (version !== ADDED_DEVICES_VERSION) throw corrupt(`unknown version (this node reads version ${ADDED_DEVICES_VERSION})`);
  if (!Array.isArray(devices) || devices.length > MAX_DEVICES_PER_NODE) throw corrupt(`devices must be a list of at most ${MAX_DEVICES_PER_NODE}`);
  const list = devices.map(entryOf);
  if (new Set(list.map((d) => d.id)).size !== list.length) throw corrupt('a device id appears twice');
  return list;
}

/** The added devices recorded in `dataDir` ([] when none were). */
export async function loadAddedDevices(dataDir: string): Promise<NodeDeviceConfig[]> {
  let text: string;
  try {
    const handle = await fs.open(path.join(dataDir, ADDED_DEVICES_FILE), 'r');
    try {
      const buf = Buffer.alloc(MAX_ADDED_DEVICES_BYTES + 1);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      text = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return [];
    throw new TesseraError(ErrorCodes.STORAGE_IO, `${ADDED_DEVICES_FILE} could not be read`, { cause: err });
  }
  return decodeAddedDevices(text);
}

/** Replaces the recorded list atomically (temp file, fsync, rename, fsync of the data dir). */
export async function saveAddedDevices(dataDir: string, devices: readonly NodeDeviceConfig[]): Promise<void> {
  const target = path.join(dataDir, ADDED_DEVICES_FILE);
  const tmp = `${target}.tmp`;
  try {
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(encodeAddedDevices(devices));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
    const dir = await fs.open(dataDir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch (err) {
    throw new TesseraError(ErrorCodes.STORAGE_IO, `${ADDED_DEVICES_FILE} could not be written`, { cause: err });
  }
}

export interface MergedDevices {
  readonly devices: NodeDeviceConfig[];
  /** Added devices left out because the configuration names the same id or folder. */
  readonly shadowed: readonly NodeDeviceConfig[];
}

/** The configured devices, then the added ones the configuration does not already name (by id or folder). */
export function mergeDevices(configured: readonly NodeDeviceConfig[], added: readonly NodeDeviceConfig[]): MergedDevices {
  const ids = new Set(configured.map((d) => d.id));
  const paths = new Set(configured.map((d) => path.resolve(d.path)));
  const devices = [...configured];
  const shadowed: NodeDeviceConfig[] = [];
  for (const d of added) {
    if (ids.has(d.id) || paths.has(path.resolve(d.path))) shadowed.push(d);
    else devices.push(d);
  }
  return { devices, shadowed };
}
