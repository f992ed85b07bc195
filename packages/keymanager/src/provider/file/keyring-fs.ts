/**
 * The file-system side of a keyring folder: permission checks, atomic
 * creation of key files, reading them without following links, and the
 * destroy sequence.
 *
 * Why each step:
 * - The folder must be 0700 and every file 0600 (no group/other bits), all
 *   owned by the expected user: a key readable by others is already leaked,
 *   so a wrong mode or owner refuses to start rather than "fixing" it.
 * - New files are written to a temp name (0600, O_EXCL), fsynced, renamed,
 *   and the folder is fsynced: a crash leaves either no key or a whole one.
 * - Destroy overwrites the file's bytes with random data, fsyncs, unlinks
 *   and fsyncs the folder. On a journaling or copy-on-write file system or
 *   an SSD the old blocks may survive the overwrite; the operations guide
 *   says so, and that is why the file provider is for development and
 *   one-member key managers only.
 * - Every step is reported to an optional observer, so tests can check the
 *   order against the real calls.
 */
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir, realpath, rename, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes, randomFillSync } from 'node:crypto';
import { join, relative, isAbsolute, sep } from 'node:path';
import { ErrorCodes } from '@tessera/common';
import { kmError, providerConfig } from '../../errors.js';
import { MAX_KEY_FILE_BYTES } from './key-file.js';

export type ShredStep = 'overwrite' | 'fsync' | 'unlink' | 'fsync-dir';
export type ShredObserver = (step: ShredStep, name: string) => void;

const GROUP_OTHER_BITS = 0o077;
const TEMP_PREFIX = '.tmp-';

function insecure(message: string): Error {
  return kmError(ErrorCodes.KM_KEYRING_INSECURE, message);
}

export interface OwnerCheck {
  /** The uid every entry must have. */
  readonly uid: number;
}

/** Refuses a keyring folder that is not a real directory of mode 0700 owned by `uid`. */
export async function checkKeyringDir(dir: string, owner: OwnerCheck): Promise<void> {
  let st;
  try {
    st = await lstat(dir);
  } catch (cause) {
    throw kmError(ErrorCodes.KM_NOT_INITIALIZED, 'keyring folder not found (run `tessera keymanager init`)', { cause });
  }
  if (!st.isDirectory()) throw insecure('keyring path is not a directory');
  if ((st.mode & GROUP_OTHER_BITS) !== 0) throw insecure('keyring folder must be mode 0700');
  if (st.uid !== owner.uid) throw insecure('keyring folder has the wrong owner');
}

/** Refuses any entry that is not a regular file of mode 0600 (or stricter) owned by `uid`. */
export async function checkKeyringEntries(dir: string, owner: OwnerCheck): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const st = await lstat(join(dir, name));
    if (!st.isFile()) throw insecure('keyring folder holds something other than key files');
    if ((st.mode & GROUP_OTHER_BITS) !== 0) throw insecure('key files must be mode 0600');
    if (st.uid !== owner.uid) throw insecure('a key file has the wrong owner');
  }
  return names;
}

/** Refuses a keyring inside a data dir (or a data dir inside the keyring): K1 exempts key files only outside them. */
export async function checkOutsideDataDirs(dir: string, dataDirs: readonly string[]): Promise<void> {
  const keyring = await realpath(dir);
  for (const dataDir of dataDirs) {
    let data: string;
    try {
      data = await realpath(dataDir);
    } catch {
      continue; // a data dir that does not exist yet cannot contain the keyring
    }
    if (contains(data, keyring) || contains(keyring, data)) throw providerConfig('the keyring folder must lie outside every data dir');
  }
}

function contains(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Reads a key file without following links, checking it is a small 0600 file owned by `uid`; ENOENT → undefined. */
export async function readKeyFile(dir: string, name: string, owner: OwnerCheck): Promise<Buffer | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(join(dir, name), fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw insecure('a key file cannot be opened');
  }
  try {
    const st = await handle.stat();
    if (!st.isFile() || (st.mode & GROUP_OTHER_BITS) !== 0 || st.uid !== owner.uid) throw insecure('key files must be 0600 regular files of the keyring owner');
    if (st.size > MAX_KEY_FILE_BYTES) throw kmError(ErrorCodes.KM_PROVIDER_CONFIG, 'key file is damaged or not the expected key');
    // Buffer.alloc: our own memory, not the shared pool, so wiping it wipes the only copy.
    const bytes = Buffer.alloc(st.size);
    const { bytesRead } = await handle.read(bytes, 0, st.size, 0);
    if (bytesRead !== st.size) {
      bytes.fill(0);
      throw kmError(ErrorCodes.KM_PROVIDER_CONFIG, 'key file is damaged or not the expected key');
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `name` with `bytes` atomically (temp file, fsync, rename, fsync folder). Refuses to replace an existing file. */
export async function writeKeyFileAtomic(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const temp = `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`;
  const tempPath = join(dir, temp);
  const handle = await open(tempPath, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await lstat(join(dir, name)).then(
      () => {
        throw kmError(ErrorCodes.KM_PROVIDER_CONFIG, 'key file already exists');
      },
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      },
    );
    await rename(tempPath, join(dir, name));
  } catch (err) {
    await shredFile(dir, temp);
    throw err;
  }
  await fsyncDir(dir);
}

/**
 * Overwrites, fsyncs, unlinks and fsyncs the folder. A missing file is
 * success (idempotent destroy).
 */
export async function shredFile(dir: string, name: string, observe?: ShredObserver): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(join(dir, name), fsConstants.O_RDWR | fsConstants.O_NOFOLLOW);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw kmError(ErrorCodes.KM_PROVIDER_UNAVAILABLE, 'key file could not be destroyed', { cause, retriable: true });
  }
  try {
    const { size } = await handle.stat();
    const noise = Buffer.alloc(Math.max(size, 1));
    randomFillSync(noise);
    await handle.write(noise, 0, size, 0);
    observe?.('overwrite', name);
    await handle.sync();
    observe?.('fsync', name);
  } finally {
    await handle.close();
  }
  await unlink(join(dir, name));
  observe?.('unlink', name);
  await fsyncDir(dir);
  observe?.('fsync-dir', name);
}

/** Temp files a crash left behind (they may hold a key): shredded at start. */
export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}
