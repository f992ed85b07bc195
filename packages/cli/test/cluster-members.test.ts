/**
 * `tessera cluster members|add|remove|transfer-leader` run in-process against
 * a client port serving the real membership handlers (mTLS, authorization
 * table) over a stand-in Raft node that keeps a configuration and refuses
 * what the real one refuses (a removal leaving two voters, a removed id).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { createTenantTestPki, type TenantTestPki } from '@tessera/client/testing';
import { membershipHandlers, startTesseraServer, type MembershipView, type TesseraServer } from '@tessera/transport';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from '../src/index.js';
import { parseAddress, parseMemberId } from '../src/commands/cluster-members.js';

type RaftNodeLike = MembershipView['node'];
type Status = ReturnType<RaftNodeLike['status']>;
type ConfState = Status['confState'];
type ConfChange = Parameters<RaftNodeLike['proposeConfChange']>[0];
type Progress = ReturnType<MembershipView['progress']> extends ReadonlyMap<string, infer P> ? P : never;

const identity = (id: string): { id: string; incarnationId: string; address: string } => ({ id, incarnationId: `inc-${id}`, address: `127.0.0.1:70${id.slice(1).padStart(2, '0')}` });

/** The stand-in group's state (reset before each test). */
let conf: ConfState;
let lead: string;
let applied: number;
const changes: Array<{ cc: ConfChange; force: boolean }> = [];

function refused(reason: string): TesseraError {
  // What @tessera/raft's RejectedError carries: the reason in the message, retriable or not.
  return new TesseraError(ErrorCodes.RAFT_REJECTED, `proposal rejected: ${reason}`);
}

/** Applies a configuration change the way the single-server rules of @tessera/raft do (the cases these tests reach). */
async function proposeConfChange(cc: ConfChange, options: { force?: boolean } = {}): Promise<never> {
  const voters = new Set(conf.voters);
  const learners = new Set(conf.learners);
  const removed = new Set(conf.removed ?? []);
  const members = [...(conf.members ?? [])];
  if (cc.type === 'addLearner') {
    if (voters.has(cc.nodeId) || learners.has(cc.nodeId) || removed.has(cc.nodeId)) throw refused('invalidConfChange');
    learners.add(cc.nodeId);
    members.push({ id: cc.nodeId, incarnationId: cc.incarnationId ?? '', address: cc.address ?? '' });
  } else if (cc.type === 'promote') {
    if (!learners.delete(cc.nodeId)) throw refused('invalidConfChange');
    voters.add(cc.nodeId);
  } else if (cc.type === 'removeNode') {
    if (!voters.delete(cc.nodeId) && !learners.delete(cc.nodeId)) throw refused('invalidConfChange');
    removed.add(cc.nodeId);
  }
  if (voters.size === 0) throw refused('noVoters');
  if (voters.size === 2 && conf.voters.length !== 2 && options.force !== true) throw refused('twoVoters');
  changes.push({ cc, force: options.force === true });
  applied += 1;
  conf = { voters: [...voters], learners: [...learners], removed: [...removed], members: members.filter((m) => !removed.has(m.id)) };
  return undefined as never;
}

const node = {
  status: (): Status => ({ id: 'n1', role: (lead === 'n1' ? 'leader' : 'follower') as Status['role'], lead, term: 7, commit: applied, applied, confState: conf }) as Status,
  proposeConfChange,
  transferLeader: async (to: string): Promise<void> => {
    if (!conf.voters.includes(to) || to === lead) throw refused('invalidTransferTarget');
    lead = to;
  },
  stats: { snapshotsInstalled: 0 },
} as unknown as RaftNodeLike;

const view: MembershipView = {
  node,
  clusterId: () => 'c-1',
  // Every member the leader knows of is caught up with the commit index, so a learner is promoted at once.
  progress: () => new Map([...conf.voters, ...conf.learners].map((id) => [id, { match: id === 'n3' ? applied - 1 : applied, next: applied + 1, isLearner: conf.learners.includes(id), recentActive: id !== 'n3', inflight: 0 } as unknown as Progress])),
  snapshotIndex: () => 0,
  firstLogIndex: () => 1,
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
    services: { Admin: membershipHandlers(view, { catchUpTimeoutMs: 2_000 }) as never },
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
  conf = { voters: ['n1', 'n2', 'n3'], learners: [], removed: [], members: ['n1', 'n2', 'n3'].map(identity) };
  lead = 'n1';
  applied = 40;
  changes.length = 0;
});

