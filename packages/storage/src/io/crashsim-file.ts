/**
 * Power-loss simulation for extent files (DESIGN section 4, TESSERA_CRASHSIM=1).
 *
 * `kill -9` cannot show a missing fsync: the page cache outlives the process
 * and the next open reads every byte written. With simulation on, appended
 * bytes stay in memory (reads see them) and reach the real file only inside
 * `datasync`, which writes them and then calls the real fdatasync. A crash
 * truncates the real file back to the length covered by the last datasync
 * that *completed before the crash*: a datasync still in flight when the crash
 * is declared counts as not done, even if its system call returns later, and
 * reports failure to its caller. What survives is therefore exactly what a
 * power failure at that instant could keep, minus partial writes (which the
 * extent scanner handles separately as torn records).
 *
 * Directory entries (file creation, unlink) are synced explicitly by the
 * callers and are treated as durable once that sync returns.
 */
import { simulatePowerLoss } from '@tessera/common/durable';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { ExtentAlignment } from '../format/extent-header.js';
import type { ExtentFile } from './extent-file.js';

interface HeldWrite {
  readonly offset: number;
  readonly bytes: Buffer;
}

/** Every open simulated file: what a process-wide power loss drops. */
const simulatedFiles = new Set<SimulatedExtentFile>();

export class SimulatedExtentFile implements ExtentFile {
  /** Bytes covered by a completed datasync. */
  private durable: number;
  private held: HeldWrite[] = [];
  private logicalSize: number;
  private inflight: Promise<unknown> = Promise.resolve();
  private crashed = false;

  constructor(private readonly real: ExtentFile) {
    this.durable = real.size;
    this.logicalSize = real.size;
    simulatedFiles.add(this);
  }

  get path(): string {
    return this.real.path;
  }

  get alignment(): ExtentAlignment {
    return this.real.alignment;
  }

  get size(): number {
    return this.logicalSize;
  }

  /** Bytes a power loss now would keep (for tests). */
  get durableSize(): number {
    return this.durable;
  }

  async append(parts: readonly Uint8Array[], _aligned?: boolean): Promise<void> {
    this.assertAlive();
    const bytes = Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
    this.held.push({ offset: this.logicalSize, bytes });
    this.logicalSize += bytes.length;
  }

  async appendDurable(parts: readonly Uint8Array[], _aligned?: boolean): Promise<void> {
    await this.append(parts);
    await this.datasync();
  }

  datasync(): Promise<void> {
    this.assertAlive();
    const run = this.inflight.then(() => this.syncHeld());
    this.inflight = run.catch(() => undefined);
    return run;
  }

  private async syncHeld(): Promise<void> {
    this.assertAlive();
    const batch = this.held;
    if (batch.length === 0) return;
    const upto = this.logicalSize;
    // Earlier bytes first; the real file may already hold a prefix from a
    // datasync that failed after writing.
    if (this.real.size > this.durable) await this.real.truncate(this.durable);
    for (const write of batch) await this.real.append([write.bytes]);
    await this.real.datasync();
    // The crash was declared while this sync was running: it did not complete.
    this.assertAlive();
    this.durable = upto;
    this.held = this.held.filter((w) => w.offset >= upto);
  }

  async read(position: number, length: number): Promise<Buffer> {
    this.assertAlive();
    const end = Math.min(position + length, this.logicalSize);
    if (end <= position) return Buffer.alloc(0);
    const out = Buffer.allocUnsafe(end - position);
    if (position < this.durable) {
      const fromDisk = await this.real.read(position, Math.min(end, this.durable) - position);
      fromDisk.copy(out, 0);
    }
    for (const write of this.held) {
      const a = Math.max(position, write.offset);
      const b = Math.min(end, write.offset + write.bytes.length);
      if (a < b) write.bytes.copy(out, a - position, a - write.offset, b - write.offset);
    }
    return out;
  }

  async truncate(length: number): Promise<void> {
    this.assertAlive();
    await this.inflight;
    if (length < this.durable) {
      await this.real.truncate(length);
      this.durable = length;
    }
    this.held = this.held
      .filter((w) => w.offset < length)
      .map((w) => (w.offset + w.bytes.length <= length ? w : { offset: w.offset, bytes: w.bytes.subarray(0, length - w.offset) }));
    this.logicalSize = length;
  }

  /** Clean close: like a process exit, the OS would still write what was appended. */
  async close(): Promise<void> {
    if (this.crashed) return;
    simulatedFiles.delete(this);
    try {
      await this.inflight;
      if (this.held.length > 0) {
        if (this.real.size > this.durable) await this.real.truncate(this.durable);
        for (const write of this.held) await this.real.append([write.bytes]);
      }
    } finally {
      this.held = [];
      await this.real.close();
    }
  }

  /** Power loss: everything not covered by a completed datasync is gone. */
  async crash(): Promise<void> {
    if (this.crashed) return;
    this.crashed = true;
    simulatedFiles.delete(this);
    await this.inflight;
    this.held = [];
    try {
      if (this.real.size !== this.durable) await this.real.truncate(this.durable);
    } finally {
      await this.real.close();
    }
  }

  private assertAlive(): void {
    if (this.crashed) throw new TesseraError(ErrorCodes.STORAGE_CLOSED, 'extent file lost power');
  }
}

/** Crashes every simulated extent file of this process. */
export async function crashSimulatedExtentFiles(): Promise<void> {
  await Promise.all([...simulatedFiles].map((f) => f.crash()));
}

/**
 * Process-wide power loss for storage: the extent files and every simulated
 * LevelDB (the shard indexes, and the Raft and state-machine stores if the
 * process has them). A process told to crash calls this, then exits.
 */
export async function simulateStoragePowerLoss(): Promise<void> {
  await Promise.all([crashSimulatedExtentFiles(), simulatePowerLoss()]);
}
