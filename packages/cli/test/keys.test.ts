/**
 * The key-manager verbs (`keymanager …`, `tenant …`, `audit …`): help on
 * every command, usage errors (exit 2), `keymanager init`, and `audit
 * verify` offline against a head and a trail made here. The verbs that talk
 * to a running key manager are exercised in test/integration.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog, encodeSignedHead, encodeTrail, localEd25519Signer, rawEd25519PublicKey, signHead, tenantChain } from '@tessera/audit';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, buildProgram, runCli } from '../src/index.js';
import { HEAD_FILE_FORMAT } from '../src/commands/audit.js';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tessera-cli-keys-'));
});

afterAll(() => rm(root, { recursive: true, force: true }));

function leafCommands(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => (c.commands.length === 0 ? [[...prefix, c.name()]] : leafCommands(c, [...prefix, c.name()])));
}

describe('key-manager, tenant and audit verbs', () => {
  const silent = { stdout: { write: () => true }, stderr: { write: () => true } };
  const leaves = leafCommands(buildProgram(silent)).filter(([top]) => top === 'keymanager' || top === 'tenant' || top === 'audit');

  it('are all there', () => {
    expect(leaves.map((l) => l.join(' ')).sort()).toEqual(
      [
        'audit export',
        'audit head',
        'audit verify',
        'keymanager add-member',
        'keymanager allow-node',
        'keymanager health',
        'keymanager init',
        'keymanager nodes',
        'keymanager remove-node',
        'keymanager rotate-system-epoch',
        'keymanager start',
        'keymanager status',
        'tenant create',
        'tenant create-keys',
        'tenant disable',
        'tenant enable',
        'tenant list',
        'tenant replace-ca',
        'tenant rotate',
        'tenant shred',
        'tenant show',
        // On the nodes' Admin service (commands/operator.ts).
        'tenant set-quota',
        'tenant usage',
      ].sort(),
    );
  });

  const withGroups = [...leaves, ['keymanager'], ['tenant'], ['audit']];
  it.each(withGroups.map((l) => [l.join(' '), l] as const))('%s --help shows examples (exit 0)', async (_name, words) => {
    const r = await run(...words, '--help');
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ tessera /);
  });

  it('refuse contradictory or missing choices as usage errors (exit 2)', async () => {
    expect((await run('tenant', 'shred', '--schedule', '--cancel', '--tenant', 'acme')).code).toBe(EXIT_USAGE);
    expect((await run('tenant', 'shred', '--tenant', 'acme')).code).toBe(EXIT_USAGE);
    expect((await run('tenant', 'rotate', '--tenant', 'acme')).code).toBe(EXIT_USAGE);
    expect((await run('tenant', 'shred', '--schedule', '--delay', 'soon', '--tenant', 'acme')).code).toBe(EXIT_USAGE);
    expect((await run('tenant', 'create', '--id', 'acme', '--policy', 'private', '--ca', 'a', '--crl', 'b')).code).toBe(EXIT_USAGE);
  });

  it('say how to connect when no endpoint is given', async () => {
    const saved = process.env['TESSERA_ENDPOINT'];
    delete process.env['TESSERA_ENDPOINT'];
    try {
      const r = await run('-o', 'json', 'tenant', 'list', '--cert', 'c', '--key', 'k', '--ca', 'ca');
      expect(r.code).toBe(EXIT_USAGE);
      expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'CLI_USAGE', message: expect.stringMatching(/TESSERA_ENDPOINT/) } });
    } finally {
      if (saved !== undefined) process.env['TESSERA_ENDPOINT'] = saved;
    }
  });

  it('keymanager init creates a keyring once, and refuses a folder that already holds one', async () => {
    const keyring = path.join(root, 'keyring');
    const first = await run('-o', 'json', 'keymanager', 'init', '--provider', 'file', '--keyring', keyring);
    expect(first.code, first.stderr).toBe(EXIT_OK);
    expect(JSON.parse(first.stdout)).toMatchObject({ provider: 'file', created: true, rootKey: 'file:root#1', auditPublicKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const again = await run('-o', 'json', 'keymanager', 'init', '--provider', 'file', '--keyring', keyring);
    expect(again.code).toBe(EXIT_FAILURE);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'KM_PROVIDER_CONFIG' } });
  });

  it('keymanager start refuses a file provider joining a group (exit 2)', async () => {
    const r = await run('keymanager', 'start', '--id', 'km2', '--data-dir', path.join(root, 'km2'), '--join', '--provider', 'file', '--keyring', path.join(root, 'keyring'), '--cert', 'c', '--key', 'k', '--ca', 'a', '--crl', 'r');
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/one-member/);
  });
});

describe('audit verify, offline', () => {
  let headFile: string;
  let trailFile: string;
  let publicKeyHex: string;
  const chain = tenantChain('acme');
  const log = new MemoryAuditLog();

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) log.append(chain, { type: 'key.unwrap', principal: `spiffe://t/node/n${i}`, method: 'UnwrapTdk', outcome: 'ok' }, 1_700_000_000_000 + i);
    const keys = generateKeyPairSync('ed25519');
    const signed = await signHead(log.head('keymanager', 1_700_000_000_100), localEd25519Signer(keys.privateKey, 'file:audit#1'));
    publicKeyHex = rawEd25519PublicKey(keys.publicKey).toString('hex');
    headFile = path.join(root, 'head.json');
    trailFile = path.join(root, 'trail.bin');
    await writeFile(headFile, JSON.stringify({ format: HEAD_FILE_FORMAT, keyId: signed.keyId, publicKey: Buffer.from(publicKeyHex, 'hex').toString('base64'), signedHead: encodeSignedHead(signed).toString('base64') }));
    // Two more entries after the head was taken: linked, not yet signed for.
    log.append(chain, { type: 'kek.rotate', principal: 'spiffe://t/tenant/acme/admin/a', outcome: 'ok' }, 1_700_000_000_200);
    log.append(chain, { type: 'kek.rotate', principal: 'spiffe://t/tenant/acme/admin/a', outcome: 'ok' }, 1_700_000_000_300);
    await writeFile(trailFile, encodeTrail(log.trail(chain)));
  });

  it('accepts the trail, reporting the entries the head vouches for and the unsigned tail', async () => {
    const r = await run('-o', 'json', 'audit', 'verify', '--head', headFile, '--trail', trailFile, '--public-key', publicKeyHex);
    expect(r.code, r.stderr).toBe(EXIT_OK);
    expect(JSON.parse(r.stdout)).toMatchObject({ chain: 'tenant/acme', verifiedEntries: 5, entries: 7, unsignedTail: 2 });
    const table = await run('audit', 'verify', '--head', headFile, '--trail', trailFile, '--entries');
    expect(table.stdout).toMatch(/audit trail verified\n {2}chain +tenant\/acme/);
    expect(table.stdout).toMatch(/kek\.rotate/);
  });

  it('fails (exit 1) on a dropped entry, and on a head checked against another key', async () => {
    const trail = log.trail(chain);
    const dropped = path.join(root, 'dropped.bin');
    await writeFile(dropped, encodeTrail({ chain, entries: trail.entries.filter((e) => e.seq !== 3) }));
    const r = await run('-o', 'json', 'audit', 'verify', '--head', headFile, '--trail', dropped);
    expect(r.code).toBe(EXIT_FAILURE);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'AUDIT_CHAIN_BROKEN' } });
    const other = rawEd25519PublicKey(generateKeyPairSync('ed25519').publicKey).toString('hex');
    const wrongKey = await run('-o', 'json', 'audit', 'verify', '--head', headFile, '--trail', trailFile, '--public-key', other);
    expect(JSON.parse(wrongKey.stderr)).toMatchObject({ error: { code: 'AUDIT_BAD_SIGNATURE' } });
    const notAHead = path.join(root, 'not-a-head.json');
    await writeFile(notAHead, await readFile(trailFile));
    expect((await run('audit', 'verify', '--head', notAHead, '--trail', trailFile)).code).toBe(EXIT_USAGE);
  });
});
