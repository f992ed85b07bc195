/**
 * The connection config file (`--config FILE`, TESSERA_CONFIG): parsing and
 * validation, the precedence flags > environment > file (observed through
 * which certificate file a command tries to read), that the process verbs'
 * own `--config` is left to them, and `--debug`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isTesseraError } from '@tessera/common';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../src/index.js';
import { activeConfig, parseConnectionConfig, pick, pickList, runWithConfig } from '../src/config-file.js';
import { splitGlobalArgs } from '../src/global-args.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

const ENV_KEYS = ['TESSERA_CONFIG', 'TESSERA_CERT', 'TESSERA_KEY', 'TESSERA_CA', 'TESSERA_CRL', 'TESSERA_ENDPOINT', 'TESSERA_DATA_ENDPOINT'];
const savedEnv = new Map(ENV_KEYS.map((k) => [k, process.env[k]]));
let root: string;
let configFile: string;

beforeAll(async () => {
  for (const k of ENV_KEYS) delete process.env[k];
  root = await mkdtemp(path.join(os.tmpdir(), 'tessera-cli-config-'));
  configFile = path.join(root, 'tessera.json');
  // Certificates that do not exist: each command fails naming the file it chose, which shows the precedence.
  await writeFile(
    configFile,
    JSON.stringify({
      endpoints: ['127.0.0.1:1'],
      dataEndpoints: ['n1=127.0.0.1:1'],
      ca: 'pki/ca.crt',
      admin: { cert: 'admin-from-file.crt', key: 'admin.key' },
      tenant: { cert: 'tenant-from-file.crt', key: 'tenant.key' },
    }),
  );
});

afterEach(() => {
  for (const k of ENV_KEYS) delete process.env[k];
});

afterAll(async () => {
  for (const [k, v] of savedEnv) if (v !== undefined) process.env[k] = v;
  await rm(root, { recursive: true, force: true });
});

describe('splitGlobalArgs', () => {
  it('takes --config only from the options before the command', () => {
    expect(splitGlobalArgs(['--config', 'c.json', '-o', 'json', 'ls'])).toMatchObject({ args: ['-o', 'json', 'ls'], configFile: 'c.json', json: true, debug: false });
    expect(splitGlobalArgs(['-o', 'json', '--config=c.json', '--debug', 'put', 'a', 'b'])).toMatchObject({ args: ['-o', 'json', '--debug', 'put', 'a', 'b'], configFile: 'c.json', debug: true });
    const nodeStart = splitGlobalArgs(['node', 'start', '--config', 'node.json']);
    expect(nodeStart.args).toEqual(['node', 'start', '--config', 'node.json']);
    expect(nodeStart.configFile).toBeUndefined();
    // `-o config` is a value, not the command.
    expect(splitGlobalArgs(['-o', 'table', '--config', 'x', 'ls']).args).toEqual(['-o', 'table', 'ls']);
  });
});

describe('parseConnectionConfig', () => {
  it('resolves paths against the file and keeps only what is set', () => {
    const c = parseConnectionConfig('/etc/tessera/cli.json', { endpoints: ['a:1'], ca: 'ca.crt', admin: { cert: '/abs/admin.crt' } });
    expect(c).toEqual({ endpoints: ['a:1'], ca: '/etc/tessera/ca.crt', admin: { cert: '/abs/admin.crt' } });
  });

  it('refuses unknown settings and wrong types as usage errors', () => {
    const bad: unknown[] = [[], 'x', null, { endpoint: ['a:1'] }, { endpoints: 'a:1' }, { endpoints: [1] }, { ca: 7 }, { admin: { cert: 'c', pin: 'p' } }, { tenant: [] }];
    for (const doc of bad) {
      let thrown: unknown;
      try {
        parseConnectionConfig('/x.json', doc);
      } catch (err) {
        thrown = err;
      }
      expect(isTesseraError(thrown, 'CLI_USAGE'), JSON.stringify(doc)).toBe(true);
    }
  });

  it('pick and pickList: flag, then environment, then file', () => {
    process.env['TESSERA_CA'] = 'env';
    expect(pick('flag', 'TESSERA_CA', 'file')).toBe('flag');
    expect(pick(undefined, 'TESSERA_CA', 'file')).toBe('env');
    delete process.env['TESSERA_CA'];
    expect(pick(undefined, 'TESSERA_CA', 'file')).toBe('file');
    process.env['TESSERA_ENDPOINT'] = 'e1:1, e2:2';
    expect(pickList(['f:1'], 'TESSERA_ENDPOINT', ['c:1'])).toEqual(['f:1']);
    expect(pickList([], 'TESSERA_ENDPOINT', ['c:1'])).toEqual(['e1:1', 'e2:2']);
    delete process.env['TESSERA_ENDPOINT'];
    expect(pickList(undefined, 'TESSERA_ENDPOINT', ['c:1'])).toEqual(['c:1']);
  });
});

describe('tessera --config', () => {
  it('object verbs use the file\'s tenant identity; the environment and flags win over it', async () => {
    const fromFile = await run('--config', configFile, 'ls');
    expect(fromFile.code).toBe(EXIT_FAILURE);
    expect(fromFile.stderr).toContain(path.join(root, 'tenant-from-file.crt'));
    process.env['TESSERA_CERT'] = path.join(root, 'from-env.crt');
    expect((await run('--config', configFile, 'ls')).stderr).toContain('from-env.crt');
    expect((await run('--config', configFile, 'ls', '--cert', path.join(root, 'from-flag.crt'))).stderr).toContain('from-flag.crt');
  });

  it('admin verbs use the file\'s admin identity, also through TESSERA_CONFIG', async () => {
    process.env['TESSERA_CONFIG'] = configFile;
    const r = await run('tenant', 'list');
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.stderr).toContain(path.join(root, 'admin-from-file.crt'));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('hint:');
  });

  it('a missing or malformed file is a usage error naming it', async () => {
    const missing = await run('--config', path.join(root, 'nope.json'), 'ls');
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(/^tessera: config file .*nope\.json: cannot be read/);
    const typo = path.join(root, 'typo.json');
    await writeFile(typo, JSON.stringify({ endpoint: ['a:1'] }));
    const r = await run('-o', 'json', '--config', typo, 'ls');
    expect(r.code).toBe(EXIT_USAGE);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'CLI_USAGE' } });
  });

  it('without any setting, the error says where settings may come from', async () => {
    const r = await run('ls');
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain('TESSERA_DATA_ENDPOINT, or the config file');
  });

  it('leaves the process verbs their own --config (node start reads its node config)', async () => {
    const r = await run('node', 'start', '--config', path.join(root, 'no-node-config.json'));
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain('cannot read config file');
    expect(r.stderr).toContain('no-node-config.json');
  });

  it('is listed by --help', async () => {
    const r = await run('--help');
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toContain('--config <file>');
    expect(r.stdout).toContain('--debug');
    expect(r.stdout).toContain('TESSERA_CONFIG');
  });
});

describe('--debug', () => {
  it('adds the error code and stack below the one-line error; without it there is no stack', async () => {
    const plain = await run('--config', configFile, 'ls');
    expect(plain.stderr).not.toMatch(/\s+at /);
    const debug = await run('--debug', '--config', configFile, 'ls');
    expect(debug.code).toBe(EXIT_FAILURE);
    const [first, ...rest] = debug.stderr.split('\n');
    expect(first).toBe(plain.stderr.trimEnd());
    expect(rest.join('\n')).toMatch(/^debug: TesseraError \[TRANSPORT_TLS_MATERIAL\]/);
    expect(rest.join('\n')).toMatch(/\s+at /);
  });
});

describe('runWithConfig', () => {
  it('keeps concurrent in-process runs apart; the process scope sets the one config the process has', async () => {
    const seen: string[] = [];
    const run = (tenant: string, waitFirst: Promise<void>): Promise<void> =>
      runWithConfig({ ca: tenant }, async () => {
        await waitFirst;
        seen.push(`${tenant}:${activeConfig().ca ?? ''}`);
      });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const a = run('a', gate);
    const b = run('b', Promise.resolve());
    await b;
    release();
    await a;
    expect(seen).toEqual(['b:b', 'a:a']);
    expect(activeConfig()).toEqual({});
    try {
      await runWithConfig({ ca: 'p' }, async () => undefined, 'process');
      // No AsyncLocalStorage: the config is the process's, also outside the run.
      expect(activeConfig().ca).toBe('p');
    } finally {
      await runWithConfig({}, async () => undefined, 'process');
    }
  });
});
