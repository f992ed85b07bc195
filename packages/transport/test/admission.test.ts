import { describe, expect, it } from 'vitest';
import type { ConfState } from '@tessera/raft';
import type { Principal } from '../src/index.js';
import { admit, type GroupView } from '../src/raft/admission.js';
import type { WireEnvelope } from '../src/raft/envelope.js';

const node = (id: string): Principal => ({ kind: 'node', id, spiffeId: `spiffe://t/node/${id}`, trustDomain: 't' });

const conf: ConfState = {
  voters: ['n1', 'n2'],
  learners: ['n3'],
  members: [
    { id: 'n1', incarnationId: 'i1', address: 'a1' },
    { id: 'n2', incarnationId: 'i2', address: 'a2' },
    { id: 'n3', incarnationId: 'i3', address: 'a3' },
  ],
  removed: ['n0'],
};

function view(overrides: Partial<{ clusterId: string; conf: ConfState }> = {}): GroupView {
  return { localId: 'n2', clusterId: () => overrides.clusterId ?? 'c1', incarnationId: () => 'i2', confState: () => overrides.conf ?? conf };
}

function envelope(overrides: Partial<WireEnvelope> = {}): WireEnvelope {
  return { clusterId: 'c1', groupId: '1', from: 'n1', fromIncarnationId: 'i1', to: 'n2', toIncarnationId: 'i2', message: Buffer.alloc(0), ...overrides };
}

const groups = (v: GroupView | undefined) => (g: number) => (g === 1 ? v : undefined);

describe('raft envelope admission', () => {
  it.each([
    ['a voter of the committed configuration', node('n1'), envelope(), view()],
    ['a learner', node('n3'), envelope({ from: 'n3', fromIncarnationId: 'i3' }), view()],
    ['a sender that does not know our incarnation yet', node('n1'), envelope({ toIncarnationId: '' }), view()],
    ['any node, while this member has applied no configuration (--join)', node('n9'), envelope({ from: 'n9', fromIncarnationId: 'x' }), view({ conf: { voters: [], learners: [] } })],
    ['any cluster id, while this member has not learnt its own', node('n1'), envelope({ clusterId: 'other' }), view({ clusterId: '' })],
  ])('admits %s', (_what, principal, env, v) => {
    expect(admit(principal, env, groups(v))).toEqual({ ok: true, group: 1 });
  });

  it.each([
    ['another cluster', node('n1'), envelope({ clusterId: 'c2' }), 'RAFT_REFUSAL_WRONG_CLUSTER'],
    ['an old incarnation of the sender', node('n1'), envelope({ fromIncarnationId: 'old' }), 'RAFT_REFUSAL_WRONG_SENDER_INCARNATION'],
    ['a message for another incarnation of this member', node('n1'), envelope({ toIncarnationId: 'old' }), 'RAFT_REFUSAL_WRONG_RECIPIENT_INCARNATION'],
    ['a node outside the configuration', node('n7'), envelope({ from: 'n7' }), 'RAFT_REFUSAL_NOT_A_MEMBER'],
    ['a removed member', node('n0'), envelope({ from: 'n0' }), 'RAFT_REFUSAL_NOT_A_MEMBER'],
    ['an unknown group', node('n1'), envelope({ groupId: '2' }), 'RAFT_REFUSAL_UNKNOWN_GROUP'],
    ['a message for another member', node('n1'), envelope({ to: 'n3' }), 'RAFT_REFUSAL_UNKNOWN_GROUP'],
    ['a malformed group id', node('n1'), envelope({ groupId: '01' }), 'RAFT_REFUSAL_MALFORMED'],
  ])('refuses %s', (_what, principal, env, refusal) => {
    expect(admit(principal, env, groups(view()))).toMatchObject({ ok: false, refusal, fatal: false });
  });

  it('ends the stream of a node speaking for another node, or of a principal that is not a node', () => {
    expect(admit(node('n3'), envelope({ from: 'n1' }), groups(view()))).toMatchObject({ ok: false, fatal: true });
    const km: Principal = { kind: 'keymanager', id: 'n1', spiffeId: 'spiffe://t/keymanager/n1', trustDomain: 't' };
    expect(admit(km, envelope(), groups(view()))).toMatchObject({ ok: false, fatal: true });
    // Even a joining member (no configuration) never admits an impersonator.
    expect(admit(node('n3'), envelope({ from: 'n1' }), groups(view({ conf: { voters: [], learners: [] } })))).toMatchObject({ ok: false, fatal: true });
  });

  it('serves a key-manager group to key managers only (the group names its member kind)', () => {
    const km = (id: string): Principal => ({ kind: 'keymanager', id, spiffeId: `spiffe://t/keymanager/${id}`, trustDomain: 't' });
    const kmView: GroupView = { ...view(), memberKind: 'keymanager' };
    expect(admit(km('n1'), envelope(), groups(kmView))).toEqual({ ok: true, group: 1 });
    // A storage node with a member's id cannot speak for the key managers' group, joining or not.
    expect(admit(node('n1'), envelope(), groups(kmView))).toMatchObject({ ok: false, fatal: true });
    expect(admit(node('n1'), envelope(), groups({ ...kmView, confState: () => ({ voters: [], learners: [] }) }))).toMatchObject({ ok: false, fatal: true });
    expect(admit(km('n3'), envelope({ from: 'n1' }), groups(kmView))).toMatchObject({ ok: false, fatal: true });
  });
});
