/**
 * A slow disk for one process: a cgroup (v1 `blkio`, or v2 `io.max`) that
 * caps the write operations per second the process may issue to the block
 * device under a folder. Needs root and a writable cgroup hierarchy; fails
 * with CHAOS_RUN (saying so) otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdir, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';

const V1_ROOT = '/sys/fs/cgroup/blkio';
const V2_ROOT = '/sys/fs/cgroup';

/** `major:minor` of the block device holding `folder`. */
export async function deviceNumbers(folder: string): Promise<string> {
  const dev = (await stat(folder)).dev;
  const major = Math.floor(dev / 256) & 0xfff;
  const minor = (dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00);
  return `${major}:${minor}`;
}

export class WriteThrottle {
  private constructor(private readonly dir: string) {}

  /** A cgroup named `name` capping write IOPS on the device under `folder`. */
  static async create(name: string, folder: string, writeIops: number): Promise<WriteThrottle> {
    const device = await deviceNumbers(folder);
    try {
      if (existsSync(path.join(V1_ROOT, 'cgroup.procs'))) {
        const dir = path.join(V1_ROOT, name);
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, 'blkio.throttle.write_iops_device'), `${device} ${writeIops}\n`);
        return new WriteThrottle(dir);
      }
      const dir = path.join(V2_ROOT, name);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'io.max'), `${device} wiops=${writeIops}\n`);
      return new WriteThrottle(dir);
    } catch (cause) {
      throw new TesseraError(ErrorCodes.CHAOS_RUN, `cannot throttle disk writes (needs root and a writable blkio/io cgroup; device ${device})`, { cause });
    }
  }

  async add(pid: number): Promise<void> {
    await writeFile(path.join(this.dir, 'cgroup.procs'), `${pid}\n`);
  }

  /** Removes the cgroup (its processes must have exited or moved). */
  async remove(): Promise<void> {
    await rmdir(this.dir).catch(() => undefined);
  }
}
