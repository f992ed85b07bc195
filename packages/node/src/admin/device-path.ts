/**
 * Where Admin AddDevice may put a device folder (issue #9). A remote cluster
 * admin must never make a node create or open files anywhere it likes: the
 * folder must lie strictly under one of the node's configured device roots
 * (`deviceRoots`), both as written (no `..`, absolute) and once symlinks are
 * resolved (realpath of the deepest existing part); an existing folder must
 * be empty or already a Tessera device; and neither the id nor the folder
 * may be in use by another device of the node (nested folders count).
 *
 * `checkDeviceRequest` and `checkDeviceConflicts` are pure; `resolveDeviceFolder`
 * is the thin file-system shell (realpath, lstat, readdir) between them.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { SUPERBLOCK_FILE } from '@tessera/storage';

/** Largest capacity AddDevice accepts for one device: 1 PiB. */
export const MAX_ADDED_DEVICE_CAPACITY = 2 ** 50;
/** Devices one node may have in all (configured and added): bounds the files and handles it keeps open. */
export const MAX_DEVICES_PER_NODE = 64;
/** Longest device path accepted (bytes). */
export const MAX_DEVICE_PATH_BYTES = 1024;
export const DEVICE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** Pool names: what the metadata group stores, kept to the id alphabet for people and scripts. */
export const POOL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface DeviceRequest {
  readonly deviceId: string;
  readonly path: string;
  readonly capacityBytes: number;
  readonly pool: string;
}

export interface LexicalDevicePath {
  /** The requested folder, normalised (no `.`, no doubled or trailing separator). */
  readonly path: string;
  /** The device root it lies under. */
  readonly root: string;
}

function refused(message: string): TesseraError {
  return new TesseraError(ErrorCodes.DEVICE_PATH_REFUSED, message);
}

/** True when `child` is strictly inside `parent` (both absolute and normalised). */
export function isStrictlyInside(child: string, parent: string): boolean {
  const prefix = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return child.length > prefix.length && child.startsWith(prefix);
}

/**
 * Checks the request's fields and the path as written: an absolute path
 * without `..`, strictly under one of `roots`. Throws INVALID_ARGUMENT for
 * a bad id, pool or capacity and DEVICE_PATH_REFUSED for the path.
 */
export function checkDeviceRequest(request: DeviceRequest, roots: readonly string[]): LexicalDevicePath {
  if (!DEVICE_ID_PATTERN.test(request.deviceId)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'device id must be 1-63 characters of [a-z0-9._-], starting with a letter or digit');
  if (!POOL_NAME_PATTERN.test(request.pool)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'pool must be 1-63 characters of [a-z0-9._-], starting with a letter or digit');
  if (!Number.isSafeInteger(request.capacityBytes) || request.capacityBytes < 1) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'capacity must be at least 1 byte');
  if (request.capacityBytes > MAX_ADDED_DEVICE_CAPACITY) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'capacity must be at most 1 PiB per device');
  const raw = request.path;
  if (raw === '' || Buffer.byteLength(raw) > MAX_DEVICE_PATH_BYTES) throw refused(`path must be 1-${MAX_DEVICE_PATH_BYTES} bytes`);
  if (raw.includes('\0')) throw refused('path must not contain NUL');
  if (!path.isAbsolute(raw)) throw refused('path must be absolute');
  // Refused as written, not just normalised away: `..` in a request is never what an operator means.
  if (raw.split(/[\\/]/).includes('..')) throw refused('path must not contain ..');
  const normalised = path.normalize(raw).replace(/(.)[\\/]+$/, '$1');
  const root = roots.map((r) => path.normalize(r)).find((r) => isStrictlyInside(normalised, r));
  if (root === undefined) throw refused(`path must lie inside one of the node's device roots (${roots.join(', ') || 'none configured'})`);
  return { path: normalised, root };
}

export interface LocalDevice {
  readonly deviceId: string;
  /** Its folder, resolved (realpath) where it exists. */
  readonly path: string;
}

/**
 * Refuses an id or folder already in use on this node: an id of a local
 * device or of this node in the committed node/device table (a removed
 * device keeps its id), or a folder equal to, inside or around another
 * device's folder. DEVICE_EXISTS; too many devices is INVALID_ARGUMENT.
 */
export function checkDeviceConflicts(candidate: LocalDevice, local: readonly LocalDevice[], committedIds: ReadonlyMap<string, string>): void {
  if (local.some((d) => d.deviceId === candidate.deviceId)) throw new TesseraError(ErrorCodes.DEVICE_EXISTS, `device ${candidate.deviceId} already exists on this node`);
  const state = committedIds.get(candidate.deviceId);
  if (state !== undefined) throw new TesseraError(ErrorCodes.DEVICE_EXISTS, `device ${candidate.deviceId} is already in the node/device table (${state}); choose another id`);
  for (const d of local) {
    if (d.path === candidate.path || isStrictlyInside(candidate.path, d.path) || isStrictlyInside(d.path, candidate.path)) {
      throw new TesseraError(ErrorCodes.DEVICE_EXISTS, `the folder overlaps the folder of device ${d.deviceId}`);
    }
  }
  if (local.length >= MAX_DEVICES_PER_NODE) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `a node has at most ${MAX_DEVICES_PER_NODE} devices`);
}

export interface ResolvedDeviceFolder {
  /** The folder with every existing part's symlinks resolved; still strictly inside the root's real path. */
  readonly path: string;
  /** The folder exists already (empty, or a Tessera device). */
  readonly exists: boolean;
}

function isMissing(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'ENOENT';
}

/**
 * The file-system half of the check: resolves the deepest existing part of
 * the folder (symlinks included) and requires it to stay under the root's
 * real path; an existing folder must be a directory that is empty or holds a
 * Tessera superblock. Parts still missing are created later by the device
 * format itself, below the checked, resolved prefix.
 */
export async function resolveDeviceFolder(lexical: LexicalDevicePath): Promise<ResolvedDeviceFolder> {
  let rootReal: string;
  try {
    rootReal = await fs.realpath(lexical.root);
  } catch (err) {
    if (isMissing(err)) throw refused(`device root ${lexical.root} does not exist`);
    throw err;
  }
  const missing: string[] = [];
  let existing = lexical.path;
  let real: string | undefined;
  while (real === undefined) {
    try {
      real = await fs.realpath(existing);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ENOTDIR') throw refused('a part of the path is not a folder');
      if (code === 'ELOOP') throw refused('the path loops through symbolic links');
      if (!isMissing(err)) throw err;
      const parent = path.dirname(existing);
      if (parent === existing) throw refused('no part of the path exists');
      missing.unshift(path.basename(existing));
      existing = parent;
    }
  }
  const exists = missing.length === 0;
  const inside = exists ? isStrictlyInside(real, rootReal) : real === rootReal || isStrictlyInside(real, rootReal);
  if (!inside) throw refused(`path leads outside the device root ${lexical.root} (through a symbolic link)`);
  if (!exists) {
    if (!(await fs.stat(real)).isDirectory()) throw refused(`${existing} is not a folder`);
    return { path: path.join(real, ...missing), exists: false };
  }
  if (!(await fs.stat(real)).isDirectory()) throw refused('path exists and is not a folder');
  const entries = await fs.readdir(real);
  if (entries.length > 0 && !entries.includes(SUPERBLOCK_FILE)) throw refused('the folder is not empty and is not a Tessera device');
  return { path: real, exists: true };
}
