import { it } from 'vitest';
import { TestCluster, waitFor } from './node-cluster.js';
import { encodeCommand } from './node-kv-machine.js';

it('debug isolate', async () => {
  const cluster = await TestCluster.start(['n1', 'n2', 'n3']);
  const oldId = cluster.leaderId()!;
  cluster.network.isolate(oldId);
  const t0 = Date.now();
  const log = setInterval(() => {
    console.log(Date.now() - t0, [...cluster.members.values()].map((m) => `${m.id}:${m.node.status().role}/${m.node.status().term}/lead=${m.node.status().lead}`).join(' '));
  }, 200);
  try {
    await cluster.waitForLeader([oldId], 3000);
  } finally {
    clearInterval(log);
    await cluster.shutdown();
  }
});
