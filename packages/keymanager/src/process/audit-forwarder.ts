/**
 * `Keys.ForwardAudit` from a follower to its leader: one client per leader
 * (the leader's committed keys-port address, its certificate checked to be
 * exactly `keymanager/<leader id>`), this member's own certificate.
 */
import * as grpc from '@grpc/grpc-js';
import { ClientTls, createClient, rpcFailure, type TlsFiles } from '@tessera/transport';
import { tesseraV1, type KeysClient } from '@tessera/wire';
import type { AuditForwarder } from './audit-router.js';

const FORWARD_TIMEOUT_MS = 5_000;

export interface AuditForwarderOptions {
  readonly trustDomain: string;
  readonly tls: TlsFiles;
  readonly leaderAddress: (id: string) => string | undefined;
}

export function auditForwarder(options: AuditForwarderOptions): { forward: AuditForwarder; close(): void } {
  const clients = new Map<string, { address: string; client: Promise<{ keys: KeysClient; tls: ClientTls }> }>();
  const clientFor = (leaderId: string, address: string): Promise<{ keys: KeysClient; tls: ClientTls }> => {
    const existing = clients.get(leaderId);
    if (existing !== undefined && existing.address === address) return existing.client;
    void existing?.client.then((c) => c.keys.close()).catch(() => undefined);
    const client = ClientTls.create({ trustDomain: options.trustDomain, tls: options.tls, expect: { spiffeId: `spiffe://${options.trustDomain}/keymanager/${leaderId}` } }).then((tls) => ({
      tls,
      keys: createClient(tesseraV1().Keys, address, tls),
    }));
    clients.set(leaderId, { address, client });
    return client;
  };
  return {
    forward: async (leaderId, records) => {
      const address = options.leaderAddress(leaderId);
      if (address === undefined) throw new Error('leader address unknown');
      const { keys } = await clientFor(leaderId, address);
      await new Promise<void>((resolve, reject) => {
        keys.ForwardAudit({ records: [...records] }, { deadline: Date.now() + FORWARD_TIMEOUT_MS }, (err: grpc.ServiceError | null) => (err === null ? resolve() : reject(rpcFailure(err))));
      });
    },
    close: () => {
      for (const { client } of clients.values()) void client.then((c) => c.keys.close()).catch(() => undefined);
      clients.clear();
    },
  };
}
