/**
 * GrpcRaftTransport between real peer ports (mTLS, TLS 1.3, launcher-issued
 * certificates) in one process: delivery in order, batching, snapshots in
 * frames, and the refusals of DESIGN section 2.
 */
import { waitFor } from '@tessera/common/testing';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageType, type ConfState, type Message, type RaftEnvelope } from '@tessera/raft';
import { ClientTls, startTesseraServer, createClient, type TesseraServer } from '../src/index.js';
import { tesseraV1, type RaftFeedback__Output } from '@tessera/wire';
import { GrpcRaftTransport } from '../src/raft/grpc-transport.js';
import { PeerCredentials } from '../src/raft/peer-credentials.js';
import { TRUST_DOMAIN, createTestPki, type TestPki } from './support/raft-pki.js';

interface Peer {
  readonly id: string;
  readonly transport: GrpcRaftTransport;
  readonly server: TesseraServer;
  readonly received: RaftEnvelope[];
  readonly credentials: PeerCredentials;
}

let pki: TestPki;
const peers = new Map<string, Peer>();
/** The configuration every peer's view reports (mutable per test). */
let conf: ConfState = { voters: [], learners: [] };

function msg(from: string, to: string, extra: Partial<Message> = {}): Message {
  return { type: MessageType.Heartbeat, from, to, term: 3, logTerm: 0, index: 0, entries: [], commit: 7, reject: false, rejectHint: 0, ...extra };
}

function env(message: Message, overrides: Partial<RaftEnvelope> = {}): RaftEnvelope {
  return { group: 1, clusterId: 'c1', fromIncarnation: `inc-${message.from}`, message, ...overrides };
}

async function startPeer(id: string, overrides: ReadonlyMap<string, string> = new Map()): Promise<Peer> {
  const tls = await pki.node(id);
  const credentials = await PeerCredentials.load({ trustDomain: TRUST_DOMAIN, tls, watch: false });
  const transport = new GrpcRaftTransport({ localId: id, credentials, peerAddresses: overrides, limits: { maxQueuedMessages: 2_000 } });
  let server: TesseraServer | undefined;
  const service = transport.service((call) => server!.principalOf(call));
  server = await startTesseraServer({ port: 'peer', trustDomain: TRUST_DOMAIN, tls, services: { Raft: service }, watch: false });
  const received: RaftEnvelope[] = [];
  transport.subscribe(1, (e) => received.push(e));
  transport.registerGroup(1, { localId: id, clusterId: () => 'c1', incarnationId: () => `inc-${id}`, confState: () => conf });
  const peer = { id, transport, server, received, credentials };
  peers.set(id, peer);
  return peer;
}

function peer(id: string): Peer {
  const p = peers.get(id);
  if (p === undefined) throw new Error(`no peer ${id}`);
  return p;
}

function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  return waitFor(what, probe, timeoutMs);
}

beforeAll(async () => {
  pki = await createTestPki();
  await startPeer('n1');
  await startPeer('n2');
  conf = {
    voters: ['n1', 'n2'],
    learners: [],
    members: [
      { id: 'n1', incarnationId: 'inc-n1', address: peer('n1').server.address },
      { id: 'n2', incarnationId: 'inc-n2', address: peer('n2').server.address },
    ],
  };
}, 60_000);

afterAll(async () => {
  for (const p of peers.values()) {
    p.transport.close();
    p.credentials.close();
    await p.server.close(0);
  }
  await pki.cleanup();
});

