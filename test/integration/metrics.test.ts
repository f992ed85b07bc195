/**
 * Metrics of a real cluster (issue #10, O1): after two tenants' traffic —
 * chunked and inline puts, gets, stats, listings, deletes and a failing
 * stat — every storage node and the key manager serve /metrics, /healthz and
 * /readyz; no label value of any process names a tenant, an object, a
 * principal or any long hex id (chunk ids, key tags, delta ids); the
 * families the dashboards rely on are present and moved; and
 * `promtool check metrics` passes on each process's own families.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProcess } from '@tessera/launcher';
import { samples, sampleValue, type ExposedSample } from '../../packages/transport/test/support/exposition.js';
import { PROMTOOL_HINT, familiesWithPrefix, itWithTool, promtoolCheckMetrics } from '../../packages/transport/test/support/promtool.js';
import { DataCluster, httpStatus, type TenantHandle } from './support/data-cluster.js';
import { FailureFlag } from './support/failures.js';

const MiB = 1024 * 1024;
const TENANTS = ['acme-metrics', 'beta-metrics'] as const;
const OBJECTS = ['quarterly-report-confidential.pdf', 'notes/inline-secret-plan.txt', 'deleted-soon-object.bin'];

let cluster: DataCluster;
const failures = new FailureFlag();
const { track } = failures;
const handles: TenantHandle[] = [];
const expositions = new Map<string, string>();

function processes(): NodeProcess[] {
  return [...cluster.launcher.nodes(), ...cluster.launcher.keyManagers()];
}

async function scrape(p: NodeProcess): Promise<string> {
  const res = await fetch(`http://${p.ports.httpAddress}/metrics`);
  expect(res.status, `${p.id} /metrics`).toBe(200);
  return res.text();
}

beforeAll(async () => {
  cluster = await DataCluster.start({ nodes: 3 });
  try {
    for (const [i, id] of TENANTS.entries()) {
      const handle = await cluster.addTenant(id, i === 0 ? 'shared' : 'isolated');
      handles.push(handle);
      const client = await cluster.client(handle.client);
      await client.put(randomBytes(5 * MiB), OBJECTS[0]!); // two chunks
      await client.put(Buffer.from(`the plan of ${id}`), OBJECTS[1]!); // inline
      await client.put(randomBytes(64 * 1024), OBJECTS[2]!);
      expect((await client.getBuffer(OBJECTS[0]!)).byteLength).toBe(5 * MiB);
      await client.stat(OBJECTS[1]!);
      for await (const o of client.list()) expect(o.name).not.toBe('');
      await client.delete(OBJECTS[2]!);
      await expect(client.stat(`missing-${id}-object`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    for (const p of processes()) expositions.set(p.id, await scrape(p));
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 240_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

/** Every sample of every process, with the process it came from. */
function allSamples(): Array<ExposedSample & { readonly process: string }> {
  return [...expositions].flatMap(([process, body]) => samples(body).map((s) => ({ ...s, process })));
}

