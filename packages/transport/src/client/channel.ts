/**
 * Client side of a Tessera connection: channel options (keepalive, fast
 * reconnect, message limits) and reloadable mTLS channel credentials that
 * accept only the expected server identity.
 */
import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { toTesseraError } from '@tessera/common';
import { CONNECTION_WINDOW_BYTES } from '../server/flow-control.js';
import { MAX_MESSAGE_BYTES } from '@tessera/wire';
import { authenticateCertificate } from '../identity/authenticate.js';
import type { Principal, PrincipalKind } from '../identity/principal.js';
import { EMPTY_TENANT_CA_REGISTRY } from '../identity/tenant-registry.js';
import { ReloadableChannelCredentials } from '../tls/channel-credentials.js';
import { loadTlsMaterial } from '../tls/material.js';
import type { TlsFiles, TlsMaterial } from '../tls/material.js';
import { watchTlsFiles } from '../tls/watch.js';
import type { ReloadTrigger, TlsWatchOption } from '../tls/watch.js';

/**
 * Every Tessera channel:
 *  - keepalive ping every 10 s, connection declared dead 5 s after an
 *    unanswered ping, also while no call is active (idle Raft links);
 *  - reconnect backoff from 100 ms up to 2 s (grpc-js defaults reach 120 s,
 *    far too slow to notice a restarted peer);
 *  - the same message limit as servers.
 * TCP_NODELAY is set by grpc-js on every client socket.
 */
export const CHANNEL_OPTIONS: Readonly<grpc.ChannelOptions> = Object.freeze({
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 2_000,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  // The client's own HTTP/2 receive window (reads of shards and objects): see ../server/flow-control.ts.
  'grpc-node.flow_control_window': CONNECTION_WINDOW_BYTES,
});

export function channelOptions(overrides: grpc.ChannelOptions = {}): grpc.ChannelOptions {
  return { ...CHANNEL_OPTIONS, ...overrides };
}

/** Which server a channel may talk to: one exact identity, or any of some kinds (e.g. any node). */
export type ServerExpectation = { readonly spiffeId: string } | { readonly kinds: readonly PrincipalKind[] };

export interface ClientTlsOptions {
  readonly trustDomain: string;
  readonly tls: TlsFiles;
  readonly expect: ServerExpectation;
  /** Reload on file changes and SIGHUP (default false for clients: long-lived processes turn it on). */
  readonly watch?: TlsWatchOption;
}

function matches(expect: ServerExpectation, principal: Principal): boolean {
  return 'spiffeId' in expect ? principal.spiffeId === expect.spiffeId : expect.kinds.includes(principal.kind);
}

export class ClientTls {
  readonly credentials: ReloadableChannelCredentials;
  private material: TlsMaterial;
  private trigger: ReloadTrigger | undefined;

  private constructor(private readonly options: ClientTlsOptions, material: TlsMaterial) {
    this.material = material;
    this.credentials = new ReloadableChannelCredentials(contextOptions(material), (cert) => this.checkServer(cert));
  }

  static async create(options: ClientTlsOptions): Promise<ClientTls> {
    const client = new ClientTls(options, await loadTlsMaterial(options.tls));
    client.trigger = watchTlsFiles(options.tls, options.watch ?? false, () => void client.reload().catch(() => undefined));
    return client;
  }

  /** Server certificates are issued by the cluster CA, so tenant CAs play no part here. */
  private checkServer(cert: PeerCertificate): Error | undefined {
    const auth = authenticateCertificate(cert.raw, {
      trustDomain: this.options.trustDomain,
      clusterCas: () => this.material.clusterCas,
      tenantCas: EMPTY_TENANT_CA_REGISTRY,
    });
    if (!auth.ok || !matches(this.options.expect, auth.principal)) return new Error('server identity is not the expected one');
    return undefined;
  }

  /** Re-reads the files; later connections use them. Keeps the old material on error. */
  async reload(): Promise<void> {
    let material: TlsMaterial;
    try {
      material = await loadTlsMaterial(this.options.tls);
    } catch (err) {
      throw toTesseraError(err);
    }
    this.credentials.update(contextOptions(material));
    this.material = material;
  }

  close(): void {
    this.trigger?.close();
  }
}

function contextOptions(material: TlsMaterial): { cert: Buffer; key: Buffer; ca: string[]; crl: string[] } {
  return { cert: material.cert, key: material.key, ca: [...material.caPems], crl: [...material.crlPems] };
}

/** Builds a typed client (e.g. `tesseraV1().Data`) with Tessera's channel options. */
export function createClient<T>(
  Client: new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => T,
  address: string,
  tls: ClientTls,
  overrides: grpc.ChannelOptions = {},
): T {
  return new Client(address, tls.credentials, channelOptions(overrides));
}
