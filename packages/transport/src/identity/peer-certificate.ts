/**
 * The verified peer certificate of a server call, or undefined.
 *
 * grpc-js's `getAuthContext()` throws a TypeError when a call arrives on a
 * TLS socket that is already being torn down (`getPeerCertificate()` then
 * returns null): the long chaos run saw exactly that crash two nodes after a
 * partition cut their connections. A closing connection has no peer to
 * trust, so it reads as "no certificate" and the call is refused as
 * unauthenticated instead of taking the process down.
 */
import type { PeerCertificate } from 'node:tls';

/** Anything that exposes the verified peer certificate of a call (every gRPC server call does). */
export interface CallWithAuthContext {
  getAuthContext(): { readonly sslPeerCertificate?: PeerCertificate };
}

export function peerCertificateOf(call: CallWithAuthContext): PeerCertificate | undefined {
  try {
    return call.getAuthContext().sslPeerCertificate;
  } catch {
    return undefined;
  }
}
