/**
 * The bridge from @tessera/transport's `AuditSink` (authentication and
 * authorization refusals, TLS reloads) into hash-chained audit records.
 *
 * The event and sink shapes are declared here structurally (this package
 * does not depend on the transport), so an `AuditSinkAdapter` can be handed
 * to the transport's servers as their `AuditSink` as is.
 *
 * Denials (`rpc.denied`, `rpc.unauthenticated`) go through a
 * `DenialAggregator`; other events are forwarded at once. `record` never
 * throws: a field that cannot be encoded (non-ASCII, too long) is replaced by
 * `?`, because an audit sink must not turn a refused call into a crash.
 * Events by a tenant principal (or naming a tenant) go to that tenant's
 * chain, the rest to the system chain.
 */
import { SYSTEM_CHAIN, tenantChain, type ChainId } from './chain-id.js';
import { DenialAggregator, type ChainRecord } from './aggregate.js';
import { AUDIT_LIMITS, type AuditRecord } from './record.js';
import { isValidTenantId } from '@tessera/common';

/** Same shape as @tessera/transport's `AuditEvent`. */
export interface TransportAuditEvent {
  readonly type: string;
  readonly port?: string;
  readonly method?: string;
  readonly principal?: string;
  readonly peer?: string;
  readonly reason?: string;
  readonly field?: string;
  readonly tenant?: string;
}

/** Where finished records go: a key manager proposes them as one Raft command. */
export interface AuditAppender {
  append(records: readonly ChainRecord[]): void;
}

export interface AuditSinkAdapterOptions {
  readonly appender: AuditAppender;
  readonly aggregator?: DenialAggregator;
  /** Wall-clock milliseconds; default Date.now. */
  readonly clock?: () => number;
}

const DENIAL_TYPES: ReadonlySet<string> = new Set(['rpc.denied', 'rpc.unauthenticated']);
const TYPE_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
const PRINTABLE = /^[\x21-\x7e]*$/;
const TENANT_PRINCIPAL = /^spiffe:\/\/[^/]+\/tenant\/([a-z0-9-]{1,63})\//;

export class AuditSinkAdapter {
  readonly #appender: AuditAppender;
  readonly #aggregator: DenialAggregator;
  readonly #clock: () => number;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: AuditSinkAdapterOptions) {
    this.#appender = options.appender;
    this.#aggregator = options.aggregator ?? new DenialAggregator();
    this.#clock = options.clock ?? Date.now;
  }

  /** The transport's `AuditSink.record`. */
  record(event: TransportAuditEvent): void {
    try {
      const type = TYPE_PATTERN.test(event.type) ? event.type : 'transport.unknown';
      const principal = safe(event.principal ?? '', AUDIT_LIMITS.principalBytes);
      const method = safe(event.method ?? '', AUDIT_LIMITS.methodBytes);
      const reason = safe(event.reason ?? '', AUDIT_LIMITS.reasonBytes);
      const chain = chainFor(principal, event.tenant);
      if (DENIAL_TYPES.has(type)) {
        this.#aggregator.record({ chain, type, principal, method, reason, atMs: this.#clock() });
        return;
      }
      const record: AuditRecord = {
        type,
        principal,
        method,
        reason,
        outcome: type.endsWith('_failed') ? 'failed' : 'ok',
        ...(event.tenant !== undefined && isValidTenantId(event.tenant) ? { targets: [{ kind: 'tenant', tenant: event.tenant }] } : {}),
      };
      this.#appender.append([{ chain, record }]);
    } catch {
      // Never let auditing take a server down; the appender reports its own failures.
    }
  }

  /** Forwards every denial window that has closed. */
  flush(nowMs: number = this.#clock()): void {
    const due = this.#aggregator.flush(nowMs);
    if (due.length > 0) this.#appender.append(due);
  }

  /** Flushes closed windows every `intervalMs` (unref'd: it never keeps a process alive). */
  startTimer(intervalMs = 5_000): void {
    this.stopTimer();
    this.#timer = setInterval(() => this.flush(), intervalMs);
    this.#timer.unref();
  }

  stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Stops the timer and forwards everything pending, closed window or not. */
  close(): void {
    this.stopTimer();
    const rest = this.#aggregator.drain();
    if (rest.length > 0) this.#appender.append(rest);
  }
}

function safe(value: string, max: number): string {
  return value.length <= max && PRINTABLE.test(value) ? value : '?';
}

function chainFor(principal: string, tenant: string | undefined): ChainId {
  const fromPrincipal = TENANT_PRINCIPAL.exec(principal)?.[1];
  if (fromPrincipal !== undefined) return tenantChain(fromPrincipal);
  if (tenant !== undefined && isValidTenantId(tenant)) return tenantChain(tenant);
  return SYSTEM_CHAIN;
}
