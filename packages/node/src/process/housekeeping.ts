/**
 * Keeping the cluster tidy without ever losing an acknowledged write
 * (DESIGN sections 6 and 7; issue #8). Two kinds of duty, re-checked every
 * turn so they survive elections, restarts and lost proposals:
 *
 * The metadata leader proposes, from committed state only:
 *  - `chunkDelete` for records GC may take (no references, no pending
 *    reference, past gcGrace) — the state machine re-checks at apply;
 *  - `chunkGone` for records condemned more than gcGrace ago (by then every
 *    live node has reconciled; a node that was down meets an unknown writeId
 *    and the orphan rule);
 *  - `dropRetired` for replaced placements older than gcGrace;
 *  - `compact` for tenants with superseded deltas or expired tombstones
 *    (header-only: no key is ever needed);
 *  - `setGcGrace` when the configured grace differs from the group's.
 *
 * Every node reconciles its local shards against the committed table at a
 * ReadIndex — never as a side effect of applying an entry, so a node
 * restored from a snapshot also deletes what it missed:
 *  - a shard the table keeps here (live or retired) stays;
 *  - a shard of a condemned record (deleting) goes;
 *  - a shard of a known writeId that the table does not place here (a slot
 *    that was re-placed while writing) goes once it is older than the commit
 *    deadline (a repair may still be about to commit it before then);
 *  - a shard of an unknown writeId is an orphan (a gateway that died before
 *    committing, or a record long gone): it goes only once the node's clock
 *    minus its gatewayTime exceeds orphanTTL, and never while the node's
 *    clock is more than 5 min off the latest leader timestamp it applied.
 */
import type { Logger } from '@tessera/common';
import type { ShardKey, ShardStore } from '@tessera/storage';
import type { MetadataProposer } from '../data/proposer.js';
import type { MetadataMachine } from '../metadata/machine.js';
import type { MetadataCommand } from '../metadata/commands.js';
import { COMMIT_DEADLINE_MS } from '../metadata/state.js';

export const DEFAULT_ORPHAN_TTL_MS = 60 * 60 * 1000;
/** A node whose clock is further than this from the leader's never reclaims orphans. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
export const DEFAULT_TOMBSTONE_TTL_MS = 24 * 60 * 60 * 1000;
/** Work proposed per leader turn, per kind (bounded so a backlog never floods the log). */
const BATCH = 100;
const LIST_PAGE = 1_000;

export interface HousekeepingConfig {
  /** Leader turns (GC, compaction, retired placements). Default 2 s. */
  readonly leaderIntervalMs: number;
  /** Local shard reconciliation. Default 30 s. */
  readonly reconcileIntervalMs: number;
  readonly orphanTtlMs: number;
  readonly tombstoneTtlMs: number;
  /** The group's gcGrace the leader keeps committed; undefined leaves the group's value alone. */
  readonly gcGraceMs?: number;
}

export const DEFAULT_HOUSEKEEPING: HousekeepingConfig = {
  leaderIntervalMs: 2_000,
  reconcileIntervalMs: 30_000,
  orphanTtlMs: DEFAULT_ORPHAN_TTL_MS,
  tombstoneTtlMs: DEFAULT_TOMBSTONE_TTL_MS,
};

export interface HousekeepingOptions {
  readonly nodeId: string;
  readonly machine: MetadataMachine;
  readonly proposer: Pick<MetadataProposer, 'propose' | 'isLeader'>;
  readonly store: Pick<ShardStore, 'deviceIds' | 'listShards' | 'deleteShard'>;
  /** Linearizable read barrier on this node. */
  readonly readBarrier: () => Promise<void>;
  /** This node's wall clock (ms since the epoch). */
  readonly clock: () => number;
  readonly config: HousekeepingConfig;
  readonly logger: Logger;
}

export interface HousekeepingStats {
  chunkDeletesProposed: number;
  chunkGonesProposed: number;
  retiredDropsProposed: number;
  compactionsProposed: number;
  reconcilePasses: number;
  shardsDeletedCondemned: number;
  shardsDeletedStray: number;
  shardsDeletedOrphan: number;
  /** Reconcile passes that reclaimed no orphan because the clock was too far off the leader's. */
  orphanPassesSkippedForSkew: number;
}

export class Housekeeping {
  readonly stats: HousekeepingStats = {
    chunkDeletesProposed: 0,
    chunkGonesProposed: 0,
    retiredDropsProposed: 0,
    compactionsProposed: 0,
    reconcilePasses: 0,
    shardsDeletedCondemned: 0,
    shardsDeletedStray: 0,
    shardsDeletedOrphan: 0,
    orphanPassesSkippedForSkew: 0,
  };
  private timers: NodeJS.Timeout[] = [];
  private leaderBusy = false;
  private reconcileBusy = false;

  constructor(private readonly options: HousekeepingOptions) {}

