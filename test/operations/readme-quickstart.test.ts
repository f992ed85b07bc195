/**
 * The README's quick start, run verbatim: the fenced block after the
 * `<!-- quickstart` marker is executed by bash in a fresh temp dir that
 * looks like a checkout after `npm ci` (its `scripts/` and `node_modules/`
 * are links to this repository's), so `scripts/local-cluster --detach`,
 * `npx tessera … put/get` and `scripts/local-cluster stop` run exactly as a
 * newcomer types them. Then the same data dir is used again: `status`
 * reports a stopped cluster, a second start restarts it (not a new one) and
 * the object put by the quick start is still there, `status` reports every
 * process ready, and `stop` ends every process it recorded.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureFlag } from '../integration/support/failures.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a new terminal: no TESSERA_* settings leaking in from the test runner. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TESSERA_')));
}

function sh(script: string, cwd: string, timeoutMs = 240_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The commands of the README's quick-start block (the fenced block right after the marker comment). */
function quickstartBlock(readme: string): string {
  const marker = readme.indexOf('<!-- quickstart');
  if (marker < 0) throw new Error('README.md has no <!-- quickstart --> marker');
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (m === null) throw new Error('no ```sh block after the quickstart marker');
  return m[1]!;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface StatusJson {
  readonly phase: string;
  readonly healthy: boolean;
  readonly supervisorPid: number | null;
  readonly processes: ReadonlyArray<{ id: string; kind: string; pid: number | null; running: boolean; ready: boolean }>;
}

let dir: string;
let block: string;
const failures = new FailureFlag();
const track = failures.track;
const DATA = '.local-cluster';

beforeAll(async () => {
  block = quickstartBlock(await readFile(path.join(repo, 'README.md'), 'utf8'));
  dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-quickstart-'));
  await symlink(path.join(repo, 'scripts'), path.join(dir, 'scripts'));
  await symlink(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
});

afterAll(async () => {
  // Whatever happened, leave no process behind.
  await sh(`scripts/local-cluster stop --data ${DATA}`, dir, 90_000).catch(() => undefined);
  if (failures.failed) {
    const log = await readFile(path.join(dir, DATA, 'logs', 'local-cluster.log'), 'utf8').catch(() => '(no log)');
    process.stderr.write(`quickstart files kept in ${dir}; local-cluster.log ends with:\n${log.split('\n').slice(-40).join('\n')}\n`);
  }
  else await rm(dir, { recursive: true, force: true });
}, 120_000);

async function status(): Promise<{ run: Run; json: StatusJson }> {
  const run = await sh(`scripts/local-cluster status --data ${DATA} --json`, dir, 60_000);
  return { run, json: JSON.parse(run.stdout) as StatusJson };
}

describe('README quick start', () => {
  it('names a local cluster, a put, a get and a stop', () => {
    expect(block).toMatch(/^scripts\/local-cluster .*--detach/m);
    expect(block).toMatch(/ put /);
    expect(block).toMatch(/ get /);
    expect(block).toMatch(/^scripts\/local-cluster stop /m);
  });

  it(
    'runs verbatim: the file read back has the bytes that were put, and stop ends every process',
    track(async () => {
      const run = await sh(block, dir);
      expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('ready');
      expect(run.stdout).toContain('same bytes');
      const put = await readFile(path.join(dir, 'hello.txt'));
      expect(put.byteLength).toBeGreaterThan(0);
      expect(await readFile(path.join(dir, 'hello-copy.txt'))).toEqual(put);

      const after = await status();
      expect(after.run.code).toBe(1);
      expect(after.json.phase).toBe('stopped');
      expect(after.json.processes.map((p) => p.id)).toEqual(['km1', 'n1', 'n2', 'n3']);
      expect(after.json.processes.every((p) => !p.running)).toBe(true);
    }),
  );

  it(
    'restarts the same cluster on the same data dir, keeping its objects; status and stop work from another shell',
    track(async () => {
      const config = await readFile(path.join(dir, DATA, 'tessera.json'), 'utf8');
      const start = await sh(`scripts/local-cluster --detach --data ${DATA}`, dir);
      expect(start.code, start.stderr).toBe(0);
      expect(start.stdout).toContain('restarting the cluster');
      // Same ports: the CLI config written on the first start still points at the cluster.
      expect(await readFile(path.join(dir, DATA, 'tessera.json'), 'utf8')).toBe(config);

      const running = await status();
      expect(running.run.code).toBe(0);
      expect(running.json).toMatchObject({ phase: 'ready', healthy: true });
      expect(running.json.processes.every((p) => p.ready)).toBe(true);

      const get = await sh(`npx tessera --config ${DATA}/tessera.json get greetings/hello.txt - && npx tessera -o json --config ${DATA}/tessera.json ls greetings/`, dir, 60_000);
      expect(get.code, get.stderr).toBe(0);
      const hello = await readFile(path.join(dir, 'hello.txt'), 'utf8');
      expect(get.stdout.startsWith(hello)).toBe(true);
      expect(JSON.parse(get.stdout.slice(hello.length))).toMatchObject({ objects: [{ name: 'greetings/hello.txt', size: Buffer.byteLength(hello) }] });

      const pids = [running.json.supervisorPid!, ...running.json.processes.map((p) => p.pid!)];
      expect(pids.every(alive)).toBe(true);
      const stop = await sh(`scripts/local-cluster stop --data ${DATA}`, dir, 90_000);
      expect(stop.code, stop.stderr).toBe(0);
      expect(pids.filter(alive)).toEqual([]);
      expect((await status()).run.code).toBe(1);
    }),
  );
});
