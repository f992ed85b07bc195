/**
 * gRPC server credentials with the TLS settings grpc-js does not expose:
 * TLS 1.3 minimum, a required and verified client certificate, CRLs, and hot
 * reload.
 *
 * grpc-js 1.14 (pinned exactly: this relies on its internals) builds each
 * listening http2 server from `_getConstructorOptions()` (server options) and
 * `_getSecureContextOptions()` (tls.SecureContextOptions), and registers a
 * watcher through `_addWatcher`; `updateSecureContextOptions` hands new
 * options to every watcher, which calls `http2Server.setSecureContext`. New
 * connections use the new context; established ones keep theirs.
 *
 * `setSecureContext` rebuilds the context from the options it is given only,
 * so `minVersion` is part of every context we hand over: without it a reload
 * would silently allow TLS 1.2 again (tested).
 */
import * as grpc from '@grpc/grpc-js';
import type { SecureServerOptions } from 'node:http2';
import type { SecureContextOptions } from 'node:tls';
import type { TlsMaterial } from './material.js';
import type { TrustStore } from './trust.js';

export const TLS_MIN_VERSION = 'TLSv1.3';

/** The secure-context part: identity, trust anchors, CRLs, protocol floor. */
export function serverContextOptions(material: TlsMaterial, trust: TrustStore): SecureContextOptions {
  return {
    minVersion: TLS_MIN_VERSION,
    cert: material.cert,
    key: material.key,
    ca: [...trust.ca],
    crl: [...trust.crl],
  };
}

/** The server part, fixed for the life of the listener. */
const SERVER_OPTIONS: SecureServerOptions = {
  minVersion: TLS_MIN_VERSION,
  requestCert: true,
  rejectUnauthorized: true,
  // Latency over throughput for Raft heartbeats and small RPCs.
  noDelay: true,
};

export class ReloadableServerCredentials extends grpc.ServerCredentials {
  constructor(initial: SecureContextOptions) {
    super({ ...SERVER_OPTIONS }, withFloor(initial));
  }

  /** New connections will use `options` (the TLS 1.3 floor is always kept). */
  update(options: SecureContextOptions): void {
    this.updateSecureContextOptions(withFloor(options));
  }

  _equals(other: grpc.ServerCredentials): boolean {
    return other === this;
  }
}

function withFloor(options: SecureContextOptions): SecureContextOptions {
  return { ...options, minVersion: TLS_MIN_VERSION };
}
