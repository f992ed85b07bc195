/**
 * Keys.SignAuditHead (ADR 0020): the key manager signs a storage node's
 * metadata-group audit head with its audit key — only for an allow-listed
 * node presenting its pin, and only a head whose domain is `metadata`, so no
 * node can obtain a signature passing for one of the key manager's own heads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { KEYMANAGER_AUDIT_DOMAIN, METADATA_AUDIT_DOMAIN, MemoryAuditLog, encodeHead, tenantChain, verifyHeadSignature } from '@tessera/audit';
import { ErrorCodes } from '@tessera/common';
import { openDurableKv } from '@tessera/common/durable';
import { tempDirs } from '@tessera/common/testing';
import { MemoryRootProvider, nodeCaller, seed, stack } from './helpers.js';

const dirs = tempDirs('tessera-km-sign-head-');
afterAll(() => dirs.cleanup());

async function setup() {
  const provider = new MemoryRootProvider();
  const s = await stack(await openDurableKv(await dirs.make()), provider);
  await seed(s);
  const log = new MemoryAuditLog();
  log.append(tenantChain('acme'), { type: 'data.access', principal: 'admin/ops', outcome: 'ok' }, 1_700_000_000_000);
  return { s, provider, log };
}

describe('signing metadata-group heads for nodes', () => {
  it('signs a metadata head of an allow-listed node with the audit key', async () => {
    const { s, provider, log } = await setup();
    const head = log.head(METADATA_AUDIT_DOMAIN, 1_700_000_000_100);
    const signed = await s.service.signMetadataHead(nodeCaller('n1'), encodeHead(head));
    expect(signed.head).toEqual(head);
    expect(signed.encodedHead.equals(encodeHead(head))).toBe(true);
    const publicKey = await provider.auditPublicKey();
    expect(() => verifyHeadSignature(signed, publicKey)).not.toThrow();
  });

  it('refuses a key-manager head, a malformed head, and nodes not allowed or with another pin', async () => {
    const { s, log } = await setup();
    await expect(s.service.signMetadataHead(nodeCaller('n1'), encodeHead(log.head(KEYMANAGER_AUDIT_DOMAIN, 1)))).rejects.toMatchObject({ code: ErrorCodes.KM_FORBIDDEN });
    await expect(s.service.signMetadataHead(nodeCaller('n1'), encodeHead(log.head('metadata-evil', 1)))).rejects.toMatchObject({ code: ErrorCodes.KM_FORBIDDEN });
    await expect(s.service.signMetadataHead(nodeCaller('n1'), Buffer.from('not a head'))).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    const good = encodeHead(log.head(METADATA_AUDIT_DOMAIN, 1));
    await expect(s.service.signMetadataHead(nodeCaller('n9'), good)).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
    await expect(s.service.signMetadataHead(nodeCaller('n1', Buffer.alloc(32, 0x77)), good)).rejects.toMatchObject({ code: ErrorCodes.KM_NODE_NOT_ALLOWED });
  });
});
