import { afterEach, describe, expect, it } from 'vitest';
import { isTesseraError } from '@tessera/common';
import { ProxyMesh } from '../src/index.js';
import { closeAllClients, connectClient, echoProbe, startServer, waitFor, type TestServer } from './proxy/helpers.js';

const ids = ['n1', 'n2', 'n3'] as const;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await closeAllClients();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Three echo servers standing in for nodes, and a mesh routing every link through a proxy. */
async function echoMesh(): Promise<{ mesh: ProxyMesh; nodes: Record<string, TestServer> }> {
  const nodes: Record<string, TestServer> = {};
  for (const id of ids) nodes[id] = await startServer(true);
  const mesh = await ProxyMesh.start(ids, { seed: 7 });
  cleanups.push(async () => {
    await mesh.close();
    for (const node of Object.values(nodes)) await node.close();
  });
  for (const id of ids) mesh.setTarget(id, nodes[id]!.address);
  return { mesh, nodes };
}

/** Sends `bytes` bytes on a fresh connection over link from -> to; resolves once the proxy has delivered or dropped them. */
async function sendOver(mesh: ProxyMesh, from: string, to: string, bytes: number): Promise<void> {
  const proxy = mesh.link(from, to);
  const before = proxy.stats();
  const client = await connectClient(proxy.address);
  client.socket.write(Buffer.alloc(bytes, 3));
  await waitFor(() => {
    const now = proxy.stats();
    return now.bytes.forward + now.droppedBytes.forward >= before.bytes.forward + before.droppedBytes.forward + bytes;
  }, `link ${from}->${to} to handle the bytes`);
}

describe('ProxyMesh', () => {
  it('gives each node a peers override with one distinct loopback proxy per peer', async () => {
    const { mesh } = await echoMesh();
    const configs = mesh.peersConfigs();
    expect(Object.keys(configs).sort()).toEqual([...ids]);
    expect(Object.keys(configs['n1']!).sort()).toEqual(['n2', 'n3']);
    const addresses = ids.flatMap((id) => Object.values(configs[id]!).map((peer) => peer.address));
    expect(new Set(addresses).size).toBe(ids.length * (ids.length - 1));
    for (const address of addresses) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(configs['n2']!['n3']!.address).toBe(mesh.link('n2', 'n3').address);
    expect(mesh.links()).toHaveLength(6);
  });

  it('routes each link to its target node', async () => {
    const { mesh, nodes } = await echoMesh();
    expect(await echoProbe(mesh.peersConfig('n1')['n3']!.address)).toBe('ok');
    expect(nodes['n3']!.accepted).toHaveLength(1);
    expect(nodes['n2']!.accepted).toHaveLength(0);
  });

  it('isolate cuts every link touching the node and nothing else; heal restores them', async () => {
    const { mesh } = await echoMesh();
    mesh.isolate('n1');
    for (const [from, to] of mesh.links()) await sendOver(mesh, from, to, 10);
    const stats = mesh.stats();
    for (const [from, to] of mesh.links()) {
      const dropped = stats[`${from}->${to}`]!.droppedBytes.forward;
      expect(dropped, `${from}->${to}`).toBe(from === 'n1' || to === 'n1' ? 10 : 0);
    }
    mesh.heal();
    expect(await echoProbe(mesh.link('n1', 'n2').address)).toBe('ok');
    expect(await echoProbe(mesh.link('n3', 'n1').address)).toBe('ok');
  });

  it('blockMessages drops what one node sends to another, on both links, and nothing the other way', async () => {
    const { mesh, nodes } = await echoMesh();
    mesh.blockMessages('n1', 'n2');
    await sendOver(mesh, 'n1', 'n2', 5);
    expect(mesh.link('n1', 'n2').stats().droppedBytes.forward).toBe(5);
    // n2 -> n1: n2's request reaches n1, n1's reply (a message from n1 to n2) is dropped.
    const client = await connectClient(mesh.link('n2', 'n1').address);
    client.socket.write('ask');
    await waitFor(() => mesh.link('n2', 'n1').stats().droppedBytes.backward === 3, 'the reply to be dropped');
    expect(Buffer.concat(nodes['n1']!.received[0]!).toString()).toBe('ask');
    expect(client.chunks).toEqual([]);
  });

  it('partition cuts only between groups; unknown links and duplicate ids are errors', async () => {
    const { mesh } = await echoMesh();
    mesh.partition([['n1', 'n2'], ['n3']]);
    expect(await echoProbe(mesh.link('n1', 'n2').address)).toBe('ok');
    await sendOver(mesh, 'n2', 'n3', 4);
    expect(mesh.link('n2', 'n3').stats().droppedBytes.forward).toBe(4);
    expect(() => mesh.link('n1', 'n1')).toThrow();
    await expect(ProxyMesh.start(['a', 'a'])).rejects.toSatisfy((e: unknown) => isTesseraError(e, 'INVALID_ARGUMENT'));
  });

  it('bulk links: a second proxy per link, routed to the bulk target, cut and healed with the peer links', async () => {
    const nodes: Record<string, TestServer> = {};
    const bulk: Record<string, TestServer> = {};
    for (const id of ids) {
      nodes[id] = await startServer(true);
      bulk[id] = await startServer(true);
    }
    const mesh = await ProxyMesh.start(ids, { seed: 9 });
    cleanups.push(async () => {
      await mesh.close();
      for (const node of [...Object.values(nodes), ...Object.values(bulk)]) await node.close();
    });
    for (const id of ids) mesh.setTarget(id, nodes[id]!.address, bulk[id]!.address);
    const config = mesh.peersConfig('n1')['n2']!;
    expect(config.bulkAddress).toBe(mesh.bulkLink('n1', 'n2').address);
    expect(config.bulkAddress).not.toBe(config.address);
    expect(await echoProbe(config.bulkAddress!)).toBe('ok');
    expect(bulk['n2']!.accepted).toHaveLength(1);
    expect(nodes['n2']!.accepted).toHaveLength(0);
    mesh.isolate('n2');
    const client = await connectClient(mesh.bulkLink('n1', 'n2').address);
    client.socket.write(Buffer.alloc(6, 1));
    await waitFor(() => mesh.bulkLink('n1', 'n2').stats().droppedBytes.forward === 6, 'the bulk bytes to be dropped');
    expect(mesh.stats()['n1->n2 bulk']!.droppedBytes.forward).toBe(6);
    mesh.heal();
    expect(await echoProbe(mesh.bulkLink('n3', 'n2').address)).toBe('ok');
    // A node that goes down takes its bulk links with it.
    mesh.setTarget('n2', undefined);
    expect(await echoProbe(mesh.bulkLink('n1', 'n2').address)).toBe('reset');
  });

  it('resets links into a node whose target is unset (down or restarting)', async () => {
    const { mesh, nodes } = await echoMesh();
    mesh.setTarget('n2', undefined);
    expect(await echoProbe(mesh.link('n1', 'n2').address)).toBe('reset');
    mesh.setTarget('n2', nodes['n2']!.address);
    expect(await echoProbe(mesh.link('n3', 'n2').address)).toBe('ok');
  });
});
