/**
 * K3: compaction reads headers only and runs with no key ever fetched. The
 * structural half of that proof: the compaction code path's import graph
 * (followed through relative imports and into workspace packages) never
 * reaches @tessera/crypto or the key manager.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const packagesDir = resolve(here, '../..');
const FORBIDDEN = ['@tessera/crypto', '@tessera/keymanager'];

const SPECIFIER = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

function specifiers(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** A workspace package's source entry for a bare specifier (`@tessera/x` or `@tessera/x/sub`), or undefined for third-party modules. */
function workspaceEntry(specifier: string): string | undefined {
  const match = /^@tessera\/([^/]+)(?:\/(.+))?$/.exec(specifier);
  if (match === null) return undefined;
  const pkgDir = join(packagesDir, match[1] as string);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
  const entry = pkg.exports?.[match[2] === undefined ? '.' : `./${match[2]}`];
  const dev = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).development : undefined;
  return typeof dev === 'string' ? resolve(pkgDir, dev) : undefined;
}

/** Every file and bare specifier reachable from `entry`. */
function importGraph(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
        if (!existsSync(target)) throw new Error(`unresolved import ${spec} in ${file}`);
        todo.push(target);
        continue;
      }
      bare.add(spec);
      const ws = workspaceEntry(spec);
      if (ws !== undefined) todo.push(ws);
    }
  }
  return { files, bare };
}

const reachesForbidden = (bare: ReadonlySet<string>): string[] => [...bare].filter((s) => FORBIDDEN.some((f) => s === f || s.startsWith(`${f}/`)));

describe('compaction imports no crypto', () => {
  it('compaction.ts reaches neither @tessera/crypto nor the key manager, through any import', () => {
    const { files, bare } = importGraph(resolve(here, '../src/metadata/compaction.ts'));
    expect(files.size).toBeGreaterThan(0);
    expect(reachesForbidden(bare)).toEqual([]);
  });

  it('neither does the whole metadata state machine that applies Compact (machine.ts)', () => {
    const { files, bare } = importGraph(resolve(here, '../src/metadata/machine.ts'));
    expect([...files].some((f) => f.endsWith('compaction.ts'))).toBe(true);
    expect(reachesForbidden(bare)).toEqual([]);
  });

  it('the scan does find crypto where it is imported (control)', () => {
    const { bare } = importGraph(resolve(here, '../src/objects/delta-crypto.ts'));
    expect(reachesForbidden(bare)).toContain('@tessera/crypto');
  });
});
