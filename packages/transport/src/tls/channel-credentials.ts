/**
 * gRPC channel credentials for Tessera clients and peers: TLS 1.3 minimum,
 * this process's certificate as the client certificate, the cluster CA(s) and
 * their CRLs as trust, and a server check by SPIFFE identity instead of host
 * name (peers are addressed by IP, and the chaos suite routes links through
 * proxies, so the host name proves nothing; the URI SAN does).
 *
 * grpc-js 1.14 asks the credentials for a `SecureConnector` per subchannel
 * and calls `connect(socket)` for every (re)connection. We build the TLS
 * connection there from the *current* secure context, so certificate, key and
 * CRL reloads apply to every later connection of existing channels.
 */
import * as grpc from '@grpc/grpc-js';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { PeerCertificate, SecureContext, SecureContextOptions } from 'node:tls';
import { TLS_MIN_VERSION } from './server-credentials.js';

/** Returns an error when the verified server certificate is not the expected peer. */
export type ServerIdentityCheck = (cert: PeerCertificate) => Error | undefined;

type SecureConnector = grpc.experimental.SecureConnector;
type SecureConnectResult = grpc.experimental.SecureConnectResult;

export class ReloadableChannelCredentials extends grpc.ChannelCredentials {
  private context: SecureContext;

  constructor(
    options: SecureContextOptions,
    private readonly checkServer: ServerIdentityCheck,
  ) {
    super();
    this.context = tls.createSecureContext({ ...options, minVersion: TLS_MIN_VERSION });
  }

  /** Later connections use `options` (the TLS 1.3 floor is always kept). */
  update(options: SecureContextOptions): void {
    this.context = tls.createSecureContext({ ...options, minVersion: TLS_MIN_VERSION });
  }

  _isSecure(): boolean {
    return true;
  }

  _equals(other: grpc.ChannelCredentials): boolean {
    return other === this;
  }

  _createSecureConnector(
    _channelTarget: grpc.experimental.GrpcUri,
    _options: grpc.ChannelOptions,
    callCredentials?: grpc.CallCredentials,
  ): SecureConnector {
    const credentials = callCredentials ?? grpc.CallCredentials.createEmpty();
    return {
      connect: (socket: Socket) => this.connect(socket),
      waitForReady: () => Promise.resolve(),
      getCallCredentials: () => credentials,
      destroy: () => undefined,
    };
  }

  private async connect(socket: Socket): Promise<SecureConnectResult> {
    return { socket: await this.handshake({ socket }, 'h2'), secure: true };
  }

  /**
   * A TLS connection of its own (the bulk port, ADR 0026) with the same
   * context and server identity check as every gRPC connection.
   */
  connectTls(host: string, port: number, alpn: string): Promise<tls.TLSSocket> {
    return this.handshake({ host, port }, alpn);
  }

  private handshake(target: { readonly socket: Socket } | { readonly host: string; readonly port: number }, alpn: string): Promise<tls.TLSSocket> {
    return new Promise<tls.TLSSocket>((resolve, reject) => {
      const tlsSocket = tls.connect(
        {
          ...target,
          secureContext: this.context,
          ALPNProtocols: [alpn],
          rejectUnauthorized: true,
          // Called by node only after the chain verified against our CAs and CRLs.
          checkServerIdentity: (_host, cert) => this.checkServer(cert),
        },
        () => {
          tlsSocket.removeListener('error', onError);
          tlsSocket.removeListener('close', onClose);
          if (!tlsSocket.authorized) {
            tlsSocket.destroy();
            reject(tlsSocket.authorizationError ?? new Error('server certificate not authorized'));
            return;
          }
          resolve(tlsSocket);
        },
      );
      const onError = (err: Error): void => reject(err);
      const onClose = (): void => reject(new Error('connection closed during TLS handshake'));
      tlsSocket.once('error', onError);
      tlsSocket.once('close', onClose);
    });
  }
}
