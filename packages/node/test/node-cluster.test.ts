/**
 * Three nodes in one process (startNode), each with its own peer and client
 * ports over mTLS: bootstrap and join, the Kv and Admin services through
 * ClusterClient, sessions making retries safe, reads through ReadIndex on
 * followers, leadership transfer, and the start-up refusals.
 */
import { waitFor } from '@tessera/common/testing';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { ClusterClient, RpcFailure } from '../src/client/cluster-client.js';
import { resolveNodeConfig, type NodeFlags } from '../src/process/config.js';
import { startNode, type RunningNode } from '../src/process/node.js';
import { readPortsFile } from '@tessera/transport';
import { TRUST_DOMAIN, createTestPki, type TestPki } from './support/pki.js';

let pki: TestPki;
const dirs = tempDirs('tessera-node-cluster-');
const nodes = new Map<string, RunningNode>();
const dataDirs = new Map<string, string>();
let client: ClusterClient;
const quiet = { write: () => undefined };

async function flags(id: string, extra: NodeFlags = {}): Promise<NodeFlags> {
  const tls = await pki.node(id);
  return { id, dataDir: await dirs.make(id), cert: tls.certFile, key: tls.keyFile, ca: tls.caFile, crl: tls.crlFile, tickMs: 20, electionTicks: 10, ...extra };
}

async function start(id: string, extra: NodeFlags = {}): Promise<RunningNode> {
  const config = resolveNodeConfig({}, await flags(id, extra));
  const node = await startNode(config, { logSink: quiet });
  nodes.set(id, node);
  dataDirs.set(id, config.dataDir);
  client?.setNode(id, node.ports.clientAddress);
  return node;
}

/** Polls an RPC probe; a failing call (node restarting, no leader yet) counts as "not yet". */
function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  return waitFor(what, () => probe().catch(() => undefined), { timeoutMs, intervalMs: 20 });
}

const leaderOf = (): Promise<string> => until('a leader', async () => (await client.status('n1')).leaderId || undefined);

beforeAll(async () => {
  pki = await createTestPki();
  const n1 = await start('n1', { bootstrap: true });
  client = new ClusterClient({ trustDomain: TRUST_DOMAIN, tls: await pki.admin(), nodes: { n1: n1.ports.clientAddress } });
}, 60_000);

afterAll(async () => {
  client?.close();
  for (const n of nodes.values()) await n.stop();
  await dirs.cleanup();
  await pki?.cleanup();
});

