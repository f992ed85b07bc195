/**
 * `tessera bench put|get` run in-process against a fake node client port
 * (real mTLS, a tenant client certificate of the tenant's own CA).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../src/index.js';
import { fakeDataPort, runObjectCli as run } from './support/object-cli.js';

const port = fakeDataPort();

interface Report {
  op: string;
  size: number;
  clients: number;
  prefix: string;
  kept: boolean;
  maxOpsPerRun: number | null;
  machine: { cpus: number; node: string; disk: string };
  loadAverage: { before: string; after: string };
  runs: Array<{ ops: number; opsPerSec: number; mbPerSec: number; p50Us: number; p99Us: number; seconds: number }>;
  median: { opsPerSec: number; mbPerSec: number; p50Ms: number; p99Ms: number; opsMin: number; opsMax: number };
}

async function names(prefix: string): Promise<string[]> {
  const r = await run(['-o', 'json', 'ls', prefix, ...port.get().connection]);
  expect(r.code, r.stderr).toBe(EXIT_OK);
  return (JSON.parse(r.stdout) as { objects: Array<{ name: string }> }).objects.map((o) => o.name).sort();
}

describe('tessera bench', () => {
  const connection: string[] = [];
  beforeEach(() => void connection.splice(0, connection.length, ...port.get().connection));

  it('put: runs bounded by --count, the median with min and max, the machine in the header; deletes what it wrote', async () => {
    const r = await run(['-o', 'json', 'bench', 'put', '--size', '3KiB', '--clients', '2', '--names', '3', '--duration', '60s', '--warmup', '0', '--runs', '2', '--count', '12', ...connection]);
    expect(r.code, r.stderr).toBe(EXIT_OK);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ op: 'put', size: 3072, clients: 2, kept: false, maxOpsPerRun: 12 });
    expect(report.prefix).toMatch(/^bench\/[0-9a-f]{8}\/$/);
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    expect(report.loadAverage.before).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/);
    expect(report.runs.map((run) => run.ops)).toEqual([12, 12]);
    for (const run of report.runs) {
      expect(run.opsPerSec).toBeCloseTo(run.ops / run.seconds, 6);
      expect(run.mbPerSec).toBeCloseTo((run.opsPerSec * 3072) / 1e6, 6);
      expect(run.p99Us).toBeGreaterThanOrEqual(run.p50Us);
    }
    const rates = report.runs.map((run) => run.opsPerSec).sort((a, b) => a - b);
    expect(report.median).toMatchObject({ opsMin: rates[0], opsMax: rates[1], opsPerSec: (rates[0]! + rates[1]!) / 2 });
    expect(await names(report.prefix)).toEqual([]);
  });

  it('put --keep leaves clients × names objects under the given prefix; the table names the runs', async () => {
    const r = await run(['bench', 'put', '--size', '100', '--clients', '2', '--names', '2', '--duration', '60s', '--warmup', '0', '--runs', '1', '--count', '8', '--prefix', 'bench/kept/', '--keep', ...connection]);
    expect(r.code, r.stderr).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^tessera bench put: 100 B objects, 2 clients, 1 run of 60 s after 0 s of warm-up \(at most 8 operations each\)\n/);
    expect(r.stdout).toMatch(/\nthis machine: .+, \d+ cores, .+ GiB, Node v\d+/);
    expect(r.stdout).toMatch(/\n {2}run +ops\/s +MB\/s +p50 ms +p99 ms +operations\n {2}1 +[\d,.]+ +[\d,.]+ +[\d.]+ +[\d.]+ +8\n {2}median/);
    expect(r.stdout).toMatch(/objects kept under bench\/kept\/\n$/);
    expect(await names('bench/kept/')).toEqual(['bench/kept/put/0/0', 'bench/kept/put/0/1', 'bench/kept/put/1/0', 'bench/kept/put/1/1']);
  });

  it('get: writes --objects objects first, reads them checking their length, deletes them; a line per run on a terminal', async () => {
    const r = await run(['-o', 'json', 'bench', 'get', '--size', '5000', '--clients', '3', '--objects', '4', '--duration', '60s', '--warmup', '0', '--runs', '2', '--count', '9', '--prefix', 'bench/reads/', ...connection], undefined, true);
    expect(r.code, r.stderr).toBe(EXIT_OK);
    expect(r.stderr.split('\n')).toEqual([
      'bench get: writing the objects to read under bench/reads/',
      expect.stringMatching(/^bench get: run 1 of 2: [\d.]+ ops\/s, p50 [\d.]+ ms$/),
      expect.stringMatching(/^bench get: run 2 of 2: /),
      '',
    ]);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ op: 'get', size: 5000, clients: 3, prefix: 'bench/reads/' });
    expect(report.runs.map((run) => run.ops)).toEqual([9, 9]);
    expect(await names('bench/reads/')).toEqual([]);
  });

  it('refuses bad flags as usage errors (exit 2), without a stack trace', async () => {
    const cases = [
      ['bench', 'put', '--size', '0', ...connection],
      ['bench', 'put', '--size', '2GiB', ...connection],
      ['bench', 'put', '--clients', '0', ...connection],
      ['bench', 'put', '--clients', '1025', ...connection],
      ['bench', 'put', '--duration', '50ms', ...connection],
      ['bench', 'put', '--runs', '0', ...connection],
      ['bench', 'put', '--count', 'many', ...connection],
      ['bench', 'put', '--prefix', 'no-slash', ...connection],
      ['bench', 'put', '--prefix', '/abs/', ...connection],
      ['bench', 'get', '--objects', '0', ...connection],
      ['bench', 'put', '--retry-timeout', '2h', ...connection],
      ['bench', 'put', '--cert', port.get().pki.client.certFile, '--key', port.get().pki.client.keyFile, '--ca', port.get().pki.client.caFile, '--endpoint', ''],
    ];
    for (const args of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(EXIT_USAGE);
      expect(r.stderr).not.toMatch(/\s+at /);
    }
  });

  it('an unreachable cluster is one line on stderr and exit 1', async () => {
    const r = await run(['bench', 'put', '--size', '1KiB', '--clients', '1', '--duration', '1s', '--warmup', '0', '--runs', '1', '--retry-timeout', '1s', ...connection.map((a) => (a === port.get().server.address ? '127.0.0.1:9' : a))]);
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tessera: /);
  });

  it.each(['put', 'get'])('bench %s --help shows examples (exit 0)', async (verb) => {
    const r = await run(['bench', verb, '--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ tessera /);
  });
});