describe('GrpcRaftTransport over mTLS', () => {
  it('delivers a message to the committed address of its recipient, intact', async () => {
    const m = msg('n1', 'n2', { context: Uint8Array.of(1, 2, 3) });
    expect(peer('n1').transport.send(env(m))).toBe(true);
    const got = await until('delivery', () => peer('n2').received.at(-1));
    expect(got).toEqual({ group: 1, clusterId: 'c1', fromIncarnation: 'inc-n1', message: m });
  });

  it('carries a burst in batches on one stream, in order', async () => {
    const before = peer('n2').received.length;
    for (let i = 0; i < 1_000; i++) {
      const entries = [{ term: 3, index: i + 1, type: 'normal' as const, data: new Uint8Array(100).fill(i % 256) }];
      expect(peer('n1').transport.send(env(msg('n1', 'n2', { type: MessageType.App, index: i, entries })))).toBe(true);
    }
    await until('the burst', () => peer('n2').received.length - before === 1_000);
    const got = peer('n2').received.slice(before).map((e) => e.message.index);
    expect(got).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    const link = peer('n1').transport.linkStats().get('n2');
    expect(link?.streamsOpened).toBe(1);
  });

  it('splits a burst larger than the gRPC message limit into batches under it', async () => {
    const before = peer('n2').received.length;
    const data = new Uint8Array(200 * 1024).fill(7);
    for (let i = 0; i < 40; i++) {
      // 40 x 200 KiB = 8 MiB queued at once, twice the 4 MiB message limit.
      expect(peer('n1').transport.send(env(msg('n1', 'n2', { type: MessageType.App, index: i, entries: [{ term: 3, index: i + 1, type: 'normal', data }] })))).toBe(true);
    }
    await until('the big burst', () => peer('n2').received.length - before === 40);
    expect(peer('n2').received.slice(before).every((e) => e.message.entries[0]?.data.byteLength === data.byteLength)).toBe(true);
  });

  it('streams a snapshot larger than the message limit in frames', async () => {
    const data = new Uint8Array(5 * 1024 * 1024 + 17).map((_, i) => i % 251);
    const snap = msg('n1', 'n2', { type: MessageType.Snap, snapshot: { metadata: { index: 900, term: 3, confState: conf }, data } });
    expect(peer('n1').transport.send(env(snap))).toBe(true);
    const got = await until('the snapshot', () => peer('n2').received.find((e) => e.message.type === MessageType.Snap));
    expect(got.message.snapshot?.metadata).toEqual(snap.snapshot?.metadata);
    expect(Buffer.from(got.message.snapshot!.data).equals(Buffer.from(data))).toBe(true);
    expect(peer('n2').transport.counters.snapshotsReceived).toBe(1);
    await until('the sender to count it', () => peer('n1').transport.counters.snapshotsSent === 1);
  });

  it('refuses a node outside the configuration, another cluster, and a stale incarnation (either side)', async () => {
    const outsider = await startPeer('n3', new Map([['n2', peer('n2').server.address]]));
    const n2 = peer('n2');
    const cases: Array<[string, () => boolean]> = [
      ['non-member', () => outsider.transport.send(env(msg('n3', 'n2')))],
      ['other cluster', () => peer('n1').transport.send(env(msg('n1', 'n2'), { clusterId: 'c2' }))],
      ['old sender incarnation', () => peer('n1').transport.send(env(msg('n1', 'n2'), { fromIncarnation: 'inc-old' }))],
    ];
    for (const [what, send] of cases) {
      const refused = n2.transport.counters.refused;
      const delivered = n2.received.length;
      expect(send(), what).toBe(true);
      await until(`the refusal of ${what}`, () => n2.transport.counters.refused === refused + 1);
      expect(n2.received.length, what).toBe(delivered);
    }
    // A sender that believes n2 has another incarnation (n2 was wiped and rejoined under its id).
    const saved = conf;
    conf = { ...conf, members: conf.members!.map((m) => (m.id === 'n2' ? { ...m, incarnationId: 'inc-before-wipe' } : m)) };
    const refused = n2.transport.counters.refused;
    peer('n1').transport.send(env(msg('n1', 'n2')));
    await until('the refusal of a message for another incarnation', () => n2.transport.counters.refused === refused + 1);
    conf = saved;
  });

  it('ends the stream of a node that claims to be another node', async () => {
    const tls = await ClientTls.create({ trustDomain: TRUST_DOMAIN, tls: await pki.node('n3'), expect: { kinds: ['node'] } });
    const client = createClient(tesseraV1().Raft, peer('n2').server.address, tls);
    const before = peer('n2').received.length;
    const status = await new Promise<grpc.StatusObject>((resolve) => {
      const call = client.Exchange();
      call.on('data', (_f: RaftFeedback__Output) => undefined);
      call.on('error', () => undefined);
      call.on('status', resolve);
      call.write({ seq: '1', messages: [{ clusterId: 'c1', groupId: '1', from: 'n1', fromIncarnationId: 'inc-n1', to: 'n2', toIncarnationId: '', message: Buffer.alloc(0) }] });
    });
    expect(status.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(peer('n2').received.length).toBe(before);
    client.close();
    tls.close();
  });

  it('prefers a configured peer address over the committed one', () => {
    expect(peer('n1').transport.addressOf('n2', 1)).toBe(peer('n2').server.address);
    const routed = new GrpcRaftTransport({ localId: 'n1', credentials: peer('n1').credentials, peerAddresses: new Map([['n2', '127.0.0.1:9']]) });
    routed.registerGroup(1, { localId: 'n1', clusterId: () => 'c1', incarnationId: () => 'inc-n1', confState: () => conf });
    expect(routed.addressOf('n2', 1)).toBe('127.0.0.1:9');
    expect(routed.addressOf('n1', 1)).toBe(peer('n1').server.address);
    routed.close();
  });

  it('never blocks: a recipient without an address, or behind a dead link, makes send return false', async () => {
    const n1 = peer('n1').transport;
    expect(n1.send(env(msg('n1', 'n9')))).toBe(false);
    conf = { ...conf, voters: [...conf.voters, 'n8'], members: [...conf.members!, { id: 'n8', incarnationId: 'inc-n8', address: '127.0.0.1:1' }] };
    // Nothing listens there: the link fails, backs off, and refuses sends meanwhile.
    await until('the dead link to refuse sends', () => !n1.send(env(msg('n1', 'n8'))));
  });
});
