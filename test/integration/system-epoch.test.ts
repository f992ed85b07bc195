/**
 * System-epoch rotation across processes (DESIGN section 5; issues #6, #8):
 *  - `keymanager rotate-system-epoch` reaches every node over the watch
 *    stream; new chunk writes seal under the new epoch;
 *  - the metadata leader proposes `SetMinDecryptEpoch` once no live chunk is
 *    sealed under an older epoch, and reports the committed value to the key
 *    manager, which takes it only from a node on its allow-list and from then
 *    on refuses master keys of retired epochs (`EPOCH_RETIRED`);
 *  - nobody else can set it: a cluster admin has no method for it, and a
 *    node that is not allow-listed is refused.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { pollUntil } from '@tessera/launcher';
import type { KeyManagerClient } from '@tessera/keymanager';
import { u64Number } from '@tessera/wire';
import { json } from './support/km-processes.js';
import { DataCluster, type TenantHandle } from './support/data-cluster.js';
import { FailureFlag } from './support/failures.js';

let cluster: DataCluster;
let acme: TenantHandle;
const failures = new FailureFlag();
const { track } = failures;

beforeAll(async () => {
  // Re-encryption off: this file checks the retirement rule itself (repair.test.ts covers re-encryption moving chunks).
  cluster = await DataCluster.start({ nodes: 3, nodeArgs: ['--reencrypt-chunks-per-sec', '0'] });
  try {
    acme = await cluster.addTenant('acme', 'shared');
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

async function health(): Promise<{ systemEpoch: number; minDecryptEpoch: number }> {
  const h = await cluster.kms.admin.call('GetKeyHealth', {}, { idempotent: true });
  return { systemEpoch: u64Number(h.systemEpoch), minDecryptEpoch: u64Number(h.minDecryptEpoch) };
}

describe('system-epoch rotation and retirement', () => {
  it(
    'retires epoch 1 once no chunk is sealed under it: the leader reports it, and the key manager stops releasing master[1]',
    track(async () => {
      const client = await cluster.client(acme.client);
      // An inline object needs no chunk, so nothing is sealed under epoch 1.
      await client.put(Buffer.from('tiny'), 'inline-before');
      expect(await health()).toEqual({ systemEpoch: 1, minDecryptEpoch: 0 });
      const n1: KeyManagerClient = await cluster.kms.client(cluster.launcher.nodeTls('n1'));
      expect((await n1.call('GetMasterKey', { epoch: 1 }, { idempotent: true })).key).toHaveLength(32);

      json(await cluster.kms.cli(['-o', 'json', 'keymanager', 'rotate-system-epoch']));
      const after = await pollUntil('the key manager to learn minDecryptEpoch 2 from the metadata leader', async () => {
        const h = await health();
        return h.minDecryptEpoch === 2 ? h : undefined;
      }, { timeoutMs: 30_000, intervalMs: 200 });
      expect(after).toEqual({ systemEpoch: 2, minDecryptEpoch: 2 });
      await expect(n1.call('GetMasterKey', { epoch: 1 }, { idempotent: true, retryTimeoutMs: 0 })).rejects.toMatchObject({ code: ErrorCodes.EPOCH_RETIRED });
      expect((await n1.call('GetMasterKey', { epoch: 2 }, { idempotent: true })).key).toHaveLength(32);

      // New chunks seal under epoch 2 and read back; the inline object is untouched.
      const big = randomBytes(5 * 1024 * 1024);
      await client.put(big, 'after-rotation');
      expect((await client.getBuffer('after-rotation')).equals(big)).toBe(true);
      expect((await client.getBuffer('inline-before')).toString()).toBe('tiny');
    }),
    120_000,
  );

  it(
    'keeps epoch 2 while chunks are sealed under it after the next rotation, and lets no admin or unknown node set it',
    track(async () => {
      json(await cluster.kms.cli(['-o', 'json', 'keymanager', 'rotate-system-epoch']));
      // The object written above keeps chunks under epoch 2 (re-encryption is off here): the metadata
      // group does not retire epoch 2.
      await pollUntil('the system epoch 3 on the key manager', async () => ((await health()).systemEpoch === 3 ? true : undefined), { timeoutMs: 10_000, intervalMs: 100 });
      const client = await cluster.client(acme.client);
      await client.put(randomBytes(2 * 1024 * 1024), 'under-epoch-3');
      expect((await health()).minDecryptEpoch).toBe(2);
      // Only allow-listed nodes may report; a cluster admin is refused by the authorization table.
      const report = { epoch: '3', metadataTerm: '999', metadataIndex: '1' };
      await expect(cluster.kms.admin.call('ReportMinDecryptEpoch', report, { retryTimeoutMs: 0 })).rejects.toMatchObject({ code: ErrorCodes.TRANSPORT_PERMISSION_DENIED });
      const stranger = await cluster.kms.client(await cluster.launcher.issue({ kind: 'node', id: 'n9' }, 'node-n9'));
      await expect(stranger.call('ReportMinDecryptEpoch', report, { retryTimeoutMs: 0 })).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
      expect((await health()).minDecryptEpoch).toBe(2);
    }),
    120_000,
  );
});
