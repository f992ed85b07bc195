/**
 * Logical LevelDB scan for a canary. LevelDB compresses table blocks with
 * Snappy, so plaintext stored in a table need not appear as contiguous bytes
 * in any file; iterating the database sees every live key and value
 * decompressed.
 *
 * LevelDB has no read-only mode: opening a directory replays its log into a
 * new table, writes a new MANIFEST and deletes old files. To leave the
 * scanned directory exactly as it was (evidence for the raw file scan, and
 * the owner's files), each database is copied (a reflink where the file
 * system can) to a private temp directory and the copy is opened. The
 * caller stops the owning processes first, so the copy is consistent.
 *
 * Known limit: only live records are seen; an overwritten or deleted value
 * still waiting for compaction inside a Snappy-compressed block is not.
 */
import { constants } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { regularFiles } from './files.js';
import { canaryNeedles } from './needles.js';
import { findNeedles } from './search.js';
import type { CanaryHit } from './types.js';

export interface LevelDbScanOptions {
  /** Where the temporary copies go (default: the OS temp dir); must not be one of the scanned roots. */
  readonly workDir?: string;
}

/** Whether a directory listing is a LevelDB database's: a CURRENT file and a MANIFEST-* file. */
function isLevelDbListing(names: readonly string[]): boolean {
  return names.includes('CURRENT') && names.some((n) => n.startsWith('MANIFEST-'));
}

/** LevelDB directories under `roots` (a root may be one), sorted, following no symlinks. */
export async function findLevelDbDirs(roots: readonly string[]): Promise<string[]> {
  const dirs = new Set<string>();
  for (const root of roots) {
    // regularFiles walks without following links; a database is the parent of its CURRENT file.
    for await (const file of regularFiles(root)) {
      if (path.basename(file) !== 'CURRENT') continue;
      const dir = path.dirname(file);
      if (dirs.has(dir)) continue;
      const files = await readdir(dir, { withFileTypes: true });
      if (isLevelDbListing(files.filter((f) => f.isFile()).map((f) => f.name))) dirs.add(dir);
    }
  }
  return [...dirs].sort();
}

/** Copies a database's regular files (not its LOCK) into a fresh temp dir. */
async function copyDatabase(dir: string, workDir: string): Promise<string> {
  const copy = await mkdtemp(path.join(workDir, 'tessera-canary-leveldb-'));
  try {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name === 'LOCK') continue;
      await copyFile(path.join(dir, entry.name), path.join(copy, entry.name), constants.COPYFILE_FICLONE);
    }
    return copy;
  } catch (err) {
    await rm(copy, { recursive: true, force: true });
    throw err;
  }
}

async function scanDatabase(dir: string, needles: ReturnType<typeof canaryNeedles>, workDir: string): Promise<CanaryHit[]> {
  let copy: string;
  try {
    copy = await copyDatabase(dir, workDir);
  } catch (err) {
    throw new TesseraError(ErrorCodes.STORAGE_IO, `canary scan cannot copy LevelDB ${dir}`, { cause: err });
  }
  const db = new ClassicLevel<Buffer, Buffer>(copy, { createIfMissing: false, keyEncoding: 'buffer', valueEncoding: 'buffer' });
  try {
    await db.open();
    const hits: CanaryHit[] = [];
    let entry = 0;
    for await (const [key, value] of db.iterator()) {
      for (const [part, bytes] of [['key', key], ['value', value]] as const) {
        for (const match of findNeedles(bytes, needles)) {
          hits.push({ where: `leveldb:${dir} entry#${entry} ${part}`, encoding: match.encoding, offset: match.offset });
        }
      }
      entry++;
    }
    return hits;
  } catch (err) {
    throw new TesseraError(ErrorCodes.STORAGE_IO, `canary scan cannot read LevelDB ${dir}`, { cause: err });
  } finally {
    await db.close();
    await rm(copy, { recursive: true, force: true });
  }
}

/**
 * Every occurrence of every encoding of `marker` in every key and value of
 * each LevelDB directory (opened through a private copy; see above).
 */
export async function scanLevelDbForCanary(dirs: readonly string[], marker: Uint8Array, options: LevelDbScanOptions = {}): Promise<CanaryHit[]> {
  const needles = canaryNeedles(marker);
  const workDir = options.workDir ?? os.tmpdir();
  const hits: CanaryHit[] = [];
  for (const dir of dirs) hits.push(...(await scanDatabase(dir, needles, workDir)));
  return hits;
}
