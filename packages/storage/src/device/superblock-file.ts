/**
 * Claiming a device folder: format an empty folder, accept our own device,
 * refuse anything else unless forced.
 *
 * Refused (DEVICE_FOREIGN_FORMAT / DEVICE_WRONG_OWNER): a folder with files
 * but no superblock, a superblock of another format or version or a damaged
 * one, a device of another node, or another device id than configured. With
 * `force`, exactly those folders are wiped and formatted, and the open report
 * says so (with what was there) for the audit log; `force` never touches a
 * folder that would have opened normally.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { fsyncDirectory } from '../io/extent-file.js';
import { MAX_SUPERBLOCK_BYTES, SUPERBLOCK_FORMAT_VERSION, checkDeviceIdentity, decodeSuperblock, encodeSuperblock, type Superblock } from '../format/superblock.js';

export const SUPERBLOCK_FILE = 'SUPERBLOCK';

export interface DeviceIdentity {
  readonly deviceId: string;
  readonly nodeId: string;
  readonly deviceClass: string;
  readonly capacityBytes: number;
}

export interface Reinitialisation {
  /** The refusal that `force` overrode. */
  readonly code: string;
  readonly reason: string;
  readonly previousNodeId?: string;
  readonly previousDeviceId?: string;
}

export interface ClaimResult {
  readonly superblock: Superblock;
  /** The folder was empty and has just been formatted. */
  readonly formatted: boolean;
  /** Set when `force` wiped a folder that would have been refused. */
  readonly reinitialised?: Reinitialisation;
  /** Fields whose configured value replaced the stored one (capacity, class). */
  readonly reconfigured: readonly string[];
}

export async function claimDevice(dir: string, identity: DeviceIdentity, options: { force: boolean; now: number }): Promise<ClaimResult> {
  checkDeviceIdentity(identity.deviceId, identity.nodeId, identity.deviceClass, identity.capacityBytes);
  await fs.mkdir(dir, { recursive: true });
  let existing: Superblock | undefined;
  try {
    existing = await readSuperblock(dir, identity);
  } catch (err) {
    if (!(err instanceof TesseraError) || !options.force) throw err;
    if (err.code !== ErrorCodes.DEVICE_FOREIGN_FORMAT && err.code !== ErrorCodes.DEVICE_WRONG_OWNER) throw err;
    const previous = await peekSuperblock(dir);
    await wipe(dir);
    const superblock = await format(dir, identity, options.now);
    return {
      superblock,
      formatted: true,
      reconfigured: [],
      reinitialised: {
        code: err.code,
        reason: err.message,
        ...(previous === undefined ? {} : { previousNodeId: previous.nodeId, previousDeviceId: previous.deviceId }),
      },
    };
  }
  if (existing === undefined) return { superblock: await format(dir, identity, options.now), formatted: true, reconfigured: [] };
  const reconfigured: string[] = [];
  if (existing.capacityBytes !== identity.capacityBytes) reconfigured.push('capacityBytes');
  if (existing.deviceClass !== identity.deviceClass) reconfigured.push('deviceClass');
  if (reconfigured.length === 0) return { superblock: existing, formatted: false, reconfigured };
  const updated: Superblock = { ...existing, capacityBytes: identity.capacityBytes, deviceClass: identity.deviceClass };
  await writeSuperblock(dir, updated);
  return { superblock: updated, formatted: false, reconfigured };
}

/** The folder's superblock if it is ours, undefined if the folder is empty; throws a refusal otherwise. */
async function readSuperblock(dir: string, identity: DeviceIdentity): Promise<Superblock | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readBounded(join(dir, SUPERBLOCK_FILE));
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
    const entries = (await fs.readdir(dir)).filter((name) => !name.startsWith(`${SUPERBLOCK_FILE}.tmp`));
    if (entries.length === 0) return undefined;
    throw new TesseraError(ErrorCodes.DEVICE_FOREIGN_FORMAT, `device ${identity.deviceId}: folder is not empty and has no Tessera superblock`);
  }
  const sb = decodeSuperblock(bytes);
  if (sb.nodeId !== identity.nodeId) {
    throw new TesseraError(ErrorCodes.DEVICE_WRONG_OWNER, `device ${identity.deviceId}: folder belongs to another node`);
  }
  if (sb.deviceId !== identity.deviceId) {
    throw new TesseraError(ErrorCodes.DEVICE_WRONG_OWNER, `device ${identity.deviceId}: folder holds another device (${sb.deviceId})`);
  }
  return sb;
}

async function peekSuperblock(dir: string): Promise<Superblock | undefined> {
  try {
    return decodeSuperblock(await readBounded(join(dir, SUPERBLOCK_FILE)));
  } catch {
    return undefined;
  }
}

async function readBounded(path: string): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(MAX_SUPERBLOCK_BYTES + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function wipe(dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) await fs.rm(join(dir, name), { recursive: true, force: true });
  await fsyncDirectory(dir);
}

async function format(dir: string, identity: DeviceIdentity, now: number): Promise<Superblock> {
  const superblock: Superblock = {
    formatVersion: SUPERBLOCK_FORMAT_VERSION,
    deviceUuid: randomBytes(16),
    deviceId: identity.deviceId,
    nodeId: identity.nodeId,
    deviceClass: identity.deviceClass,
    capacityBytes: identity.capacityBytes,
    formattedAt: now,
  };
  await writeSuperblock(dir, superblock);
  return superblock;
}

/** Write-to-temp, fsync, rename, fsync the folder: the superblock is either old or new, never torn. */
async function writeSuperblock(dir: string, superblock: Superblock): Promise<void> {
  const tmp = join(dir, `${SUPERBLOCK_FILE}.tmp`);
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(encodeSuperblock(superblock));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, join(dir, SUPERBLOCK_FILE));
  await fsyncDirectory(dir);
}
