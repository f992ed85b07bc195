/**
 * Where each peer's bulk port is (ADR 0026), for FabricClients' shard
 * writes. A configured override wins (the chaos suite routes bulk links
 * through its fault proxies); otherwise the peer is asked once over its peer
 * port (Fabric.DescribeBulk) and the answer is kept. While the answer is
 * pending, or when a peer has no bulk port or could not be asked, writes use
 * Fabric.PutShard, and the peer is asked again after `retryMs`. A failed
 * bulk connection forgets the answer (the peer may have restarted on another
 * port).
 */
import { isBulkAddress, type BulkClients } from '@tessera/transport';
import type { BulkRoute } from './peer-client.js';

export interface BulkDirectoryOptions {
  readonly clients: BulkClients;
  /** Asks the node at a peer address for its bulk address ('' when it serves none). */
  readonly describe: (peerAddress: string) => Promise<string>;
  /** A configured bulk address for the node at this peer address. */
  readonly override?: (peerAddress: string) => string | undefined;
  /** How long a miss (no bulk port, or no answer) stands before the peer is asked again (default 30 s). */
  readonly retryMs?: number;
  readonly clock?: () => number;
}

type Entry = { readonly kind: 'known'; readonly address: string } | { readonly kind: 'asking' } | { readonly kind: 'none'; readonly until: number };

const DEFAULT_RETRY_MS = 30_000;

export class BulkDirectory implements BulkRoute {
  readonly clients: BulkClients;
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: BulkDirectoryOptions) {
    this.clients = options.clients;
  }

  bulkAddressOf(peerAddress: string): string | undefined {
    const override = this.options.override?.(peerAddress);
    if (override !== undefined) return override;
    const entry = this.entries.get(peerAddress);
    if (entry?.kind === 'known') return entry.address;
    if (entry?.kind === 'asking' || (entry?.kind === 'none' && entry.until > this.now())) return undefined;
    this.ask(peerAddress);
    return undefined;
  }

  /** A bulk connection to this peer failed: ask it again before the next bulk write. */
  failed(peerAddress: string): void {
    if (this.entries.get(peerAddress)?.kind === 'known') this.entries.delete(peerAddress);
  }

  private ask(peerAddress: string): void {
    this.entries.set(peerAddress, { kind: 'asking' });
    const miss = (): void => void this.entries.set(peerAddress, { kind: 'none', until: this.now() + (this.options.retryMs ?? DEFAULT_RETRY_MS) });
    this.options.describe(peerAddress).then((address) => {
      if (address === '' || !isBulkAddress(address)) miss();
      else this.entries.set(peerAddress, { kind: 'known', address });
    }, miss);
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }
}
