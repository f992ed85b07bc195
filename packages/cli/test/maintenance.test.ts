/**
 * `tessera scrub start|status`, `repair status|history`, `compact [status]`
 * and the redundancy line of `cluster status`, run in-process against a
 * client port serving the node's maintenance and operator Admin handlers
 * (real mTLS and authorization table) over a scripted leader: each
 * MaintenanceStatus call moves the scripted scrub one step on, so `--wait`
 * sees a pass run, find damage, and its repairs finish.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTenantTestPki, type TenantTestPki } from '@tessera/client/testing';
import { maintenanceHandlers, operatorHandlers, type MaintenanceAdminView, type MaintenanceControl, type MetadataCommand, type MetadataResult, type OperatorView } from '@tessera/node';
import { startTesseraServer, type TesseraServer } from '@tessera/transport';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../src/index.js';
import { WorkProgress, describeStep, progressBar } from '../src/commands/progress.js';

type Pass = ReturnType<MaintenanceControl['placementScrub']['progress']>;
type RaftStatus = ReturnType<OperatorView['raft']['status']>;

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const CLEAN: Pass = { scanned: 3, total: 3, missing: 0, corrupt: 0, badDevice: 0, unreachable: 0, underProtected: 0, repaired: 0, queued: 0, startedAt: T0, finishedAt: T0 + 100 };

/** The leader's maintenance, one scripted step per status call. */
class ScriptedLeader implements MaintenanceControl {
  step = 0;
  running = false;
  last: Pass | undefined = CLEAN;
  startedAt = 0;
  queued = 0;
  active = 0;
  readonly history = [
    { chunk: 'ab12cd34ef56ab78', reason: 'missing' as const, outcome: 'ok' as const, moved: [{ shardIndex: 4, from: 'n2/d1', to: 'n3/d3', rebuilt: true }], atMs: T0 + 2_000, durationMs: 40 },
    { chunk: '0011223344556677', reason: 'device' as const, outcome: 'stale' as const, moved: [], atMs: T0 + 3_000, durationMs: 5 },
  ];
  readonly queue = {
    get length(): number {
      return leader.queued;
    },
    get active(): number {
      return leader.active;
    },
    shardsMoved: 1,
    counters: (): ReadonlyMap<string, number> => new Map([['missing/ok', 1], ['device/stale', 1], ['corrupt/ok', 0]]),
    history: () => this.history,
  };
  readonly placementScrub = {
    progress: (): Pass => (this.running ? { ...CLEAN, scanned: 1, finishedAt: 0, startedAt: this.startedAt, missing: 1 } : (this.last ?? CLEAN)),
    lastPass: (): Pass | undefined => this.last,
    passesCompleted: (): number => 5,
    isRunning: (): boolean => this.running,
  };
  readonly evacuator = { status: () => [] };
  readonly reencrypter = undefined;
  readonly deviceScrubber = { status: () => ({ badRecords: 1, quarantined: 1, rounds: 2, bytesScanned: 4096 }) };

  deviceScrubState(): 'disabled' | 'running' | 'resting' {
    return 'resting';
  }

  startPlacementScrub(): boolean {
    if (this.running) return false;
    this.running = true;
    this.startedAt = T0 + 1_000;
    this.step = 0;
    return true;
  }

  startDeviceScrub(): 'started' | 'running' | 'disabled' {
    return 'started';
  }

  /** Called once per MaintenanceStatus: running → finished with a missing slot, repair running → repaired. */
  advance(): void {
    if (!this.running && this.active === 0) return;
    this.step++;
    if (this.step === 2) {
      this.running = false;
      this.last = { ...CLEAN, missing: 1, queued: 1, startedAt: this.startedAt, finishedAt: this.startedAt + 500 };
      this.active = 1;
    } else if (this.step >= 3 && this.active > 0) {
      this.active = 0;
      this.last = { ...this.last!, repaired: 1 };
    }
  }
}

let leader: ScriptedLeader;
let isLeader = true;
const proposed: MetadataCommand[] = [];
const compactions = new Map<string, { index: number; leaderTimeMs: number; dropped: number; released: number }>();
const candidates = ['acme', 'beta'];

const status = (): RaftStatus => ({ id: 'n1', role: (isLeader ? 'leader' : 'follower') as RaftStatus['role'], lead: isLeader ? 'n1' : 'n2', term: 4, commit: 40, applied: 40, confState: { voters: ['n1'], learners: [] } });

