import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTypes } from '../scripts/gen-types.js';

const committedDir = fileURLToPath(new URL('../src/generated', import.meta.url));

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe('generated types', () => {
  let tmp: string | undefined;
  afterAll(async () => {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  it('match a fresh run of `npm run gen -w @tessera/wire`', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'tessera-wire-gen-'));
    const fresh = path.join(tmp, 'generated');
    await generateTypes(fresh);
    const freshFiles = await listFiles(fresh);
    const committedFiles = await listFiles(committedDir);
    expect(committedFiles, 'set of generated files is stale: run `npm run gen -w @tessera/wire`').toEqual(freshFiles);
    for (const file of freshFiles) {
      const [a, b] = await Promise.all([
        readFile(path.join(fresh, file), 'utf8'),
        readFile(path.join(committedDir, file), 'utf8'),
      ]);
      expect(b, `${file} is stale: run \`npm run gen -w @tessera/wire\``).toBe(a);
    }
  });
});
