/**
 * Whether O_DIRECT works in a folder with this process's aligned buffers:
 * one 4 KiB write through a fresh O_DIRECT descriptor, then the probe file is
 * removed. File systems without direct I/O (tmpfs, some overlays) refuse the
 * open with EINVAL; a misaligned buffer fails the write with EINVAL.
 */
import { constants, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { DIRECT_IO_ALIGNMENT } from '../format/extent-header.js';
import { AlignedArena } from './aligned-arena.js';

export type DirectIoProbe = { readonly ok: true; readonly arena: AlignedArena } | { readonly ok: false; readonly reason: string };

const PROBE_FILE = '.direct-io-probe';

export async function probeDirectIo(dir: string, arenaBytes: number): Promise<DirectIoProbe> {
  let arena: AlignedArena;
  try {
    arena = new AlignedArena(arenaBytes);
  } catch {
    return { ok: false, reason: 'no aligned memory (WebAssembly unavailable)' };
  }
  const path = join(dir, PROBE_FILE);
  try {
    const handle = await fs.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DIRECT, 0o600);
    try {
      const block = arena.view(DIRECT_IO_ALIGNMENT);
      block.fill(0);
      const { bytesWritten } = await handle.write(block, 0, DIRECT_IO_ALIGNMENT, 0);
      if (bytesWritten !== DIRECT_IO_ALIGNMENT) return { ok: false, reason: 'short direct write' };
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return { ok: true, arena };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { ok: false, reason: typeof code === 'string' ? code : 'direct I/O failed' };
  } finally {
    await fs.rm(path, { force: true });
  }
}
