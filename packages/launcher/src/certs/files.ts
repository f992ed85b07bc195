/**
 * File writes for certificate material: atomic (temp file + rename, so a
 * reader never sees half a key and a watcher sees one change), private keys
 * 0600 from the first byte, and no overwriting unless asked.
 */
import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';

export const PRIVATE_FILE_MODE = 0o600;
export const PUBLIC_FILE_MODE = 0o644;
export const PRIVATE_DIR_MODE = 0o700;

export async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Fails with CERT_EXISTS when any of `files` exists and `force` is not set. */
export async function refuseOverwrite(files: readonly string[], force: boolean | undefined): Promise<void> {
  if (force === true) return;
  for (const file of files) {
    if (await exists(file)) {
      throw new TesseraError(ErrorCodes.CERT_EXISTS, `${file} already exists (use --force to replace it)`);
    }
  }
}

function ioError(action: string, target: string, err: unknown): TesseraError {
  const errno = (err as { code?: unknown } | null)?.code;
  return new TesseraError(ErrorCodes.CERT_IO, `cannot ${action} ${target}${typeof errno === 'string' ? ` (${errno})` : ''}`, { cause: err });
}

export async function ensureDir(dir: string, mode: number): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode });
  } catch (err) {
    throw ioError('create directory', dir, err);
  }
}

/** Writes `data` to `file` atomically with exactly `mode`, fsyncing before the rename. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode: number): Promise<void> {
  try {
    await writeAtomically(file, data, mode);
  } catch (err) {
    throw ioError('write', file, err);
  }
}

async function writeAtomically(file: string, data: string | Uint8Array, mode: number): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    // The umask may have narrowed the mode of the new file; set it exactly.
    await handle.chmod(mode);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await chmod(file, mode);
}

export async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new TesseraError(ErrorCodes.CERT_NOT_FOUND, `cannot read ${what} ${file}`, { cause: err });
  }
}
