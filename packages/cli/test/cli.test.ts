import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../src/index.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

function json(r: Run): Record<string, unknown> {
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

let root: string;
let ca: string;
let tenantCa: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tessera-cli-'));
  ca = path.join(root, 'ca');
  tenantCa = path.join(root, 'acme', 'ca');
  expect((await run('cert', 'create-ca', '--dir', ca, '--trust-domain', 'cli.test')).code).toBe(EXIT_OK);
  expect((await run('cert', 'create-tenant-ca', '--tenant', 'acme', '--dir', tenantCa, '--trust-domain', 'cli.test')).code).toBe(EXIT_OK);
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('tessera cert', () => {
  it('issues every kind of certificate, as JSON with -o json', async () => {
    const out = path.join(root, 'out');
    const cases: [string[], string][] = [
      [['create-node', '--ca', ca, '--id', 'n1', '--ip', '10.1.1.1', '--dns', 'n1.example'], 'spiffe://cli.test/node/n1'],
      [['create-keymanager', '--ca', ca, '--id', 'km1'], 'spiffe://cli.test/keymanager/km1'],
      [['create-admin', '--ca', ca, '--name', 'root'], 'spiffe://cli.test/admin/root'],
      [['create-tenant-admin', '--ca', tenantCa, '--tenant', 'acme', '--name', 'alice'], 'spiffe://cli.test/tenant/acme/admin/alice'],
      [['create-client', '--ca', tenantCa, '--tenant', 'acme', '--name', 'app'], 'spiffe://cli.test/tenant/acme/client/app'],
    ];
    for (const [args, identity] of cases) {
      const r = await run('-o', 'json', 'cert', ...args, '--out', out);
      expect(r.code, r.stderr).toBe(EXIT_OK);
      const result = json(r);
      expect(result['identity']).toBe(identity);
      const certFile = String(result['certFile']);
      expect(new X509Certificate(await readFile(certFile)).subjectAltName).toContain(`URI:${identity}`);
      expect((await stat(String(result['keyFile']))).mode & 0o777).toBe(0o600);
    }
    const node = new X509Certificate(await readFile(path.join(out, 'node-n1.crt')));
    expect(node.subjectAltName).toBe('URI:spiffe://cli.test/node/n1, DNS:localhost, DNS:n1.example, IP Address:127.0.0.1, IP Address:10.1.1.1');
  });

  it('prints a table for people', async () => {
    const r = await run('cert', 'create-admin', '--ca', ca, '--name', 'ops', '--out', path.join(root, 'table'), '--days', '7');
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^issued admin certificate\n  identity +spiffe:\/\/cli\.test\/admin\/ops\n/);
    expect(r.stdout).toMatch(/\n  key file +.*admin-ops\.key\n/);
  });

  it('renews, revokes and writes CRLs', async () => {
    const out = path.join(root, 'life');
    const issued = json(await run('-o', 'json', 'cert', 'create-node', '--ca', ca, '--id', 'n7', '--out', out));
    const renewed = await run('-o', 'json', 'cert', 'renew', '--ca', ca, '--cert', String(issued['certFile']));
    expect(renewed.code).toBe(EXIT_OK);
    expect(json(renewed)['serial']).not.toBe(issued['serial']);
    const revoked = await run('-o', 'json', 'cert', 'revoke', '--ca', ca, '--cert', String(issued['certFile']), '--reason', 'superseded');
    expect(revoked.code).toBe(EXIT_OK);
    expect(json(revoked)).toMatchObject({ newlyRevoked: true, revoked: 1 });
    const bySerial = await run('-o', 'json', 'cert', 'revoke', '--ca', ca, '--serial', String(issued['serial']));
    expect(json(bySerial)).toMatchObject({ newlyRevoked: true, revoked: 2 });
    const crl = await run('-o', 'json', 'cert', 'crl', '--ca', ca, '--days', '30');
    expect(crl.code).toBe(EXIT_OK);
    expect(json(crl)).toMatchObject({ revoked: 2 });
  });
});

describe('errors and exit codes', () => {
  it('runtime failures exit 1 with one line and no stack trace', async () => {
    const out = path.join(root, 'twice');
    expect((await run('cert', 'create-admin', '--ca', ca, '--name', 'x', '--out', out)).code).toBe(EXIT_OK);
    const again = await run('cert', 'create-admin', '--ca', ca, '--name', 'x', '--out', out);
    expect(again.code).toBe(EXIT_FAILURE);
    expect(again.stderr).toMatch(/^tessera: .*already exists \(use --force to replace it\)\n$/);
    const missing = await run('cert', 'create-admin', '--ca', path.join(root, 'nope'), '--name', 'x', '--out', out);
    expect(missing.code).toBe(EXIT_FAILURE);
    expect(missing.stderr.split('\n')).toHaveLength(2);
    expect(missing.stderr).not.toMatch(/\s+at /);
    const wrongCa = await run('cert', 'create-client', '--ca', ca, '--tenant', 'acme', '--name', 'x', '--out', out);
    expect(wrongCa.code).toBe(EXIT_FAILURE);
    expect(wrongCa.stderr).toMatch(/never by the cluster CA/);
  });

  it('errors are JSON on stderr with -o json', async () => {
    const r = await run('-o', 'json', 'cert', 'crl', '--ca', path.join(root, 'nope'));
    expect(r.code).toBe(EXIT_FAILURE);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'CERT_NOT_FOUND' } });
    expect(r.stdout).toBe('');
  });

  it('usage errors exit 2', async () => {
    const cases: string[][] = [
      ['cert', 'create-nod'],
      ['cert', 'create-node', '--ca', ca],
      ['cert', 'create-node', '--ca', ca, '--id', 'N1', '--out', root],
      ['cert', 'create-node', '--ca', ca, '--id', 'n1', '--out', root, '--days', 'soon'],
      ['cert', 'create-client', '--ca', tenantCa, '--tenant', 'Not A Tenant', '--name', 'x', '--out', root],
      ['cert', 'revoke', '--ca', ca],
      ['cert', 'revoke', '--ca', ca, '--serial', '1', '--reason', 'because'],
      ['-o', 'yaml', 'cert', 'crl', '--ca', ca],
      ['--no-such-flag'],
      ['cert'],
    ];
    for (const args of cases) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(EXIT_USAGE);
      expect(r.stderr, args.join(' ')).not.toBe('');
      expect(r.stderr).not.toMatch(/\s+at /);
    }
  });

  it('--help on every command shows examples and exits 0', async () => {
    const commands = [
      [],
      ['cert'],
      ...['create-ca', 'create-node', 'create-keymanager', 'create-admin', 'create-tenant-ca', 'create-tenant-admin', 'create-client', 'renew', 'revoke', 'crl'].map(
        (c) => ['cert', c],
      ),
    ];
    for (const c of commands) {
      const r = await run(...c, '--help');
      expect(r.code, c.join(' ')).toBe(EXIT_OK);
      expect(r.stdout, c.join(' ')).toMatch(/Examples:\n {2}\$ tessera /);
    }
    expect((await run('help', 'cert')).code).toBe(EXIT_OK);
    expect((await run('--version')).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
