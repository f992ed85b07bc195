/**
 * Scans every regular file under some roots for a canary, streaming (files
 * may be gigabytes), following no symlinks: a link could point outside the
 * data dirs (reporting someone else's file) or loop.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { canaryNeedles } from './needles.js';
import type { CanaryNeedle } from './needles.js';
import { ChunkedNeedleSearch, DEFAULT_SCAN_CHUNK_BYTES } from './search.js';
import type { CanaryHit } from './types.js';

export interface FileScanOptions {
  /** Paths (files or directories, whole subtrees) not to scan: the exemptions K1 lists. */
  readonly exclude?: (path: string) => boolean;
  /** Bytes read per step (default 1 MiB); tests lower it to cross chunk boundaries cheaply. */
  readonly chunkBytes?: number;
}

function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** A file or directory that disappeared meanwhile holds nothing on disk: skip it. */
function vanished(err: unknown): boolean {
  const code = errnoOf(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function ioError(what: string, file: string, cause: unknown): TesseraError {
  // Loud on purpose: a file the scanner cannot read is a file it cannot vouch for.
  return new TesseraError(ErrorCodes.STORAGE_IO, `canary scan cannot ${what} ${file}`, { cause });
}

/** Regular files under `root` (or `root` itself), depth first, sorted, no symlink followed. */
export async function* regularFiles(root: string, exclude: (path: string) => boolean = () => false): AsyncGenerator<string> {
  if (exclude(root)) return;
  let stats;
  try {
    stats = await lstat(root);
  } catch (err) {
    if (vanished(err)) return;
    throw ioError('stat', root, err);
  }
  if (stats.isFile()) {
    yield root;
    return;
  }
  if (!stats.isDirectory()) return;
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    if (vanished(err)) return;
    throw ioError('list', root, err);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = path.join(root, entry.name);
    if (exclude(child)) continue;
    if (entry.isDirectory()) yield* regularFiles(child, exclude);
    else if (entry.isFile()) yield child;
  }
}

// O_NOFOLLOW: the entry may have been swapped for a link since it was listed;
// O_NONBLOCK: or for a FIFO, whose open would otherwise wait for a writer.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

async function scanFile(file: string, needles: readonly CanaryNeedle[], chunkBytes: number): Promise<CanaryHit[]> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (err) {
    if (vanished(err) || errnoOf(err) === 'ELOOP') return [];
    throw ioError('open', file, err);
  }
  try {
    if (!(await handle.stat()).isFile()) return [];
    const search = new ChunkedNeedleSearch(needles, chunkBytes);
    const hits: CanaryHit[] = [];
    for (;;) {
      const target = search.target();
      const { bytesRead } = await handle.read(target, 0, target.length, null);
      if (bytesRead === 0) break;
      for (const match of search.advance(bytesRead)) hits.push({ where: file, encoding: match.encoding, offset: match.offset });
    }
    return hits;
  } catch (err) {
    throw ioError('read', file, err);
  } finally {
    await handle.close();
  }
}

/**
 * Every occurrence of every encoding of `marker` (see canaryNeedles) in every
 * regular file under `roots`, in path then offset order. Reads each file in
 * chunks with a fixed buffer, never a whole file at once.
 */
export async function scanFilesForCanary(roots: readonly string[], marker: Uint8Array, options: FileScanOptions = {}): Promise<CanaryHit[]> {
  const needles = canaryNeedles(marker);
  const chunkBytes = options.chunkBytes ?? DEFAULT_SCAN_CHUNK_BYTES;
  const hits: CanaryHit[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    for await (const file of regularFiles(root, options.exclude)) {
      // Overlapping roots must not report a file twice.
      if (seen.has(file)) continue;
      seen.add(file);
      hits.push(...(await scanFile(file, needles, chunkBytes)));
    }
  }
  return hits;
}