async function propose(command: MetadataCommand): Promise<MetadataResult> {
  proposed.push(command);
  if (command.op !== 'compact') return { kind: 'ok', index: 1, duplicate: false };
  const index = 50 + proposed.length;
  compactions.set(command.tenant, { index, leaderTimeMs: T0 + 9_000, dropped: 3, released: 2 });
  candidates.splice(candidates.indexOf(command.tenant), 1);
  return { kind: 'compacted', index, tenant: command.tenant, dropped: 3, released: 2, leaderTimeMs: T0 + 9_000 };
}

const maintenanceView: MaintenanceAdminView = {
  localNodeId: 'n1',
  machine: {
    tenant: (id) => (['acme', 'beta', 'gamma'].includes(id) ? { id, policy: 'shared', caCertPem: '', caCrlPem: '', state: 'active', quotaBytes: 0, keyEpoch: 1, kekVersion: 1 } : undefined),
    compactionCandidates: () => candidates.map((tenant) => ({ tenant, upToSeq: 9, supersededDeltas: 2, expiredTombstones: false })),
    lastCompactions: () => compactions,
  },
  raft: { status },
  readBarrier: async () => undefined,
  propose,
  maintenance: () => {
    leader.advance();
    return leader;
  },
  tombstoneTtlMs: 86_400_000,
  clock: () => T0,
};

const operatorView: OperatorView = {
  localNodeId: 'n1',
  machine: {
    devices: () => [],
    nodes: () => [{ nodeId: 'n1', address: '127.0.0.1:1' }],
    chunksOnDevice: () => [],
    tenant: () => undefined,
    tenantUsage: () => ({ logicalBytes: 0, objects: 0 }),
    minDecryptEpoch: () => 1,
    gcGraceMs: () => 600_000,
    digest: () => 'ab'.repeat(32),
  },
  readBarrier: async () => undefined,
  propose,
  localUsedBytes: () => undefined,
  profile: { k: 2, m: 1 },
  raft: { status },
  clusterId: () => 'c-1',
  progress: () => new Map(),
  clock: Date.now,
  maintenance: () => leader,
};

let pki: TenantTestPki;
let server: TesseraServer;
let admin: string[];
let tenantClient: string[];

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
    services: { Admin: { ...operatorHandlers(operatorView), ...maintenanceHandlers(maintenanceView) } as never },
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

beforeEach(() => {
  leader = new ScriptedLeader();
  isLeader = true;
});

