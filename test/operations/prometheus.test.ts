/**
 * A real Prometheus server (Debian `prometheus`) scraping a local cluster —
 * three storage nodes and the key manager on their HTTP ports — after a
 * tenant's put and get: every target is up, and a Raft series and a
 * data-path series answer through Prometheus's HTTP API (/api/v1/query).
 * Without the binary the suite skips with an install hint; under CI=true it
 * fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCi } from '@tessera/common/testing';
import { pollUntil } from '@tessera/launcher';
import { toolPath } from '../../packages/transport/test/support/promtool.js';
import { DataCluster } from '../integration/support/data-cluster.js';
import { FailureFlag } from '../integration/support/failures.js';

const HINT = 'prometheus not found (install the Debian package: apt-get install prometheus; see scripts/deps.txt)';

interface QueryResult {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function suite(): void {
  let cluster: DataCluster;
  let prometheus: ChildProcess | undefined;
  let prometheusLog = '';
  let dir: string;
  let api: string;
  const failures = new FailureFlag();
  const { track } = failures;

  const query = async (promql: string): Promise<QueryResult[]> => {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data?: { resultType: string; result: QueryResult[] } };
    if (body.status !== 'success' || body.data === undefined) throw new Error(`query ${promql} failed: ${JSON.stringify(body)}`);
    return body.data.result;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tessera-prometheus-'));
    cluster = await DataCluster.start({ nodes: 3 });
    try {
      const tenant = await cluster.addTenant('prom-tenant', 'shared');
      const client = await cluster.client(tenant.client);
      const bytes = randomBytes(256 * 1024);
      await client.put(bytes, 'prom-object.bin');
      expect((await client.getBuffer('prom-object.bin')).equals(bytes)).toBe(true);

      const targets = [...cluster.launcher.nodes(), ...cluster.launcher.keyManagers()].map((p) => p.ports.httpAddress);
      expect(targets.every((t) => t !== undefined)).toBe(true);
      const config = [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: tessera',
        '    static_configs:',
        `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
        '',
      ].join('\n');
      await writeFile(path.join(dir, 'prometheus.yml'), config);
      await mkdir(path.join(dir, 'data'));
      const port = await freePort();
      api = `http://127.0.0.1:${port}`;
      prometheus = spawn(
        'prometheus',
        [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      prometheus.stderr?.on('data', (d: Buffer) => (prometheusLog = (prometheusLog + d.toString()).slice(-4000)));
      await pollUntil(
        'prometheus ready',
        async () => {
          if (prometheus?.exitCode !== null) throw new Error(`prometheus exited: ${prometheusLog}`);
          return (await fetch(`${api}/-/ready`).catch(() => undefined))?.status === 200;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
    } catch (err) {
      failures.failed = true;
      throw err;
    }
  }, 240_000);

  afterAll(async () => {
    if (prometheus !== undefined && prometheus.exitCode === null) {
      const exited = new Promise<void>((resolve) => prometheus?.once('exit', () => resolve()));
      prometheus.kill('SIGTERM');
      await exited;
    }
    if (failures.failed) process.stderr.write(`prometheus log:\n${prometheusLog}\n`);
    await cluster?.shutdown(failures.failed);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it(
    'scrapes every node and the key manager, and answers a Raft and a data-path series',
    track(async () => {
      const members = cluster.launcher.nodes().length + cluster.launcher.keyManagers().length;
      const up = await pollUntil(
        'every target scraped and up',
        async () => {
          const r = await query('up{job="tessera"} == 1');
          return r.length === members ? r : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      expect(up).toHaveLength(members);

      const term = await query('tessera_raft_term');
      expect(term.map((r) => r.metric['group']).sort()).toEqual(['keymanager', 'metadata', 'metadata', 'metadata']);
      expect(term.every((r) => Number(r.value[1]) >= 1)).toBe(true);
      const leaders = await query('sum by (group) (tessera_raft_is_leader)');
      expect(Object.fromEntries(leaders.map((r) => [r.metric['group'], Number(r.value[1])]))).toEqual({ metadata: 1, keymanager: 1 });

      const puts = await query('sum(tessera_data_requests_total{operation="put_chunk",outcome="ok"})');
      expect(Number(puts[0]?.value[1])).toBeGreaterThanOrEqual(1);
      const bytes = await query('sum(tessera_data_bytes_total{operation="get_object"})');
      expect(Number(bytes[0]?.value[1])).toBeGreaterThanOrEqual(256 * 1024);
    }),
    120_000,
  );
}

if (toolPath('prometheus') !== undefined) {
  describe('Prometheus scraping a local cluster', suite);
} else if (isCi()) {
  describe('Prometheus scraping a local cluster', () => {
    it('requires prometheus under CI', () => {
      throw new Error(HINT);
    });
  });
} else {
  describe.skip(`Prometheus scraping a local cluster — skipped: ${HINT}`, () => {
    it('prometheus absent', () => undefined);
  });
}