  start(): void {
    const { config } = this.options;
    const every = (ms: number, fn: () => Promise<void>): void => {
      const t = setInterval(() => void fn(), ms);
      t.unref();
      this.timers.push(t);
    };
    every(config.leaderIntervalMs, () => this.leaderTurn());
    every(config.reconcileIntervalMs, () => this.reconcileTurn());
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** One pass of the leader's duties (public so tests can drive it). */
  async leaderTurn(): Promise<void> {
    if (this.leaderBusy || !this.options.proposer.isLeader()) return;
    this.leaderBusy = true;
    try {
      const before = { ...this.stats };
      await this.keepGcGrace();
      await this.collect();
      await this.compact();
      const done = {
        chunkDeletes: this.stats.chunkDeletesProposed - before.chunkDeletesProposed,
        chunkGones: this.stats.chunkGonesProposed - before.chunkGonesProposed,
        retiredDrops: this.stats.retiredDropsProposed - before.retiredDropsProposed,
        compactions: this.stats.compactionsProposed - before.compactionsProposed,
      };
      if (Object.values(done).some((n) => n > 0)) this.options.logger.info('housekeeping committed', done);
    } catch (err) {
      this.options.logger.debug('housekeeping deferred', { errorCode: codeOf(err) });
    } finally {
      this.leaderBusy = false;
    }
  }

  /** One reconciliation pass over this node's devices (public so tests can drive it). */
  async reconcileTurn(): Promise<void> {
    if (this.reconcileBusy) return;
    this.reconcileBusy = true;
    try {
      await this.reconcile();
    } catch (err) {
      this.options.logger.warn('shard reconciliation deferred', { errorCode: codeOf(err) });
    } finally {
      this.reconcileBusy = false;
    }
  }

  private async propose(command: MetadataCommand): Promise<boolean> {
    const result = await this.options.proposer.propose(command);
    return result.kind !== 'error';
  }

  private async keepGcGrace(): Promise<void> {
    const wanted = this.options.config.gcGraceMs;
    if (wanted === undefined || wanted === this.options.machine.gcGraceMs()) return;
    await this.propose({ op: 'setGcGrace', timeMs: this.options.clock(), gcGraceMs: wanted });
  }

  private async collect(): Promise<void> {
    const { machine, clock } = this.options;
    const now = machine.leaderTimeMs();
    const grace = machine.gcGraceMs();
    for (const c of machine.gcCandidates(now, BATCH)) {
      if (await this.propose({ op: 'chunkDelete', timeMs: clock(), chunkId: c.chunkId, writeId: c.writeId })) this.stats.chunkDeletesProposed++;
    }
    for (const record of machine.deletingChunks(BATCH)) {
      if (record.deletingAtMs + grace > now) break;
      if (await this.propose({ op: 'chunkGone', timeMs: clock(), chunkId: record.chunkId, writeId: record.writeId })) this.stats.chunkGonesProposed++;
    }
    for (const r of machine.retiredOlderThan(now - grace, BATCH)) {
      if (await this.propose({ op: 'dropRetired', timeMs: clock(), chunkId: r.chunkId, writeId: r.writeId })) this.stats.retiredDropsProposed++;
    }
  }

  private async compact(): Promise<void> {
    const { machine, clock, config } = this.options;
    for (const c of machine.compactionCandidates(BATCH, config.tombstoneTtlMs)) {
      if (await this.propose({ op: 'compact', timeMs: clock(), tenant: c.tenant, upToSeq: c.upToSeq, tombstoneTtlMs: config.tombstoneTtlMs })) this.stats.compactionsProposed++;
    }
  }

  private async reconcile(): Promise<void> {
    const { machine, store, nodeId, clock, config, logger } = this.options;
    const before = { ...this.stats };
    await this.options.readBarrier();
    const expected = new Map<string, 'live' | 'retired' | 'deleting'>();
    for (const s of machine.shardsExpectedOn(nodeId)) expected.set(shardId(s.deviceId, s.chunkId, s.writeId, s.shardIndex), s.disposition);
    const now = clock();
    const skewed = Math.abs(now - machine.leaderTimeMs()) > MAX_CLOCK_SKEW_MS;
    if (skewed) this.stats.orphanPassesSkippedForSkew++;
    for (const deviceId of store.deviceIds()) {
      let after: ShardKey | undefined;
      for (;;) {
        const page = await store.listShards(deviceId, { limit: LIST_PAGE, ...(after !== undefined ? { after } : {}) });
        for (const listing of page) {
          const { key } = listing;
          const disposition = expected.get(shardId(deviceId, key.chunkId, key.writeId, key.shardIndex));
          let reason: 'condemned' | 'stray' | 'orphan' | undefined;
          if (disposition === 'live' || disposition === 'retired') continue;
          if (disposition === 'deleting') reason = 'condemned';
          else if (machine.isKnownWriteId(key.writeId)) reason = now - listing.gatewayTime > COMMIT_DEADLINE_MS + 60_000 ? 'stray' : undefined;
          else reason = !skewed && now - listing.gatewayTime > config.orphanTtlMs ? 'orphan' : undefined;
          if (reason === undefined) continue;
          await store.deleteShard(deviceId, key, { gatewayTime: listing.gatewayTime });
          if (reason === 'condemned') this.stats.shardsDeletedCondemned++;
          else if (reason === 'stray') this.stats.shardsDeletedStray++;
          else this.stats.shardsDeletedOrphan++;
        }
        if (page.length < LIST_PAGE) break;
        after = page[page.length - 1]!.key;
      }
    }
    this.stats.reconcilePasses++;
    const deleted = {
      condemned: this.stats.shardsDeletedCondemned - before.shardsDeletedCondemned,
      stray: this.stats.shardsDeletedStray - before.shardsDeletedStray,
      orphan: this.stats.shardsDeletedOrphan - before.shardsDeletedOrphan,
    };
    if (deleted.condemned + deleted.stray + deleted.orphan > 0) logger.info('local shards reclaimed', deleted);
  }
}

function shardId(deviceId: string, chunkId: Uint8Array, writeId: Uint8Array, shardIndex: number): string {
  return `${deviceId}/${Buffer.from(chunkId).toString('hex')}/${Buffer.from(writeId).toString('hex')}/${shardIndex}`;
}

function codeOf(err: unknown): string {
  return (err as { code?: string }).code ?? 'UNKNOWN';
}
