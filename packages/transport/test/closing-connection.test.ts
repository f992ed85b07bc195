/**
 * A call that arrives on a TLS connection already being torn down: grpc-js's
 * getAuthContext() then throws (the peer certificate is null). The long chaos
 * run saw this crash two storage nodes after a partition cut their links; the
 * interceptor must refuse such a call as unauthenticated instead.
 */
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { PeerCertificate } from 'node:tls';
import { createAuthorizationInterceptor } from '../src/authz/interceptor.js';
import { NO_TENANT_RESOURCES } from '../src/authz/resources.js';
import type { AuthorizationTable } from '../src/authz/types.js';
import type { PeerAuthenticator } from '../src/identity/authenticate.js';
import { peerCertificateOf } from '../src/identity/peer-certificate.js';

type Listener = Parameters<grpc.ServerInterceptingCallInterface['start']>[0];
type Status = Parameters<grpc.ServerInterceptingCallInterface['sendStatus']>[0];

/** The server call of a connection whose socket is closing. */
function closingCall(): { call: grpc.ServerInterceptingCallInterface; statuses: Status[]; listener: () => Listener | undefined } {
  let listener: Listener | undefined;
  const statuses: Status[] = [];
  const call = {
    start: (l: Listener) => void (listener = l),
    sendMetadata: () => undefined,
    sendMessage: () => undefined,
    sendStatus: (s: Status) => void statuses.push(s),
    startRead: () => undefined,
    getPeer: () => '127.0.0.1:1',
    getDeadline: () => Infinity,
    getHost: () => 'localhost',
    getAuthContext: (): never => {
      // What grpc-js does when getPeerCertificate() returned null.
      throw new TypeError("Cannot read properties of null (reading 'raw')");
    },
    getConnectionInfo: () => ({}),
    getMetricsRecorder: () => ({}),
  };
  return { call: call as unknown as grpc.ServerInterceptingCallInterface, statuses, listener: () => listener };
}

describe('a call on a closing connection', () => {
  it('reads as no peer certificate', () => {
    expect(peerCertificateOf(closingCall().call)).toBeUndefined();
    const cert = { raw: Buffer.from('x') } as unknown as PeerCertificate;
    expect(peerCertificateOf({ getAuthContext: () => ({ sslPeerCertificate: cert }) })).toBe(cert);
  });

  it('is refused as unauthenticated by the interceptor instead of throwing', () => {
    const seen: Array<PeerCertificate | undefined> = [];
    const authenticator = {
      authenticate: (cert: PeerCertificate | undefined) => {
        seen.push(cert);
        return { ok: false as const, reason: 'no peer certificate' };
      },
    } as unknown as PeerAuthenticator;
    const audit: unknown[] = [];
    const interceptor = createAuthorizationInterceptor({ authenticator, table: {} as AuthorizationTable, resources: NO_TENANT_RESOURCES, audit: { record: (r) => void audit.push(r) }, port: 'test' });
    const { call, statuses, listener } = closingCall();
    const descriptor = { path: '/tessera.v1.Kv/Get', requestStream: false, responseStream: false, requestSerialize: () => Buffer.alloc(0), responseDeserialize: () => undefined } as unknown as grpc.ServerMethodDefinition<unknown, unknown>;
    const handlerSaw: string[] = [];
    const wrapped = interceptor(descriptor, call);
    wrapped.start({
      onReceiveMetadata: () => void handlerSaw.push('metadata'),
      onReceiveMessage: () => void handlerSaw.push('message'),
      onReceiveHalfClose: () => undefined,
      onCancel: () => undefined,
    });
    expect(() => listener()!.onReceiveMetadata(new grpc.Metadata())).not.toThrow();
    expect(seen).toEqual([undefined]);
    expect(statuses.map((s) => s.code)).toEqual([grpc.status.UNAUTHENTICATED]);
    expect(handlerSaw).toEqual([]);
    expect(audit).toHaveLength(1);
  });

  it('reads the peer certificate once per call, for the interceptor and the handler alike', () => {
    const cert = { raw: Buffer.from('x') } as unknown as PeerCertificate;
    let reads = 0;
    const { call, statuses, listener } = closingCall();
    const base = Object.assign(call, { getAuthContext: () => (reads++, { sslPeerCertificate: cert }) });
    const authenticator = { authenticate: (c: PeerCertificate | undefined) => (c === cert ? { ok: true as const, principal: { kind: 'node', id: 'n1', spiffeId: 'spiffe://t/node/n1' } } : { ok: false as const, reason: 'x' }) } as unknown as PeerAuthenticator;
    const table = new Map([['/tessera.v1.Kv/Get', { allow: ['node'] }]]) as unknown as AuthorizationTable;
    const interceptor = createAuthorizationInterceptor({ authenticator, table, resources: NO_TENANT_RESOURCES, audit: { record: () => undefined }, port: 'test' });
    const descriptor = { path: '/tessera.v1.Kv/Get', requestStream: false, responseStream: false } as unknown as grpc.ServerMethodDefinition<unknown, unknown>;
    const wrapped = interceptor(descriptor, base);
    wrapped.start({ onReceiveMetadata: () => undefined, onReceiveMessage: () => undefined, onReceiveHalfClose: () => undefined, onCancel: () => undefined });
    listener()!.onReceiveMetadata(new grpc.Metadata());
    // The handler's own read (Server.principalOf) goes through the call the interceptor returned.
    expect(peerCertificateOf(wrapped)).toBe(cert);
    expect(peerCertificateOf(wrapped)).toBe(cert);
    expect(reads).toBe(1);
    expect(statuses).toEqual([]);
  });
});
