/**
 * The node's transport audit sink (issue #9): every event still goes to the
 * local `audit.jsonl` (the node's own record, kept when Raft is down), and,
 * once the metadata proposer exists, into the metadata group's chains
 * through an `AuditSinkAdapter` — refusals aggregated per (principal,
 * method, minute) before they enter Raft, events of a tenant principal in
 * that tenant's chain. Bound late because the peer port (whose server takes
 * this sink) starts before Raft.
 */
import type { AuditSinkAdapter } from '@tessera/audit';
import type { AuditEvent, AuditSink } from '@tessera/transport';

export class NodeTransportAuditSink implements AuditSink {
  #chained: AuditSinkAdapter | undefined;

  constructor(private readonly local: AuditSink) {}

  bind(adapter: AuditSinkAdapter): void {
    this.#chained = adapter;
  }

  record(event: AuditEvent): void {
    this.local.record(event);
    this.#chained?.record(event);
  }

  /** Forwards what is pending and stops the adapter's timer. */
  close(): void {
    this.#chained?.close();
    this.#chained = undefined;
  }
}
