/**
 * Where transport security events go: authentication and authorization
 * refusals, TLS reloads. Callers only ever see a generic status
 * (UNAUTHENTICATED, PERMISSION_DENIED); the reason is recorded here.
 *
 * Events name methods, principals (SPIFFE ids), reasons and *field names* —
 * never field values, which may be object names (K1) or secrets. The real
 * hash-chained audit module arrives with the key manager; `JsonlFileAuditSink`
 * stands in until then.
 */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { Logger } from '@tessera/common';

export type AuditEventType =
  | 'rpc.unauthenticated'
  | 'rpc.denied'
  | 'tls.reloaded'
  | 'tls.reload_failed'
  | 'tls.tenant_ca_skipped';

export interface AuditEvent {
  readonly type: AuditEventType;
  /** Which port kind (peer, client, keys) saw it. */
  readonly port?: string;
  /** gRPC method path. */
  readonly method?: string;
  /** SPIFFE id of the caller, when authenticated. */
  readonly principal?: string;
  /** Remote address (ip:port). */
  readonly peer?: string;
  /** Stable reason code, e.g. `kind-not-allowed`, `not-issued-by-tenant-ca`. */
  readonly reason?: string;
  /** Name of the request field that caused a tenant-scope refusal. */
  readonly field?: string;
  /** Tenant concerned (a tenant CA skipped from the trust store). */
  readonly tenant?: string;
}

export interface AuditSink {
  record(event: AuditEvent): void;
}

/** Keeps events in memory (tests, and processes that forward them elsewhere). */
export class MemoryAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  record(event: AuditEvent): void {
    this.events.push(event);
  }
}

/** Discards events. */
export const NULL_AUDIT_SINK: AuditSink = { record: () => undefined };

/**
 * Appends one JSON object per line to a file (mode 0600), through the
 * secret-refusing logger. Writes are buffered (a flood of refused calls must
 * not block the event loop on disk).
 */
export class JsonlFileAuditSink implements AuditSink {
  private readonly stream: WriteStream;
  private readonly logger: Logger;
  private error: Error | undefined;

  constructor(file: string) {
    this.stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
    // An unwritable audit file must not take the server down; the error is kept for close().
    this.stream.on('error', (err) => {
      this.error = err;
    });
    this.logger = new Logger({ level: 'info', sink: { write: (line) => this.stream.write(line) } });
  }

  record(event: AuditEvent): void {
    const { type, ...fields } = event;
    this.logger.info(type, fields);
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.end(() => (this.error === undefined ? resolve() : reject(this.error)));
    });
  }
}