describe('scrub verbs', () => {
  it('scrub start reports the pass it started, as a table and as JSON', async () => {
    const table = await run(['scrub', 'start', '--device', ...admin]);
    expect(table.code, table.stderr).toBe(EXIT_OK);
    expect(table.stdout).toMatch(/^scrub\n/);
    expect(table.stdout).toMatch(/ {2}placement +started\n/);
    expect(table.stdout).toMatch(/ {2}device +started\n/);
    const json = await run(['-o', 'json', 'scrub', 'start', ...admin]);
    expect(json.code, json.stderr).toBe(EXIT_OK);
    expect(JSON.parse(json.stdout)).toMatchObject({ answeredBy: 'n1', placement: 'running', device: null, pass: { scanned: 1, total: 3, startedAt: new Date(T0 + 1_000).toISOString(), finishedAt: null } });
  });

  it('scrub start --wait follows the pass and its repairs to the end (plain progress lines off a terminal)', async () => {
    const r = await run(['-o', 'json', 'scrub', 'start', '--wait', ...admin]);
    expect(r.code, r.stderr).toBe(EXIT_OK);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      answeredBy: 'n1',
      placement: 'started',
      redundancy: 'degraded',
      pass: { scanned: 3, total: 3, badSlots: { missing: 1, corrupt: 0, device: 0, unreachable: 0 }, repairsQueued: 1, repaired: 1 },
      repairs: { queued: 0, running: 0 },
    });
    // No terminal: one plain line per phase, no control characters.
    expect(r.stderr).toContain('placement scrub: [');
    expect(r.stderr).toContain('repairs: [');
    expect(r.stderr).not.toContain('\r');
  });

  it('scrub start --wait as a table ends with the redundancy line', async () => {
    const r = await run(['scrub', 'start', '--wait', ...admin]);
    expect(r.code, r.stderr).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/placement scrub pass\n[\s\S]* missing +1\n/);
    expect(r.stdout).toMatch(/ {2}redundancy +degraded \(last placement scrub pass finished .*: bad slots 1 missing, 0 corrupt, 0 on a bad device, 0 unreachable, 0 under-protected\)\n/);
  });

  it('scrub status: redundancy, passes, the last pass and the device scrub', async () => {
    const table = await run(['scrub', 'status', ...admin]);
    expect(table.code, table.stderr).toBe(EXIT_OK);
    expect(table.stdout).toMatch(/ {2}redundancy +full \(last placement scrub pass finished .*: no bad slot, 0 under-protected\)\n/);
    expect(table.stdout).toMatch(/ {2}passes +5\n/);
    expect(table.stdout).toMatch(/device scrub \(n1\)\n {2}state +resting\n/);
    expect(table.stdout).toMatch(/re-encryption\n {2}available +no/);
    const json = await run(['-o', 'json', 'scrub', 'status', ...admin]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      answeredBy: 'n1',
      redundancy: 'full',
      placementScrub: { running: false, passes: 5, current: null, last: { scanned: 3 } },
      deviceScrub: { node: 'n1', state: 'resting', badRecords: 1, quarantined: 1, rounds: 2, bytesScanned: 4096 },
      reencryption: { available: false },
    });
  });

  it('refuses --wait with --device-only (exit 2); a follower alone answers NOT_LEADER (exit 1); a tenant principal is refused', async () => {
    expect((await run(['scrub', 'start', '--wait', '--device-only', ...admin])).code).toBe(EXIT_USAGE);
    expect((await run(['scrub', 'start', '--wait', '--timeout', '0', ...admin])).code).toBe(EXIT_USAGE);
    isLeader = false;
    const follower = await run(['scrub', 'status', ...admin]);
    expect(follower.code).toBe(EXIT_FAILURE);
    expect(follower.stderr).toMatch(/leader/);
    isLeader = true;
    expect((await run(['scrub', 'status', ...tenantClient])).code).toBe(EXIT_FAILURE);
  });
});

describe('repair verbs', () => {
  it('repair status: queue, counters by reason and outcome, shards moved', async () => {
    const table = await run(['repair', 'status', ...admin]);
    expect(table.code, table.stderr).toBe(EXIT_OK);
    expect(table.stdout).toMatch(/ {2}shards moved +1\n/);
    expect(table.stdout).toMatch(/finished repairs\n {2}reason +outcome +count\n {2}device +stale +1\n {2}missing +ok +1\n/);
    const json = await run(['-o', 'json', 'repair', 'status', ...admin]);
    expect(JSON.parse(json.stdout)).toEqual({
      answeredBy: 'n1',
      redundancy: 'full',
      queued: 0,
      running: 0,
      shardsMoved: 1,
      counts: [
        { reason: 'device', outcome: 'stale', count: 1 },
        { reason: 'missing', outcome: 'ok', count: 1 },
      ],
      evacuations: [],
    });
  });

  it('repair history: chunk prefix, reason, outcome and the shards moved; --limit keeps the last', async () => {
    const table = await run(['repair', 'history', ...admin]);
    expect(table.code, table.stderr).toBe(EXIT_OK);
    expect(table.stdout).toMatch(/ab12cd34ef56ab78 +missing +ok +40 +4 n2\/d1→n3\/d3 rebuilt\n/);
    const json = await run(['-o', 'json', 'repair', 'history', '--limit', '1', ...admin]);
    expect(JSON.parse(json.stdout)).toEqual({
      answeredBy: 'n1',
      repairs: [{ at: new Date(T0 + 3_000).toISOString(), chunk: '0011223344556677', reason: 'device', outcome: 'stale', durationMs: 5, shards: 0, moved: [] }],
    });
    expect((await run(['repair', 'history', '--limit', '0', ...admin])).code).toBe(EXIT_USAGE);
  });
});

