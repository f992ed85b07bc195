/**
 * Locating the third-party test vectors in `../shared/vectors/` (or
 * `$TESSERA_VECTORS`). Tests read them in place; they are never copied into
 * the project. When the folder is absent (a user's fresh clone) vector tests
 * skip with a one-line reason; with CI=true the absence is a failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/** The repository root: the nearest ancestor whose package.json declares workspaces. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown };
      if (parsed.workspaces !== undefined) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
}

export interface VectorsLocation {
  /** Absolute path of the vectors folder, or undefined when absent. */
  readonly dir: string | undefined;
  /** Where we looked, for the skip or failure message. */
  readonly searched: string;
}

export function locateVectors(): VectorsLocation {
  const fromEnv = process.env['TESSERA_VECTORS'];
  const searched = fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : resolve(repoRoot(), '..', 'shared', 'vectors');
  return { dir: existsSync(searched) ? searched : undefined, searched };
}

export function isCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Reads a JSON vector file relative to the vectors folder. */
export function readVectorJson<T>(dir: string, relPath: string): T {
  return JSON.parse(readFileSync(join(dir, relPath), 'utf8')) as T;
}

/**
 * `describe` for a suite that needs the vectors folder. Absent folder: one
 * skipped suite with a one-line reason, or (CI=true) one failing test.
 */
export function describeVectors(title: string, body: (dir: string) => void): void {
  const loc = locateVectors();
  if (loc.dir !== undefined) {
    const dir = loc.dir;
    describe(title, () => body(dir));
    return;
  }
  const reason = `test vectors not found at ${loc.searched} (set TESSERA_VECTORS)`;
  if (isCi()) {
    describe(title, () => {
      it('requires the shared test vectors under CI', () => {
        throw new Error(reason);
      });
    });
  } else {
    describe.skip(`${title} — skipped: ${reason}`, () => {
      it('vectors absent', () => undefined);
    });
  }
}