describe('metrics after multi-tenant traffic', () => {
  it(
    'every node and the key manager serve /metrics, /healthz and /readyz',
    track(async () => {
      expect(cluster.launcher.keyManagers().length).toBeGreaterThan(0);
      for (const p of processes()) {
        expect(p.ports.httpAddress, `${p.id} reports its HTTP port`).toMatch(/^127\.0\.0\.1:\d+$/);
        expect(await httpStatus(p.ports.httpAddress, '/healthz'), `${p.id} /healthz`).toBe(200);
        expect(await httpStatus(p.ports.httpAddress, '/readyz'), `${p.id} /readyz`).toBe(200);
        expect(expositions.get(p.id)).toContain('# TYPE tessera_raft_term gauge');
      }
    }),
  );

  it(
    'no label value names a tenant, an object, a principal or a long hex id',
    track(async () => {
      const substrings = [...TENANTS, ...OBJECTS, ...OBJECTS.map((o) => o.split('/').pop()!), 'spiffe:', 'tenant/', 'confidential', 'secret'];
      const exact = new Set(['app', 'admin', ...TENANTS]);
      const offenders: string[] = [];
      for (const s of allSamples()) {
        for (const [label, value] of Object.entries(s.labels)) {
          const lower = value.toLowerCase();
          if (substrings.some((d) => lower.includes(d.toLowerCase())) || exact.has(value) || /[0-9a-f]{16,}/i.test(value)) {
            offenders.push(`${s.process}: ${s.name}{${label}="${value}"}`);
          }
        }
      }
      expect(offenders).toEqual([]);
      // Metric names are fixed too: none is built from tenant data.
      for (const s of allSamples()) for (const t of TENANTS) expect(s.name).not.toContain(t.split('-')[0]!);
    }),
  );

  it(
    'the data path, Raft, storage, keys and gRPC families moved with the traffic',
    track(async () => {
      const nodes = cluster.launcher.nodes().map((n) => expositions.get(n.id)!);
      const sum = (name: string, labels: Record<string, string>): number => nodes.reduce((acc, body) => acc + (sampleValue(body, name, labels) ?? 0), 0);
      expect(sum('tessera_data_requests_total', { operation: 'put_chunk', outcome: 'ok' })).toBeGreaterThanOrEqual(2 * TENANTS.length);
      expect(sum('tessera_data_requests_total', { operation: 'stat', outcome: 'not_found' })).toBeGreaterThanOrEqual(TENANTS.length);
      expect(sum('tessera_data_bytes_total', { operation: 'get_object' })).toBeGreaterThanOrEqual(5 * MiB * TENANTS.length);
      expect(sum('tessera_data_phase_duration_seconds_count', { phase: 'seal' })).toBeGreaterThan(0);
      expect(sum('tessera_data_phase_duration_seconds_count', { phase: 'open' })).toBeGreaterThan(0);
      expect(sum('tessera_raft_is_leader', { group: 'metadata' })).toBe(1);
      expect(sum('tessera_raft_commit_duration_seconds_count', { group: 'metadata' })).toBeGreaterThan(0);
      expect(sum('tessera_raft_fsync_duration_seconds_count', { group: 'metadata' })).toBeGreaterThan(0);
      expect(sum('tessera_keys_fetches_total', {})).toBeGreaterThan(0);
      expect(samples(nodes[0]!).some((s) => s.name === 'tessera_storage_device_state' && s.labels['state'] === 'healthy' && s.value === 1)).toBe(true);
      expect(samples(nodes[0]!).some((s) => s.name === 'tessera_grpc_requests_total' && s.labels['port'] === 'peer')).toBe(true);
      const km = expositions.get(cluster.launcher.keyManagers()[0]!.id)!;
      expect(sampleValue(km, 'tessera_raft_is_leader', { group: 'keymanager' })).toBe(1);
      expect(sampleValue(km, 'tessera_keys_unwraps_total', { outcome: 'ok' })).toBeGreaterThan(0);
      expect(sampleValue(km, 'tessera_keys_tenants', { state: 'active' })).toBe(TENANTS.length);
      expect(sampleValue(km, 'tessera_keymanager_ready')).toBe(1);
      expect(samples(km).some((s) => s.name === 'tessera_grpc_requests_total' && s.labels['port'] === 'keys' && s.labels['code'] === 'OK')).toBe(true);
      // prom-client's process defaults are served too.
      expect(km).toMatch(/^process_resident_memory_bytes /m);
    }),
  );

  itWithTool('promtool', PROMTOOL_HINT, 'promtool check metrics passes on every process\'s own families', track(async () => {
    for (const [id, body] of expositions) {
      const lint = await promtoolCheckMetrics(familiesWithPrefix(body));
      expect(lint.output, `${id}: promtool check metrics`).toBe('');
      expect(lint.ok).toBe(true);
    }
  }));
});
