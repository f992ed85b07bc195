/**
 * `tessera put|get|ls|stat|rm` run in-process against a fake node client
 * port (real mTLS, a tenant client certificate of the tenant's own CA).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../src/index.js';
import { fakeDataPort, runObjectCli as run } from './support/object-cli.js';

const port = fakeDataPort();

describe('object verbs', () => {
  it('put, get, ls, stat and rm a tenant’s objects', async () => {
    const { pki, connection } = port.get();
    const dir = pki.cluster.root;
    const small = path.join(dir, 'small.txt');
    await writeFile(small, 'hello tessera\n');
    const put = await run(['put', small, 'docs/hello.txt', '--attr', 'type=text', '--attr', 'note=a=b', ...connection]);
    expect(put.code, put.stderr).toBe(EXIT_OK);
    expect(put.stdout).toMatch(/^object stored\n {2}name +docs\/hello\.txt\n/);
    expect(put.stdout).toMatch(/attributes +note=a=b, type=text/);

    const big = randomBytes(3 * 65536 + 7);
    const bigFile = path.join(dir, 'big.bin');
    await writeFile(bigFile, big);
    const putBig = await run(['-o', 'json', 'put', bigFile, 'docs/big.bin', '--chunk-size', '64KiB', ...connection]);
    expect(putBig.code, putBig.stderr).toBe(EXIT_OK);
    expect(JSON.parse(putBig.stdout)).toMatchObject({ name: 'docs/big.bin', size: big.length, chunks: 4 });

    const piped = await run(['put', '-', 'piped/from-stdin', ...connection], Readable.from([Buffer.from('from '), Buffer.from('stdin')]));
    expect(piped.code, piped.stderr).toBe(EXIT_OK);

    const out = path.join(dir, 'got.bin');
    const get = await run(['-o', 'json', 'get', 'docs/big.bin', out, ...connection]);
    expect(get.code, get.stderr).toBe(EXIT_OK);
    expect((await readFile(out)).equals(big)).toBe(true);
    expect(JSON.parse(get.stdout)).toMatchObject({ name: 'docs/big.bin', bytes: big.length, file: out });

    const toStdout = await run(['get', 'piped/from-stdin', ...connection]);
    expect(toStdout.code, toStdout.stderr).toBe(EXIT_OK);
    expect(toStdout.bytes.toString()).toBe('from stdin');
    expect(toStdout.stdout).toBe('');

    const ranged = await run(['get', 'docs/big.bin', '-', '--range', '65530:12', ...connection]);
    expect(ranged.bytes.equals(big.subarray(65530, 65542))).toBe(true);
    const tail = await run(['get', 'docs/big.bin', '--range', `${big.length - 3}:`, ...connection]);
    expect(tail.bytes.equals(big.subarray(big.length - 3))).toBe(true);

    const ls = await run(['ls', 'docs/', ...connection]);
    expect(ls.code, ls.stderr).toBe(EXIT_OK);
    expect(ls.stdout.split('\n').slice(0, 4)).toEqual([
      'objects',
      expect.stringMatching(/^ {2}name +size +modified +etag$/),
      expect.stringMatching(/^ {2}docs\/big\.bin +196615 +\d{4}-/),
      expect.stringMatching(/^ {2}docs\/hello\.txt +14 +/),
    ]);
    const limited = await run(['-o', 'json', 'ls', '--limit', '1', ...connection]);
    expect((JSON.parse(limited.stdout) as { objects: { name: string }[] }).objects.map((o) => o.name)).toEqual(['docs/big.bin']);

    const stat = await run(['-o', 'json', 'stat', 'docs/hello.txt', ...connection]);
    expect(JSON.parse(stat.stdout)).toMatchObject({ name: 'docs/hello.txt', size: 14, chunks: 0, attributes: { type: 'text', note: 'a=b' } });

    const rm = await run(['-o', 'json', 'rm', 'docs/hello.txt', ...connection]);
    expect(JSON.parse(rm.stdout)).toEqual({ name: 'docs/hello.txt', existed: true });
    const again = await run(['rm', 'docs/hello.txt', ...connection]);
    expect(again.code).toBe(EXIT_OK);
    expect(again.stdout).toMatch(/existed +false/);

    const missing = await run(['get', 'docs/hello.txt', path.join(dir, 'never'), ...connection]);
    expect(missing.code).toBe(EXIT_FAILURE);
    expect(missing.stderr).toBe('tessera: no such object\n');
    const missingJson = await run(['-o', 'json', 'stat', 'nope', ...connection]);
    expect(JSON.parse(missingJson.stderr)).toEqual({ error: { code: 'NOT_FOUND', message: 'no such object' } });
  });

  it('refuses bad flags and missing connection settings as usage errors (exit 2)', async () => {
    const { pki, connection } = port.get();
    const saved = process.env['TESSERA_DATA_ENDPOINT'];
    delete process.env['TESSERA_DATA_ENDPOINT'];
    try {
      const cases = [
        ['get', 'x', '--range', '5', ...connection],
        ['get', 'x', '--range', '5:0', ...connection],
        ['put', 'f', 'x', '--chunk-size', '17MiB', ...connection],
        ['put', 'f', 'x', '--attr', 'novalue', ...connection],
        ['ls', '--limit', '0', ...connection],
        ['stat', 'x', '--cert', pki.client.certFile, '--key', pki.client.keyFile, '--ca', pki.client.caFile],
        ['put', path.join(pki.cluster.root, 'absent'), 'x', ...connection],
        ['put'],
      ];
      for (const args of cases) {
        const r = await run(args);
        expect(r.code, args.join(' ')).toBe(EXIT_USAGE);
        expect(r.stderr).not.toMatch(/\s+at /);
      }
    } finally {
      if (saved !== undefined) process.env['TESSERA_DATA_ENDPOINT'] = saved;
    }
  });

  it.each(['put', 'get', 'ls', 'stat', 'rm'])('%s --help shows examples (exit 0)', async (verb) => {
    const r = await run([verb, '--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ tessera /);
    expect(r.stdout).toMatch(/TESSERA_DATA_ENDPOINT/);
  });
});