describe('cluster members', () => {
  it('lists members with role, leader and the leader\'s view, as a table and as JSON', async () => {
    const table = await run(['cluster', 'members', ...admin]);
    expect(table.code, table.stderr).toBe(EXIT_OK);
    expect(table.stdout).toMatch(/^members \(leader n1, term 7; match and reachable as the leader sees them\)\n/);
    expect(table.stdout).toMatch(/ {2}id +role +leader +match +reachable +address +incarnation\n/);
    expect(table.stdout).toMatch(/ {2}n1 +voter +true +40 +true +127\.0\.0\.1:7001 +inc-n1\n/);
    expect(table.stdout).toMatch(/ {2}n3 +voter +false +39 +false +127\.0\.0\.1:7003 +inc-n3\n/);
    const json = await run(['-o', 'json', 'cluster', 'members', ...admin]);
    expect(json.code, json.stderr).toBe(EXIT_OK);
    expect(JSON.parse(json.stdout)).toEqual({
      leader: 'n1',
      answeredBy: 'n1',
      term: 7,
      commitIndex: 40,
      members: [
        { id: 'n1', role: 'voter', leader: true, address: '127.0.0.1:7001', match: 40, reachable: true, incarnation: 'inc-n1' },
        { id: 'n2', role: 'voter', leader: false, address: '127.0.0.1:7002', match: 40, reachable: true, incarnation: 'inc-n2' },
        { id: 'n3', role: 'voter', leader: false, address: '127.0.0.1:7003', match: 39, reachable: false, incarnation: 'inc-n3' },
      ],
    });
  });

  it('on a follower, shows no match or reachability (it does not know them)', async () => {
    lead = 'n2';
    const json = await run(['-o', 'json', 'cluster', 'members', ...admin]);
    expect(json.code, json.stderr).toBe(EXIT_OK);
    const doc = JSON.parse(json.stdout) as { members: Array<Record<string, unknown>> };
    expect(doc.members.map((m) => [m['id'], m['leader'], m['match'], m['reachable']])).toEqual([
      ['n1', false, null, null],
      ['n2', true, null, null],
      ['n3', false, null, null],
    ]);
    expect((await run(['cluster', 'members', ...admin])).stdout).toMatch(/answered by n1, not the leader/);
  });

  it('refuses a tenant client (exit 1)', async () => {
    const r = await run(['cluster', 'members', ...tenantClient]);
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('cluster add, remove, transfer-leader', () => {
  it('adds a voter (learner, then promoted) and a learner', async () => {
    const voter = await run(['cluster', 'add', '--id', 'n4', '--incarnation', 'inc-n4', '--address', '127.0.0.1:7004', ...admin]);
    expect(voter.code, voter.stderr).toBe(EXIT_OK);
    expect(voter.stdout).toMatch(/^member added\n {2}id +n4\n {2}role +voter\n {2}address +127\.0\.0\.1:7004\n {2}index +42\n$/);
    expect(changes.map((c) => c.cc.type)).toEqual(['addLearner', 'promote']);
    expect(changes[0]?.cc).toMatchObject({ nodeId: 'n4', incarnationId: 'inc-n4', address: '127.0.0.1:7004' });
    const learner = await run(['-o', 'json', 'cluster', 'add', '--id', 'n5', '--incarnation', 'inc-n5', '--address', '[::1]:7005', '--learner', ...admin]);
    expect(learner.code, learner.stderr).toBe(EXIT_OK);
    expect(JSON.parse(learner.stdout)).toEqual({ id: 'n5', role: 'learner', address: '[::1]:7005', index: 43 });
    expect(conf.voters).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(conf.learners).toEqual(['n5']);
  });

  it('removes a member; a removal leaving two voters is refused (exit 1) with what to do instead', async () => {
    await run(['cluster', 'add', '--id', 'n4', '--incarnation', 'inc-n4', '--address', '127.0.0.1:7004', ...admin]);
    const removed = await run(['-o', 'json', 'cluster', 'remove', '--id', 'n4', ...admin]);
    expect(removed.code, removed.stderr).toBe(EXIT_OK);
    expect(JSON.parse(removed.stdout)).toEqual({ id: 'n4', index: 43 });
    expect(conf.voters).toEqual(['n1', 'n2', 'n3']);

    const refusedRemoval = await run(['cluster', 'remove', '--id', 'n3', ...admin]);
    expect(refusedRemoval.code).toBe(EXIT_FAILURE);
    expect(refusedRemoval.stdout).toBe('');
    expect(refusedRemoval.stderr).toBe('tessera: refused: removing n3 would leave two voters, and losing either would stop the cluster (hint: add a voter first with tessera cluster add, then remove n3)\n');
    expect(conf.voters).toEqual(['n1', 'n2', 'n3']);

    // A removed id is never added again; an unknown one cannot be removed.
    const readd = await run(['cluster', 'add', '--id', 'n4', '--incarnation', 'inc-n4b', '--address', '127.0.0.1:7004', ...admin]);
    expect(readd.code).toBe(EXIT_FAILURE);
    expect(readd.stderr).toContain('member id n4 was removed and is never reused');
    const unknown = await run(['cluster', 'remove', '--id', 'n9', ...admin]);
    expect(unknown.code).toBe(EXIT_FAILURE);
    expect(unknown.stderr).toContain('no member n9');
  });

  it('--force sends force: the leader may then go down to two voters (never to none)', async () => {
    const forced = await run(['-o', 'json', 'cluster', 'remove', '--id', 'n3', '--force', ...admin]);
    expect(forced.code, forced.stderr).toBe(EXIT_OK);
    expect(JSON.parse(forced.stdout)).toEqual({ id: 'n3', index: 41, forced: true });
    expect(changes).toEqual([{ cc: { type: 'removeNode', nodeId: 'n3' }, force: true }]);
    expect(conf.voters).toEqual(['n1', 'n2']);
    const plain = await run(['-o', 'json', 'cluster', 'remove', '--id', 'n2', ...admin]);
    expect(plain.code, plain.stderr).toBe(EXIT_OK);
    expect(JSON.parse(plain.stdout)).toEqual({ id: 'n2', index: 42 });
    expect(changes.at(-1)).toEqual({ cc: { type: 'removeNode', nodeId: 'n2' }, force: false });
  });

  it('transfers leadership to a voter; an invalid target is refused (exit 1)', async () => {
    const moved = await run(['cluster', 'transfer-leader', '--id', 'n2', ...admin]);
    expect(moved.code, moved.stderr).toBe(EXIT_OK);
    expect(moved.stdout).toMatch(/^leadership transferred\n {2}leader +n2\n$/);
    expect(lead).toBe('n2');
    lead = 'n1';
    const bad = await run(['cluster', 'transfer-leader', '--id', 'n1', ...admin]);
    expect(bad.code).toBe(EXIT_FAILURE);
    expect(bad.stderr).toMatch(/^tessera: refused: n1 is not a voter other than the leader \(hint: .*\)\n$/);
  });

  it('a change sent to a follower says so, with a hint to reach the leader (exit 1)', async () => {
    lead = 'n2';
    const r = await run(['cluster', 'remove', '--id', 'n3', ...admin]);
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.stderr).toMatch(/^tessera: not the leader; leader is n2 \(hint: membership changes, scrub, repair and compaction go to the leader/);
    expect(changes).toEqual([]);
  });

  it.each([
    [['cluster', 'add', '--incarnation', 'x', '--address', '127.0.0.1:7004']],
    [['cluster', 'add', '--id', 'N4!', '--incarnation', 'x', '--address', '127.0.0.1:7004']],
    [['cluster', 'add', '--id', 'n4', '--incarnation', 'x', '--address', 'nowhere']],
    [['cluster', 'add', '--id', 'n4', '--incarnation', 'x', '--address', '127.0.0.1:70000']],
    [['cluster', 'remove']],
    [['cluster', 'transfer-leader', '--id', '']],
    [['cluster', 'remove', '--id', 'n3', '--force', 'yes']],
  ])('usage errors exit 2 and change nothing: %j', async (args) => {
    const r = await run([...args, ...admin]);
    expect(r.code).toBe(EXIT_USAGE);
    expect(changes).toEqual([]);
  });
});

describe('cluster membership verbs: help and parsers', () => {
  it.each([['cluster', 'members'], ['cluster', 'add'], ['cluster', 'remove'], ['cluster', 'transfer-leader']])('%s %s --help shows examples (exit 0)', async (...words) => {
    const r = await run([...words, '--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ tessera cluster /);
  });

  it('parses member ids and addresses', () => {
    expect(parseMemberId('n4')).toBe('n4');
    expect(() => parseMemberId('-n4')).toThrow();
    expect(() => parseMemberId('x'.repeat(64))).toThrow();
    expect(parseAddress('node4.prod.example:7001')).toBe('node4.prod.example:7001');
    expect(parseAddress('[fd00::4]:7001')).toBe('[fd00::4]:7001');
    expect(() => parseAddress('fd00::4:7001')).toThrow();
    expect(() => parseAddress('host:0')).toThrow();
  });
});
