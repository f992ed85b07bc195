/**
 * The node's `KeyWatch` over gRPC: one long-lived `Keys.Watch` stream to a
 * key manager (any member serves it from its applied state), re-opened on
 * the next endpoint after a short, growing pause when it ends.
 *
 * Every (re)connection starts with the whole tenant table. Since events
 * that happened while disconnected are not replayed, the table is compared
 * with what this watch last knew: a tenant now shredded yields
 * `tenant-shredded`, a KEK version that moved yields `kek-rotated` — so a
 * node never keeps a key across an invalidation it missed (and the TTL
 * bounds the gap in any case).
 */
import type * as grpc from '@grpc/grpc-js';
import { toTesseraError, type Logger } from '@tessera/common';
import type { KeyEvent__Output } from '@tessera/wire';
import { eventFromWire } from '../grpc/convert.js';
import type { KmEvent } from '../state/results.js';
import type { KeyManagerClient } from './km-client.js';
import type { KeyWatch } from './types.js';

export interface GrpcKeyWatchOptions {
  readonly logger?: Logger;
  /** First and longest pause before reconnecting. Defaults 100 ms and 2 s. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** What the watch needs of a `KeyManagerClient`. */
export type WatchSource = Pick<KeyManagerClient, 'watch' | 'preferred' | 'nextEndpoint'>;

export interface GrpcKeyWatchStats {
  connects: number;
  events: number;
  /** Invalidations derived from a table that differed from what this watch knew. */
  catchUps: number;
}

interface Known {
  kekVersion: number;
  shredded: boolean;
}

export class GrpcKeyWatch implements KeyWatch {
  readonly stats: GrpcKeyWatchStats = { connects: 0, events: 0, catchUps: 0 };
  readonly #client: WatchSource;
  readonly #options: GrpcKeyWatchOptions;
  readonly #listeners = new Set<(event: KmEvent) => void>();
  readonly #known = new Map<string, Known>();
  readonly #syncWaiters: Array<() => void> = [];
  #stream: grpc.ClientReadableStream<KeyEvent__Output> | undefined;
  #address: string;
  #backoffMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #synced = false;
  #closed = false;

  constructor(client: WatchSource, options: GrpcKeyWatchOptions = {}) {
    this.#client = client;
    this.#options = options;
    this.#address = client.preferred;
  }

  subscribe(listener: (event: KmEvent) => void): () => void {
    this.#listeners.add(listener);
    if (this.#stream === undefined && this.#timer === undefined && !this.#closed) this.#open();
    return () => this.#listeners.delete(listener);
  }

  /** True while connected and past the initial table. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Resolves once a stream has delivered its initial table. */
  whenSynced(): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve) => this.#syncWaiters.push(resolve));
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stream?.cancel();
    this.#stream = undefined;
    this.#listeners.clear();
  }

  #open(): void {
    if (this.#closed) return;
    this.#synced = false;
    let stream: grpc.ClientReadableStream<KeyEvent__Output>;
    try {
      stream = this.#client.watch({}, this.#address);
    } catch {
      this.#retry();
      return;
    }
    this.#stream = stream;
    this.stats.connects++;
    stream.on('data', (raw: KeyEvent__Output) => this.#onData(raw));
    stream.on('error', (err: Error) => {
      this.#options.logger?.debug('key watch ended', { code: toTesseraError(err).code });
      this.#ended(stream);
    });
    stream.on('end', () => this.#ended(stream));
  }

  #ended(stream: grpc.ClientReadableStream<KeyEvent__Output>): void {
    if (this.#stream !== stream) return;
    this.#stream = undefined;
    this.#synced = false;
    this.#address = this.#client.nextEndpoint(this.#address);
    this.#retry();
  }

  #retry(): void {
    if (this.#closed || this.#timer !== undefined) return;
    const min = this.#options.minBackoffMs ?? 100;
    this.#backoffMs = Math.min(this.#options.maxBackoffMs ?? 2_000, Math.max(min, this.#backoffMs * 2));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#open();
    }, this.#backoffMs);
  }

  #onData(raw: KeyEvent__Output): void {
    let parsed;
    try {
      parsed = eventFromWire(raw);
    } catch (err) {
      this.#options.logger?.warn('malformed key event ignored', { code: toTesseraError(err).code });
      return;
    }
    this.stats.events++;
    const event = parsed.event;
    if (event === 'synced') {
      this.#synced = true;
      this.#backoffMs = 0;
      for (const resolve of this.#syncWaiters.splice(0)) resolve();
      return;
    }
    if (event.kind === 'tenant-changed') this.#catchUp(event.tenant.id, event.tenant.kekVersion, event.tenant.state === 'shredded');
    // An invalidation already passed on (derived from the table) is not passed on twice.
    if (event.kind === 'tenant-shredded') {
      if (this.#known.get(event.tenant)?.shredded === true) return;
      this.#remember(event.tenant, { shredded: true });
    }
    if (event.kind === 'kek-rotated') {
      if ((this.#known.get(event.tenant)?.kekVersion ?? 0) >= event.kekVersion) return;
      this.#remember(event.tenant, { kekVersion: event.kekVersion });
    }
    this.#emit(event);
  }

  /** Derives the invalidations a tenant's current record implies that this watch has not passed on yet. */
  #catchUp(tenant: string, kekVersion: number, shredded: boolean): void {
    const known = this.#known.get(tenant);
    if (shredded && known?.shredded !== true) {
      this.stats.catchUps++;
      this.#remember(tenant, { shredded: true });
      this.#emit({ kind: 'tenant-shredded', tenant });
      return;
    }
    if (known !== undefined && !shredded && kekVersion > known.kekVersion) {
      this.stats.catchUps++;
      this.#emit({ kind: 'kek-rotated', tenant, kekVersion });
    }
    this.#remember(tenant, { kekVersion });
  }

  #remember(tenant: string, update: Partial<Known>): void {
    const known = this.#known.get(tenant) ?? { kekVersion: 0, shredded: false };
    this.#known.set(tenant, { kekVersion: Math.max(known.kekVersion, update.kekVersion ?? 0), shredded: known.shredded || update.shredded === true });
  }

  #emit(event: KmEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // One listener's failure must not keep keys alive in another.
      }
    }
  }
}
