/**
 * An audit log held entirely in memory: the pure chains plus their entries.
 * For tests and for hosts whose trails are small; a Raft state machine keeps
 * `AuditChains` in its state and writes the appended entries to its own store.
 */
import { AuditChains, type AppendedEntry } from './chains.js';
import type { ChainId } from './chain-id.js';
import type { AuditEntry } from './entry.js';
import type { AuditHead } from './head.js';
import type { AuditRecord } from './record.js';
import type { AuditTrail } from './trail.js';

export class MemoryAuditLog {
  readonly chains = new AuditChains();
  readonly #entries = new Map<ChainId, AuditEntry[]>();

  append(chain: ChainId, record: AuditRecord, timestampMs: number): AppendedEntry {
    const appended = this.chains.append(chain, record, timestampMs);
    let list = this.#entries.get(chain);
    if (list === undefined) {
      list = [];
      this.#entries.set(chain, list);
    }
    list.push(appended.entry);
    return appended;
  }

  entries(chain: ChainId): readonly AuditEntry[] {
    return this.#entries.get(chain) ?? [];
  }

  trail(chain: ChainId): AuditTrail {
    return { chain, entries: [...this.entries(chain)] };
  }

  head(domain: string, timestampMs: number, select?: readonly ChainId[]): AuditHead {
    return buildHead(this.chains, domain, timestampMs, select);
  }
}

/** An unsigned head over `chains` (every chain, or those selected). */
export function buildHead(chains: AuditChains, domain: string, timestampMs: number, select?: readonly ChainId[]): AuditHead {
  return { domain, timestampMs, chains: chains.heads(select) };
}
