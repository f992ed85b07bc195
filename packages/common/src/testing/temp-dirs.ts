/** Temp directories for tests (LevelDB stores, devices, data dirs), removed together. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDirs {
  /** A fresh directory under the OS temp dir. */
  make(label?: string): Promise<string>;
  /** Removes every directory made so far. */
  cleanup(): Promise<void>;
}

export function tempDirs(prefix = 'tessera-test-'): TempDirs {
  const made: string[] = [];
  return {
    async make(label = 'db') {
      const dir = await mkdtemp(join(tmpdir(), `${prefix}${label}-`));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
