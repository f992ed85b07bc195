/**
 * One fault proxy per directed link among N processes: the link `a -> b`
 * carries every connection `a` opens to `b` (its requests forward, `b`'s
 * replies backward). Each node is started with `peersConfig(id)` as its
 * config's `peers` field (`peers.<id>.address`, which wins over committed
 * addresses), so all its outgoing traffic crosses the proxies.
 *
 * Proxies listen before any node starts; a node's real address is known only
 * once it is up (port 0), so targets are set afterwards with `setTarget` (and
 * again after a restart). Until then a link resets its connections.
 *
 * Each directed link has a second proxy for the bulk port (ADR 0026: shard
 * bytes beside gRPC), given as `peers.<id>.bulkAddress`; every fault (cut,
 * partition, isolate, heal) applies to both, so a partition cuts shard
 * writes exactly as it cuts Raft and Fabric calls.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { FaultProxy, type ProxyStats } from './proxy.js';

export interface ProxyMeshOptions {
  /** Base seed; link i (in `links()` order) uses `seed + i`. Default 1. */
  readonly seed?: number;
  /** Known target addresses by id (`host:port`); others can be set later. */
  readonly targets?: Readonly<Record<string, string>>;
}

/** A node config's `peers` override: per peer id, the address to dial and the bulk port's. */
export type PeersOverride = Record<string, { address: string; bulkAddress?: string }>;

const linkName = (from: string, to: string): string => `${from}->${to}`;
/** The bulk link's seeds follow the peer links' (which use seed .. seed + n(n-1) - 1). */
const BULK_SEED_OFFSET = 100_000;

export class ProxyMesh {
  private constructor(
    readonly ids: readonly string[],
    private readonly proxies: ReadonlyMap<string, FaultProxy>,
    private readonly bulkProxies: ReadonlyMap<string, FaultProxy>,
  ) {}

  static async start(ids: readonly string[], options: ProxyMeshOptions = {}): Promise<ProxyMesh> {
    if (new Set(ids).size !== ids.length) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'mesh ids must be distinct');
    const baseSeed = options.seed ?? 1;
    const proxies = new Map<string, FaultProxy>();
    const bulkProxies = new Map<string, FaultProxy>();
    try {
      let index = 0;
      for (const from of ids) {
        for (const to of ids) {
          if (from === to) continue;
          const target = options.targets?.[to];
          const proxy = await FaultProxy.start({ seed: baseSeed + index, ...(target !== undefined ? { target } : {}) });
          proxies.set(linkName(from, to), proxy);
          bulkProxies.set(linkName(from, to), await FaultProxy.start({ seed: baseSeed + BULK_SEED_OFFSET + index }));
          index += 1;
        }
      }
    } catch (error) {
      await Promise.all([...proxies.values(), ...bulkProxies.values()].map((p) => p.close()));
      throw error;
    }
    return new ProxyMesh([...ids], proxies, bulkProxies);
  }

  /** The proxy carrying connections that `from` opens to `to`. */
  link(from: string, to: string): FaultProxy {
    const proxy = this.proxies.get(linkName(from, to));
    if (proxy === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `no link ${linkName(from, to)} in this mesh`);
    return proxy;
  }

  /** The proxy carrying the bulk-port connections that `from` opens to `to`. */
  bulkLink(from: string, to: string): FaultProxy {
    const proxy = this.bulkProxies.get(linkName(from, to));
    if (proxy === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `no link ${linkName(from, to)} in this mesh`);
    return proxy;
  }

  /** Every directed link as `[from, to]`, in seed order. */
  links(): Array<[string, string]> {
    return this.ids.flatMap((from) => this.ids.filter((to) => to !== from).map((to): [string, string] => [from, to]));
  }

  /** The `peers` field of node `id`'s config: each peer reached through its proxy. */
  peersConfig(id: string): PeersOverride {
    const peers: PeersOverride = {};
    for (const to of this.ids) if (to !== id) peers[to] = { address: this.link(id, to).address, bulkAddress: this.bulkLink(id, to).address };
    return peers;
  }

  /** `peersConfig` for every node. */
  peersConfigs(): Record<string, PeersOverride> {
    return Object.fromEntries(this.ids.map((id) => [id, this.peersConfig(id)]));
  }

  /**
   * Where node `id` really listens (its peer port, and its bulk port when it
   * serves one), for every link into it; `undefined` resets them.
   */
  setTarget(id: string, address: string | undefined, bulkAddress?: string): void {
    for (const from of this.ids) {
      if (from === id) continue;
      this.link(from, id).setTarget(address);
      this.bulkLink(from, id).setTarget(address === undefined ? undefined : bulkAddress);
    }
  }

  /**
   * Drops everything `from` sends to `to` — its requests on `from -> to` and
   * its replies on `to -> from` — while `to` still reaches `from`: an
   * asymmetric cut at the level of messages.
   */
  blockMessages(from: string, to: string): void {
    for (const link of [this.link.bind(this), this.bulkLink.bind(this)]) {
      link(from, to).cut('forward');
      link(to, from).cut('backward');
    }
  }

  /** Cuts both ways between every pair of nodes in different groups. Nodes in no group are untouched. */
  partition(groups: readonly (readonly string[])[]): void {
    const groupOf = new Map<string, number>();
    groups.forEach((group, i) => group.forEach((id) => groupOf.set(id, i)));
    for (const [from, to] of this.links()) {
      const a = groupOf.get(from);
      const b = groupOf.get(to);
      if (a !== undefined && b !== undefined && a !== b) {
        this.link(from, to).cut('both');
        this.bulkLink(from, to).cut('both');
      }
    }
  }

  /** Cuts node `id` off from every other node. */
  isolate(id: string): void {
    this.partition([[id], this.ids.filter((other) => other !== id)]);
  }

  /** Heals every link. */
  heal(): void {
    for (const proxy of [...this.proxies.values(), ...this.bulkProxies.values()]) proxy.heal();
  }

  /** Stats by link name (`a->b`; the bulk port's link `a->b bulk`). */
  stats(): Record<string, ProxyStats> {
    return Object.fromEntries([
      ...[...this.proxies].map(([name, proxy]) => [name, proxy.stats()] as const),
      ...[...this.bulkProxies].map(([name, proxy]) => [`${name} bulk`, proxy.stats()] as const),
    ]);
  }

  /** Closes every proxy and waits for all their sockets. */
  async close(): Promise<void> {
    await Promise.all([...this.proxies.values(), ...this.bulkProxies.values()].map((p) => p.close()));
  }
}
