/**
 * `tessera cluster status`, `device list|set-state|add`, `pool list|thresholds`
 * and `tenant usage|set-quota` run in-process against a client port serving the node's operator Admin
 * handlers (real mTLS and authorization table) over a small in-memory
 * metadata view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { createTenantTestPki, type TenantTestPki } from '@tessera/client/testing';
import { operatorHandlers, type MetadataCommand, type MetadataResult, type OperatorView } from '@tessera/node';
import { startTesseraServer, type TesseraServer } from '@tessera/transport';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../src/index.js';
import type * as grpc from '@grpc/grpc-js';
import type { AddDeviceRequest__Output, AddDeviceResponse } from '@tessera/wire';
import { parseBytes, parseCapacity, thresholdRows } from '../src/commands/operator.js';

type DeviceRecord = ReturnType<OperatorView['machine']['devices']>[number];
type TenantRecord = NonNullable<ReturnType<OperatorView['machine']['tenant']>>;
type RaftStatus = ReturnType<OperatorView['raft']['status']>;
type Progress = ReturnType<OperatorView['progress']> extends ReadonlyMap<string, infer P> ? P : never;

let pki: TenantTestPki;
let server: TesseraServer;
let admin: string[];
let tenantClient: string[];
const proposed: MetadataCommand[] = [];
const addRequests: AddDeviceRequest__Output[] = [];

/** A stand-in for the node's AddDevice (its own tests are in @tessera/node): answers with the device as asked. */
const addDevice: grpc.handleUnaryCall<AddDeviceRequest__Output, AddDeviceResponse> = (call, callback) => {
  const r = call.request;
  addRequests.push(r);
  callback(null, {
    device: { nodeId: r.nodeId, deviceId: r.deviceId, pool: r.pool, state: 'healthy', capacityBytes: r.capacityBytes, usedBytes: '4096', usedKnown: true, chunks: '0' },
    path: r.path,
    formatted: true,
  });
};

const devices = new Map<string, DeviceRecord>(
  ['n1', 'n2', 'n3'].map((n) => [`${n}/d1`, { nodeId: n, deviceId: 'd1', pool: 'default', capacityBytes: 1 << 30, state: 'healthy' }]),
);
const tenants = new Map<string, TenantRecord>([['acme', { id: 'acme', policy: 'shared', caCertPem: '', caCrlPem: '', state: 'active', quotaBytes: 0, keyEpoch: 1, kekVersion: 1 }]]);

/** A stand-in for the metadata group: applies the two commands these verbs propose. */
async function propose(command: MetadataCommand): Promise<MetadataResult> {
  proposed.push(command);
  if (command.op === 'setDeviceState') {
    const key = `${command.nodeId}/${command.deviceId}`;
    const d = devices.get(key);
    if (d === undefined) return { kind: 'error', index: 1, code: ErrorCodes.UNKNOWN_DEVICE, retriable: false, duplicate: false };
    if (d.state === 'failed' && command.state !== 'removed') return { kind: 'error', index: 1, code: ErrorCodes.DEVICE_BAD_TRANSITION, retriable: false, duplicate: false };
    devices.set(key, { ...d, state: command.state });
  } else if (command.op === 'setTenantQuota') {
    const t = tenants.get(command.tenant);
    if (t === undefined) return { kind: 'error', index: 1, code: ErrorCodes.NOT_FOUND, retriable: false, duplicate: false };
    tenants.set(command.tenant, { ...t, quotaBytes: command.quotaBytes });
  }
  return { kind: 'ok', index: 1, duplicate: false };
}

const view: OperatorView = {
  localNodeId: 'n1',
  machine: {
    devices: () => [...devices.values()],
    nodes: () => ['n1', 'n2', 'n3'].map((nodeId) => ({ nodeId, address: `127.0.0.1:1${nodeId.slice(1)}` })),
    chunksOnDevice: () => [],
    tenant: (id) => tenants.get(id),
    tenantUsage: (id) => (id === 'acme' ? { logicalBytes: 3000, objects: 2 } : { logicalBytes: 0, objects: 0 }),
    minDecryptEpoch: () => 2,
    gcGraceMs: () => 600_000,
    digest: () => 'ab'.repeat(32),
  },
  readBarrier: async () => undefined,
  propose,
  localUsedBytes: () => 1 << 28,
  profile: { k: 2, m: 1 },
  raft: { status: () => ({ id: 'n1', role: 'leader' as unknown as RaftStatus['role'], lead: 'n1', term: 4, commit: 40, applied: 40, confState: { voters: ['n1', 'n2', 'n3'], learners: [] } }) },
  clusterId: () => 'c-1',
  progress: () => new Map(['n1', 'n2', 'n3'].map((id, i) => [id, { match: 40 - i, next: 41, state: 'replicate' as unknown as Progress['state'], isLearner: false, recentActive: true, inflight: 0 }])),
  clock: Date.now,
};

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  pki = await createTenantTestPki();
  server = await startTesseraServer({
    port: 'client',
    trustDomain: pki.trustDomain,
    tls: await pki.node('n1'),
    tenantCas: await pki.registry(),
    services: { Admin: { ...operatorHandlers(view), AddDevice: addDevice } as never },
    watch: false,
  });
  const a = await pki.cluster.admin();
  admin = ['--endpoint', server.address, '--cert', a.certFile, '--key', a.keyFile, '--ca', a.caFile, '--crl', a.crlFile];
  tenantClient = ['--endpoint', server.address, '--cert', pki.client.certFile, '--key', pki.client.keyFile, '--ca', pki.client.caFile, '--crl', pki.client.crlFile];
});