describe('compact verbs', () => {
  it('compact commits per tenant and reports what was dropped and released; compact status lists the last ones', async () => {
    candidates.splice(0, candidates.length, 'acme', 'beta');
    const one = await run(['-o', 'json', 'compact', '--tenant', 'acme', ...admin]);
    expect(one.code, one.stderr).toBe(EXIT_OK);
    expect(JSON.parse(one.stdout)).toEqual({ compacted: [{ tenant: 'acme', index: expect.any(Number), at: new Date(T0 + 9_000).toISOString(), dropped: 3, released: 2 }], remaining: 0 });
    expect(proposed.at(-1)).toMatchObject({ op: 'compact', tenant: 'acme', upToSeq: 9, tombstoneTtlMs: 86_400_000 });
    const all = await run(['compact', '--wait', ...admin]);
    expect(all.code, all.stderr).toBe(EXIT_OK);
    expect(all.stdout).toMatch(/compacted\n {2}tenant +index +at +dropped +released\n {2}beta +\d+ +\S+ +3 +2\n/);
    const status = await run(['-o', 'json', 'compact', 'status', ...admin]);
    expect(JSON.parse(status.stdout)).toMatchObject({ answeredBy: 'n1', pendingTenants: 0, last: [{ tenant: 'acme', dropped: 3 }, { tenant: 'beta', released: 2 }] });
    const unknown = await run(['compact', '--tenant', 'nope', ...admin]);
    expect(unknown.code).toBe(EXIT_FAILURE);
    expect(unknown.stderr).toContain('unknown tenant');
  });
});

describe('cluster status redundancy line', () => {
  it('shows whether the cluster is at full redundancy', async () => {
    const table = await run(['cluster', 'status', ...admin]);
    expect(table.code, table.stderr).toBe(EXIT_OK);
    expect(table.stdout).toMatch(/ {2}redundancy +full \(last placement scrub pass finished [^:]+:\d\d:\d\d\.\d+Z: no bad slot, 0 under-protected\)\n/);
    const json = await run(['-o', 'json', 'cluster', 'status', ...admin]);
    expect(JSON.parse(json.stdout)).toMatchObject({ redundancy: { state: 'full', underProtected: 0, lastScrub: { scanned: 3, badSlots: { missing: 0 } } } });
  });
});

describe('maintenance verbs: help', () => {
  it.each([['scrub'], ['scrub', 'start'], ['scrub', 'status'], ['repair'], ['repair', 'status'], ['repair', 'history'], ['compact'], ['compact', 'status'], ['reencrypt'], ['reencrypt', 'status']])('%s --help shows examples (exit 0)', async (...words) => {
    const r = await run([...words, '--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ tessera /);
  });
});

describe('work progress', () => {
  it('draws a bar for counted work', () => {
    expect(progressBar(0, 4, 8)).toBe('[--------]   0 %');
    expect(progressBar(1, 4, 8)).toBe('[##------]  25 %');
    expect(progressBar(9, 4, 8)).toBe('[########] 100 %');
    expect(progressBar(3, undefined)).toBe('');
    expect(progressBar(3, 0)).toBe('');
    expect(describeStep({ phase: 'repairs', done: 1, total: 2, unit: 'committed', note: '1 running' })).toBe(`repairs: ${progressBar(1, 2)} 1/2 committed 1 running`);
  });

  it('redraws in place on a terminal, erasing at the end; writes throttled plain lines elsewhere', () => {
    let now = 0;
    let tty = '';
    const onTty = new WorkProgress({ write: (t: string) => (tty += t) }, true, () => now);
    onTty.update({ phase: 'scan', done: 1, total: 2 });
    onTty.update({ phase: 'scan', done: 2, total: 2 });
    now += 1_000;
    onTty.update({ phase: 'scan', done: 2, total: 2 });
    onTty.finish();
    expect(tty.split('\r\x1b[K')).toHaveLength(4);
    expect(tty.endsWith('\r\x1b[K')).toBe(true);
    let plain = '';
    const off = new WorkProgress({ write: (t: string) => (plain += t) }, false, () => now);
    off.update({ phase: 'scan', done: 1, total: 2 });
    off.update({ phase: 'scan', done: 2, total: 2 });
    off.update({ phase: 'repairs', done: 0, total: 1 });
    now += 10_000;
    off.update({ phase: 'repairs', done: 1, total: 1 });
    off.finish();
    expect(plain.split('\n').filter((l) => l !== '')).toEqual([
      `scan: ${progressBar(1, 2)} 1/2`,
      `repairs: ${progressBar(0, 1)} 0/1`,
      `repairs: ${progressBar(1, 1)} 1/1`,
    ]);
  });
});
