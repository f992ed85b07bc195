/**
 * Append-only extent files on a real file system, buffered or O_DIRECT.
 *
 * Each file has two descriptors: a buffered read-write one (reads, truncation,
 * non-durable appends) and a write-only O_DSYNC one — with O_DIRECT for direct
 * files — through which a batch is written and made durable by a single
 * system call (the guarantee of write + fdatasync: the data and the size
 * needed to read it are on disk when it returns). Linux keeps the page cache
 * coherent with direct writes, so reads stay buffered.
 *
 * The group committer is the only writer of a file and appends strictly one
 * batch at a time, so a file tracks its own size and refuses overlapping
 * appends. Direct appends must be 4 KiB-aligned in position and length; the
 * committer hands over aligned memory, anything else is copied through the
 * device's bounce buffer.
 */
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { DIRECT_IO_ALIGNMENT, type ExtentAlignment } from '../format/extent-header.js';
import type { AlignedArena } from './aligned-arena.js';

export interface ExtentFile {
  readonly path: string;
  readonly alignment: ExtentAlignment;
  /** Bytes appended so far (synced or not). */
  readonly size: number;
  /**
   * Appends `parts` at `size`. Direct files need the total length to be a
   * multiple of 4 KiB; `aligned` says the single part already sits in aligned
   * memory (otherwise it is copied through the file's bounce buffer).
   */
  append(parts: readonly Uint8Array[], aligned?: boolean): Promise<void>;
  /**
   * Appends `parts` and makes the file durable up to their end — one system
   * call through an O_DSYNC descriptor instead of a write and an fdatasync
   * (the same guarantee: data and the size needed to read it are on disk).
   */
  appendDurable(parts: readonly Uint8Array[], aligned?: boolean): Promise<void>;
  /** Makes every appended byte durable (fdatasync). */
  datasync(): Promise<void>;
  /** Up to `length` bytes at `position` (shorter at the end of the file). */
  read(position: number, length: number): Promise<Buffer>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface OpenExtentFileOptions {
  readonly create: boolean;
  /**
   * Direct I/O, with the aligned buffer that unaligned sources are copied
   * through. One device shares it between its files: only one write of the
   * device is ever in progress.
   */
  readonly direct?: AlignedArena;
}

export async function openFsExtentFile(path: string, alignment: ExtentAlignment, options: OpenExtentFileOptions): Promise<FsExtentFile> {
  const createFlags = options.create ? constants.O_CREAT | constants.O_EXCL : 0;
  const rw = await fs.open(path, constants.O_RDWR | createFlags, 0o600);
  let durable: FileHandle | undefined;
  try {
    const direct = options.direct !== undefined && alignment === DIRECT_IO_ALIGNMENT;
    // Writes go through an O_DSYNC descriptor (with O_DIRECT for direct files); reads through `rw`.
    durable = await fs.open(path, constants.O_WRONLY | constants.O_DSYNC | (direct ? constants.O_DIRECT : 0));
    const size = (await rw.stat()).size;
    return new FsExtentFile(path, alignment, rw, durable, direct ? options.direct : undefined, size);
  } catch (err) {
    await Promise.allSettled([rw.close(), durable?.close()]);
    throw err;
  }
}

export class FsExtentFile implements ExtentFile {
  private appending = false;
  private closed = false;

  constructor(
    readonly path: string,
    readonly alignment: ExtentAlignment,
    private readonly handle: FileHandle,
    /** O_DSYNC (and O_DIRECT when `arena` is set): every write through it is durable on return. */
    private readonly durableHandle: FileHandle,
    private readonly arena: AlignedArena | undefined,
    private currentSize: number,
  ) {}

  get size(): number {
    return this.currentSize;
  }

  append(parts: readonly Uint8Array[], aligned = false): Promise<void> {
    // Direct files can only be written through the direct (and so durable) descriptor.
    return this.appendVia(this.arena !== undefined ? this.durableHandle : this.handle, parts, aligned);
  }

  appendDurable(parts: readonly Uint8Array[], aligned = false): Promise<void> {
    return this.appendVia(this.durableHandle, parts, aligned);
  }

  private async appendVia(handle: FileHandle, parts: readonly Uint8Array[], aligned: boolean): Promise<void> {
    if (this.appending) throw new TesseraError(ErrorCodes.INTERNAL, 'overlapping appends to one extent');
    this.appending = true;
    try {
      const position = this.currentSize;
      const length = parts.reduce((sum, p) => sum + p.length, 0);
      if (this.arena !== undefined) await this.appendDirect(parts, position, length, aligned);
      else await writeAll(handle, parts, position, length);
      this.currentSize = position + length;
    } finally {
      this.appending = false;
    }
  }

  private async appendDirect(parts: readonly Uint8Array[], position: number, length: number, aligned: boolean): Promise<void> {
    if (position % DIRECT_IO_ALIGNMENT !== 0 || length % DIRECT_IO_ALIGNMENT !== 0) {
      throw new TesseraError(ErrorCodes.INTERNAL, 'direct I/O append not 4 KiB aligned');
    }
    const arena = this.arena!;
    const only = parts.length === 1 ? parts[0]! : undefined;
    // The committer composes batches in aligned memory already; anything else is copied in.
    let data: Uint8Array;
    if (only !== undefined && aligned) {
      data = only;
    } else {
      const view = arena.view(length);
      let at = 0;
      for (const p of parts) {
        view.set(p, at);
        at += p.length;
      }
      data = view;
    }
    await writeAll(this.durableHandle, [data], position, length);
  }

  async datasync(): Promise<void> {
    await this.handle.datasync();
  }

  async read(position: number, length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(out, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === length ? out : out.subarray(0, done);
  }

  async truncate(length: number): Promise<void> {
    await this.handle.truncate(length);
    this.currentSize = length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.handle.close(), this.durableHandle.close()]);
  }
}

async function writeAll(handle: FileHandle, parts: readonly Uint8Array[], position: number, length: number): Promise<void> {
  let remaining = [...parts];
  let at = position;
  while (at < position + length) {
    const { bytesWritten } = await handle.writev(remaining as Uint8Array[], at);
    if (bytesWritten <= 0) throw new TesseraError(ErrorCodes.STORAGE_IO, 'storage write made no progress');
    at += bytesWritten;
    remaining = skipBytes(remaining, bytesWritten);
  }
}

/** `parts` without their first `n` bytes (after a short write). */
function skipBytes(parts: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let skip = n;
  for (const p of parts) {
    if (skip >= p.length) {
      skip -= p.length;
      continue;
    }
    out.push(skip > 0 ? p.subarray(skip) : p);
    skip = 0;
  }
  return out;
}

/** fsync of a directory, so that a created, renamed or removed entry survives power loss. */
export async function fsyncDirectory(path: string): Promise<void> {
  const handle = await fs.open(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