afterAll(async () => {
  await server?.close();
  await pki?.cleanup();
});

describe('operator verbs', () => {
  it('cluster status: members, leader, term, devices, pool fill and tolerance, as a table and as JSON', async () => {
    const table = await run(['cluster', 'status', ...admin]);
    expect(table.code, table.stderr).toBe(EXIT_OK);
    expect(table.stdout).toMatch(/^cluster\n/);
    expect(table.stdout).toMatch(/ {2}leader +n1\n/);
    expect(table.stdout).toMatch(/ {2}n2 +voter +false +39 +true/);
    expect(table.stdout).toMatch(/ {2}default +\d+\.\d % +ok +3 +3 +2\+1 +can lose 1 node or 1 device/);
    const json = await run(['-o', 'json', 'cluster', 'status', ...admin]);
    expect(json.code, json.stderr).toBe(EXIT_OK);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ clusterId: 'c-1', leader: 'n1', term: 4, commitIndex: 40, minDecryptEpoch: 2, gcGraceMs: 600_000, nodes: 3 });
    expect(doc['pools']).toEqual([expect.objectContaining({ pool: 'default', level: 'ok', profile: '2+1', fullRedundancy: true, nodeFailures: 1, deviceFailures: 1 })]);
    // No key-manager endpoints configured: no key epochs.
    expect(doc['keys']).toBeUndefined();
  });

  it('device list and set-state; a refused transition exits 1, an unknown state 2', async () => {
    const list = await run(['-o', 'json', 'device', 'list', ...admin]);
    expect(list.code, list.stderr).toBe(EXIT_OK);
    const rows = (JSON.parse(list.stdout) as { devices: Array<Record<string, unknown>> }).devices;
    expect(rows.map((r) => r['node'])).toEqual(['n1', 'n2', 'n3']);
    expect(rows[0]).toMatchObject({ state: 'healthy', usedBytes: 1 << 28, fill: '25.0 %' });
    expect(rows[1]).toMatchObject({ usedBytes: null });
    const set = await run(['device', 'set-state', '--node', 'n2', '--device', 'd1', '--state', 'failed', ...admin]);
    expect(set.code, set.stderr).toBe(EXIT_OK);
    expect(set.stdout).toMatch(/device state changed\n[\s\S]* state +failed\n/);
    expect(proposed.at(-1)).toMatchObject({ op: 'setDeviceState', nodeId: 'n2', deviceId: 'd1', state: 'failed' });
    const back = await run(['device', 'set-state', '--node', 'n2', '--device', 'd1', '--state', 'healthy', ...admin]);
    expect(back.code).toBe(EXIT_FAILURE);
    expect(back.stderr).toContain('the device cannot make this state change');
    expect((await run(['device', 'set-state', '--node', 'n2', '--device', 'd1', '--state', 'gone', ...admin])).code).toBe(EXIT_USAGE);
  });

  it('tenant usage and set-quota; a tenant client is refused', async () => {
    const usage = await run(['-o', 'json', 'tenant', 'usage', '--tenant', 'acme', ...admin]);
    expect(usage.code, usage.stderr).toBe(EXIT_OK);
    expect(JSON.parse(usage.stdout)).toEqual({ tenant: 'acme', logicalBytes: 3000, objects: 2, quotaBytes: 'unlimited', quotaUsed: null });
    const set = await run(['-o', 'json', 'tenant', 'set-quota', '--tenant', 'acme', '--bytes', '10K', ...admin]);
    expect(set.code, set.stderr).toBe(EXIT_OK);
    expect(JSON.parse(set.stdout)).toMatchObject({ quotaBytes: 10_240, quotaUsed: '29.3 %' });
    expect(tenants.get('acme')?.quotaBytes).toBe(10_240);
    expect((await run(['tenant', 'set-quota', '--tenant', 'nobody', '--bytes', '1', ...admin])).code).toBe(EXIT_FAILURE);
    const refused = await run(['tenant', 'usage', '--tenant', 'acme', ...tenantClient]);
    expect(refused.code).toBe(EXIT_FAILURE);
    expect(tenants.get('acme')?.quotaBytes).toBe(10_240);
  });

  it('pool list: one row per pool with fill, level, nodes, devices, profile and tolerance; pool thresholds without a connection', async () => {
    const table = await run(['pool', 'list', ...admin]);
    expect(table.code, table.stderr).toBe(EXIT_OK);
    expect(table.stdout).toMatch(/^pools \(fill: measured on the answering node/);
    expect(table.stdout).toMatch(/pool +used bytes +capacity bytes +fill +level +nodes +devices +profile +tolerance\n/);
    // (An earlier test may have failed n2/d1: capacity and tolerance depend on it, the rest does not.)
    expect(table.stdout).toMatch(/ {2}default +\d+ +\d+ +\d+\.\d % +ok +3 +3 +2\+1 +\S.*\n/);
    const json = await run(['-o', 'json', 'pool', 'list', ...admin]);
    expect(json.code, json.stderr).toBe(EXIT_OK);
    const pools = (JSON.parse(json.stdout) as { pools: unknown[] }).pools;
    expect(pools).toEqual([expect.objectContaining({ pool: 'default', level: 'ok', nodes: 3, devices: 3, profile: '2+1' })]);
    // The same rows as the pools of cluster status.
    expect(pools).toEqual((JSON.parse((await run(['-o', 'json', 'cluster', 'status', ...admin])).stdout) as { pools: unknown[] }).pools);

    const levels = await run(['pool', 'thresholds']);
    expect(levels.code, levels.stderr).toBe(EXIT_OK);
    expect(levels.stdout).toMatch(/ {2}warning +75 % +alert only\n/);
    expect(levels.stdout).toMatch(/ {2}critical +85 % +no new placements\n/);
    expect(levels.stdout).toMatch(/ {2}read-only +92 % +new data refused \(retriable\)\n/);
    expect(levels.stdout).toMatch(/ {2}full +97 % +new data refused/);
    const doc = JSON.parse((await run(['-o', 'json', 'pool', 'thresholds'])).stdout) as { thresholds: Array<{ level: string; ratio: number }> };
    expect(doc.thresholds.map((t) => [t.level, t.ratio])).toEqual([['ok', 0], ['warning', 0.75], ['critical', 0.85], ['read-only', 0.92], ['full', 0.97]]);
    expect(thresholdRows()).toHaveLength(5);
  });

  it('device add goes to the node it names (certificate checked), with the capacity parsed; another node is never asked', async () => {
    const added = await run(['-o', 'json', 'device', 'add', '--node', 'n1', '--id', 'd4', '--path', '/srv/tessera/d4', '--capacity', '100GiB', ...admin]);
    expect(added.code, added.stderr).toBe(EXIT_OK);
    expect(addRequests.at(-1)).toEqual({ nodeId: 'n1', deviceId: 'd4', path: '/srv/tessera/d4', capacityBytes: String(100 * 1024 ** 3), pool: 'default' });
    expect(JSON.parse(added.stdout)).toMatchObject({ node: 'n1', device: 'd4', state: 'healthy', capacityBytes: 100 * 1024 ** 3, path: '/srv/tessera/d4', formatted: true });
    const table = await run(['device', 'add', '--node', 'n1', '--id', 'd5', '--path', '/srv/tessera/d5', '--capacity', '2T', '--pool', 'fast', ...admin]);
    expect(table.stdout).toMatch(/^device added\n[\s\S]* pool +fast\n[\s\S]* formatted +true\n/);

    // The only endpoint is n1's: a call meant for n2 is refused by the TLS check before any request leaves.
    const count = addRequests.length;
    const elsewhere = await run(['device', 'add', '--node', 'n2', '--id', 'd4', '--path', '/srv/tessera/d4', '--capacity', '1G', ...admin]);
    expect(elsewhere.code).toBe(EXIT_FAILURE);
    expect(elsewhere.stderr).toContain('node n2 did not answer on any endpoint');
    expect(addRequests.length).toBe(count);
    // An endpoint named for the node is the one used.
    const named = await run(['device', 'add', '--node', 'n1', '--id', 'd6', '--path', '/srv/tessera/d6', '--capacity', '1G', ...admin.map((a) => (a === server.address ? `n1=${a}` : a)), '--endpoint', 'n2=127.0.0.1:1']);
    expect(named.code, named.stderr).toBe(EXIT_OK);

    expect((await run(['device', 'add', '--node', 'n1', '--id', 'd7', '--path', '/srv/tessera/d7', '--capacity', '0', ...admin])).code).toBe(EXIT_USAGE);
    expect((await run(['device', 'add', '--node', 'n1', '--id', 'd7', '--path', '/srv/tessera/d7', ...admin])).code).toBe(EXIT_USAGE);
    expect(addRequests.length).toBe(count + 1);
  });

  it('parses byte counts with binary units and refuses others', () => {
    expect(parseCapacity('100GiB')).toBe(100 * 1024 ** 3);
    expect(() => parseCapacity('0')).toThrow();
    expect(parseBytes('0')).toBe(0);
    expect(parseBytes('500M')).toBe(500 * 1024 ** 2);
    expect(parseBytes('2TiB')).toBe(2 * 1024 ** 4);
    expect(() => parseBytes('1.5G')).toThrow();
    expect(() => parseBytes('99999999999P')).toThrow();
  });
});

describe('operator verbs: help', () => {
  it.each([['cluster'], ['cluster', 'status'], ['device'], ['device', 'list'], ['device', 'set-state'], ['device', 'add'], ['pool'], ['pool', 'list'], ['pool', 'thresholds']])('%s --help shows examples (exit 0)', async (...words) => {
    const r = await run([...words, '--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ tessera /);
  });
});