describe('node processes in one process', () => {
  it('bootstraps a one-voter cluster and writes its ports file', async () => {
    const n1 = nodes.get('n1')!;
    expect(await leaderOf()).toBe('n1');
    const s = await client.status('n1');
    expect(s.clusterId).toMatch(/^[0-9a-f]{32}$/);
    expect(s.members).toEqual([{ id: 'n1', incarnationId: n1.ports.incarnationId, address: n1.ports.peerAddress, role: 'voter', matchIndex: expect.any(Number), reachable: expect.any(Boolean) }]);
    expect(await readPortsFile(dataDirs.get('n1')!)).toEqual({ ...n1.ports, pid: process.pid });
    expect(n1.ports.peerAddress).toMatch(/^127\.0\.0\.1:[1-9][0-9]*$/);
  });

  it('adds two --join members: learner, caught up, promoted', async () => {
    for (const id of ['n2', 'n3']) {
      const node = await start(id, { join: true, peer: [`n1=${nodes.get('n1')!.ports.peerAddress}`] });
      expect(node.ports.clusterId).toBe('');
      await client.addMember({ id, incarnationId: node.ports.incarnationId, address: node.ports.peerAddress }, { voter: true });
    }
    const statuses = await until('every node to apply three voters', async () => {
      const all = await Promise.all(['n1', 'n2', 'n3'].map((id) => client.status(id)));
      return all.every((s) => s.members.filter((m) => m.role === 'voter').length === 3) ? all : undefined;
    });
    expect(new Set(statuses.map((s) => s.clusterId)).size).toBe(1);
  });

  it('writes through sessions; a retried request is answered from the session table, not applied again', async () => {
    const session = await client.openSession();
    const before = { ...client.writeCounts };
    const first = await session.put(Buffer.from('a'), Buffer.from('1'));
    expect(first.duplicate).toBe(false);
    // Over the session's Writes stream (ADR 0023), not a unary call.
    expect(client.writeCounts).toEqual({ streamed: before.streamed + 1, unary: before.unary });
    const req = { session: { clientId: String(session.clientId), seq: '2', ackedThrough: '1' }, key: Buffer.from('b'), value: Buffer.from('2') };
    const once = await client.sessionWrite<{ index: string; duplicate: boolean }>((kv) => (o, cb) => kv.Put(req, o, cb));
    const again = await client.sessionWrite<{ index: string; duplicate: boolean }>((kv) => (o, cb) => kv.Put({ ...req, value: Buffer.from('other') }, o, cb));
    expect(again).toEqual({ index: once.index, duplicate: true });
    expect((await client.get(Buffer.from('b')))?.toString()).toBe('2');
  });

  it('reads linearizably on every node, followers included (ReadIndex)', async () => {
    const session = await client.openSession();
    await session.put(Buffer.from('fresh'), Buffer.from('yes'));
    for (const id of ['n1', 'n2', 'n3']) {
      expect((await client.get(Buffer.from('fresh'), { node: id }))?.toString(), id).toBe('yes');
      expect((await client.scan({ node: id })).get('fresh')?.toString(), id).toBe('yes');
    }
    expect(await client.get(Buffer.from('never-written'), { node: 'n2' })).toBeUndefined();
  });

  it('transfers leadership to a chosen voter, and writes follow the new leader', async () => {
    const older = await client.openSession();
    await older.put(Buffer.from('before'), Buffer.from('transfer'));
    const other = new ClusterClient({ trustDomain: TRUST_DOMAIN, tls: await pki.admin(), nodes: Object.fromEntries([...nodes].map(([id, n]) => [id, n.ports.clientAddress])) });
    try {
      await other.transferLeader('n2');
    } finally {
      other.close();
    }
    expect(await until('n2 to lead everywhere', async () => ((await client.status('n3')).leaderId === 'n2' ? 'n2' : undefined))).toBe('n2');
    // The older session's stream still goes to n1, which refuses (not the leader, naming n2):
    // that write is settled through a unary call on n2, and the next one streams to n2.
    const counts = { ...client.writeCounts };
    expect((await older.delete(Buffer.from('before'))).existed).toBe(true);
    expect(client.writeCounts).toEqual({ streamed: counts.streamed, unary: counts.unary + 1 });
    expect((await older.put(Buffer.from('after'), Buffer.from('transfer'))).duplicate).toBe(false);
    expect(client.writeCounts).toEqual({ streamed: counts.streamed + 1, unary: counts.unary + 1 });
    const session = await client.openSession();
    expect((await session.put(Buffer.from('after'), Buffer.from('transfer'))).duplicate).toBe(false);
  });

  it('answers membership calls on a follower with UNAVAILABLE naming the leader', async () => {
    const only = new ClusterClient({ trustDomain: TRUST_DOMAIN, tls: await pki.admin(), nodes: { n3: nodes.get('n3')!.ports.clientAddress }, retryTimeoutMs: 0 });
    try {
      const err = await only.removeMember('n1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcFailure);
      expect(err).toMatchObject({ status: grpc.status.UNAVAILABLE, code: ErrorCodes.RAFT_NOT_LEADER, leader: 'n2' });
    } finally {
      only.close();
    }
  });

  it('refuses to start an empty store without --bootstrap or --join, and a certificate of another node', async () => {
    await expect(start('n4')).rejects.toMatchObject({ code: ErrorCodes.RAFT_NOT_BOOTSTRAPPED });
    const wrong = resolveNodeConfig({}, { ...(await flags('n4', { join: true })), id: 'n5' });
    await expect(startNode(wrong, { logSink: quiet })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });

  it('a wiped member restarting under its old id (a new incarnation) is refused by the others', async () => {
    const n3 = nodes.get('n3')!;
    const old = n3.ports;
    await n3.stop();
    nodes.delete('n3');
    // Same id and address, empty data dir: a new incarnation the configuration does not know.
    const wiped = await start('n3', { join: true, peerListen: old.peerAddress, peer: [`n2=${nodes.get('n2')!.ports.peerAddress}`] });
    expect(wiped.ports.incarnationId).not.toBe(old.incarnationId);
    // The leader still addresses the old incarnation; the new one refuses that traffic and learns nothing.
    await until('the wiped member to refuse the old incarnation\'s traffic', async () => wiped.transport.counters.refused > 0);
    expect((await client.status('n3')).members).toEqual([]);
    expect(wiped.raft.status().applied).toBe(0);
  });
});
