/** One real process: bin/tessera runs the sources through tsx (no build needed). */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/tessera', import.meta.url));
const exec = promisify(execFile);
let root: string | undefined;

afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

async function tessera(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return tesseraWith({}, cwd, ...args);
}

async function tesseraWith(env: Record<string, string>, cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd, env: { ...process.env, TESSERA_CLI_MODE: 'source', ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('bin/tessera', () => {
  it('creates a CA from a directory outside the repository and reports usage errors with exit 2', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tessera-bin-'));
    const ok = await tessera(root, '-o', 'json', 'cert', 'create-ca', '--dir', 'ca', '--trust-domain', 'bin.test');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ kind: 'cluster', trustDomain: 'bin.test' });
    const bad = await tessera(root, 'cert', 'create-ca', '--dir', 'ca');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/required option '--trust-domain <domain>'/);
  });

  it('refuses a malformed TESSERA_HEAP_GROWING_PERCENT with one line and exit 2, and runs with a valid one', async () => {
    const bad = await tesseraWith({ TESSERA_HEAP_GROWING_PERCENT: 'lots' }, os.tmpdir(), '--version');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("tessera: TESSERA_HEAP_GROWING_PERCENT must be an integer from 0 to 1000 (0 keeps V8's own heap growing)\n");
    const ok = await tesseraWith({ TESSERA_HEAP_GROWING_PERCENT: '0' }, os.tmpdir(), '--version');
    expect(ok.code, ok.stderr).toBe(0);
  });
});
