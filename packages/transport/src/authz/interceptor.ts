/**
 * The server interceptor that enforces authentication and the authorization
 * table on every call, before any handler sees it:
 *  - on the call's metadata: authenticate the verified peer certificate,
 *    then check the method is declared and the principal's kind allowed;
 *  - on every request message: check the tenant-owned values it names.
 * A refused call ends with a generic UNAUTHENTICATED or PERMISSION_DENIED and
 * the handler never receives its metadata or message; the reason goes to the
 * audit sink.
 */
import * as grpc from '@grpc/grpc-js';
import type { PeerAuthenticator } from '../identity/authenticate.js';
import { peerCertificateOf } from '../identity/peer-certificate.js';
import type { Principal } from '../identity/principal.js';
import type { AuditSink } from '../audit.js';
import { decideCall, decideMessage } from './decide.js';
import type { MessageDecision } from './decide.js';
import type { TenantResourceIndex } from './resources.js';
import type { AuthorizationTable, MethodPolicy } from './types.js';

export interface AuthorizationInterceptorOptions {
  readonly authenticator: PeerAuthenticator;
  readonly table: AuthorizationTable;
  readonly resources: TenantResourceIndex;
  readonly audit: AuditSink;
  /** Port kind, for audit records. */
  readonly port: string;
}

export const UNAUTHENTICATED_DETAILS = 'unauthenticated';
export const PERMISSION_DENIED_DETAILS = 'permission denied';

export function createAuthorizationInterceptor(options: AuthorizationInterceptorOptions): grpc.ServerInterceptor {
  return (methodDescriptor, call) => {
    const method = methodDescriptor.path;
    let refused = false;
    let principal: Principal | undefined;
    let policy: MethodPolicy | undefined;

    const refuse = (code: grpc.status, reason: string, field?: string): void => {
      if (refused) return;
      refused = true;
      options.audit.record({
        type: code === grpc.status.UNAUTHENTICATED ? 'rpc.unauthenticated' : 'rpc.denied',
        port: options.port,
        method,
        ...(principal !== undefined ? { principal: principal.spiffeId } : {}),
        peer: call.getPeer(),
        reason,
        ...(field !== undefined ? { field } : {}),
      });
      call.sendStatus({
        code,
        details: code === grpc.status.UNAUTHENTICATED ? UNAUTHENTICATED_DETAILS : PERMISSION_DENIED_DETAILS,
        metadata: new grpc.Metadata(),
      });
    };

    const onDecision = (decision: MessageDecision, message: unknown, next: (message: unknown) => void): void => {
      if (refused) return;
      if (decision.ok) next(message);
      else refuse(grpc.status.PERMISSION_DENIED, decision.reason, decision.field);
    };

    const intercepting = new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const auth = options.authenticator.authenticate(peerCertificateOf(intercepting));
            if (!auth.ok) {
              refuse(grpc.status.UNAUTHENTICATED, auth.reason);
              return;
            }
            principal = auth.principal;
            const decision = decideCall(options.table, method, principal);
            if (!decision.ok) {
              refuse(grpc.status.PERMISSION_DENIED, decision.reason);
              return;
            }
            policy = decision.policy;
            nextMetadata(metadata);
          },
          onReceiveMessage: (message, nextMessage) => {
            if (refused || principal === undefined || policy === undefined) return;
            const decision = decideMessage(policy, principal, message, options.resources);
            if (decision instanceof Promise) {
              decision.then(
                (d) => onDecision(d, message, nextMessage),
                () => onDecision({ ok: false, reason: 'resource-check-failed' }, message, nextMessage),
              );
            } else {
              onDecision(decision, message, nextMessage);
            }
          },
          onReceiveHalfClose: (nextHalfClose) => {
            if (!refused) nextHalfClose();
          },
        });
      },
    });
    // The handler reads its principal through this call again (Server.principalOf), and
    // grpc-js builds a new certificate object on every read (TLSSocket.getPeerCertificate,
    // several % of a busy node's CPU): the connection's certificate cannot change within a
    // call, so it is read once. A read that throws (closing connection) is not kept.
    let authContext: ReturnType<grpc.ServerInterceptingCallInterface['getAuthContext']> | undefined;
    intercepting.getAuthContext = () => (authContext ??= call.getAuthContext());
    return intercepting;
  };
}
