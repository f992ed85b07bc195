/**
 * What a seed decides before the first step: the network's behaviour, the
 * core's flow-control settings, and the fault profile with its rates. Every
 * draw comes from the seed's configuration stream, in a fixed order.
 */
import type { NetworkProfile } from './network.js';
import type { NodeSettings } from './node.js';
import type { SimRng } from './rng.js';
import { PROFILES, type SimOptions, type SimProfile } from './types.js';

/** Per-step probabilities (and a few switches) of each fault. */
export interface FaultRates {
  readonly propose: number;
  readonly restartMax: number;
  readonly killNewLeader: number;
  readonly killLeader: number;
  readonly crashAfterVote: number;
  readonly replacePartition: boolean;
  readonly isolateNewLeader: number;
  readonly isolateAfterFirstCommit: number;
  readonly read: number;
  readonly crash: number;
  readonly split: number;
  readonly crashWhilePersisting: number;
  readonly partition: number;
  readonly heal: number;
  readonly transfer: number;
  readonly membership: number;
  readonly wipe: number;
  readonly corrupt: number;
  readonly snapshot: number;
}

export interface SimSetup {
  readonly profile: SimProfile;
  readonly network: NetworkProfile;
  readonly settings: NodeSettings;
  readonly faults: FaultRates;
}

export function drawSetup(cfg: SimRng, options: Pick<SimOptions, 'profile' | 'mutations'>): SimSetup {
  const network: NetworkProfile = {
    drop: cfg.pick([0, 0.01, 0.05, 0.15]),
    duplicate: cfg.pick([0, 0.01, 0.05]),
    maxDelay: cfg.pick([0, 1, 2, 4]),
  };
  // A fault profile per seed: calm, crash-heavy, partition-heavy, flapping
  // partitions (many short-lived leaders), or a bit of everything.
  const drawn = cfg.pick(PROFILES);
  const profileName: SimProfile = options.profile ?? drawn;
  const sizes = cfg.pick([1, 64, 1024 * 1024]);
  const settings: NodeSettings = {
    electionTick: 10,
    heartbeatTick: 1,
    // Small budgets split appends into one or two entries per message,
    // which is what exposes commit-rule bugs (Figure 8): always small under
    // flapping partitions.
    maxSizePerMsg: profileName === 'flapping' && sizes > 64 ? 1 : sizes,
    maxInflightMsgs: cfg.pick([1, 4, 256]),
    maxInflightBytes: cfg.pick([0, 256]),
    maxUncommittedEntriesSize: cfg.pick([0, 512, 1024 * 1024]),
    mutations: options.mutations ?? new Set(),
  };
  const crashy = profileName === 'crashy' || profileName === 'mixed';
  const parted = profileName === 'partitions' || profileName === 'mixed';
  // Partitions replaced every few election timeouts or faster: many
  // short-lived leaders whose entries reach only a minority (Figure 8).
  const flapping = profileName === 'flapping';
  const faults: FaultRates = {
    propose: cfg.pick([0.2, 0.5, 0.9]),
    read: 0.05,
    crash: crashy ? cfg.pick([0.01, 0.03]) : 0.002,
    restartMax: crashy ? cfg.pick([15, 60]) : 60,
    split: cfg.pick([0, 0.2, 0.5]),
    crashWhilePersisting: crashy ? 0.03 : 0.005,
    // The classic nemesis: kill a leader soon after it is elected, while its
    // first entries are still on a minority.
    killNewLeader: crashy ? cfg.pick([0.1, 0.3]) : 0.02,
    killLeader: crashy ? cfg.pick([0.01, 0.03]) : 0.002,
    // Power loss right after granting a vote (etcd #14143).
    crashAfterVote: crashy ? cfg.pick([0.05, 0.2]) : 0.01,
    partition: flapping ? cfg.pick([0.05, 0.1]) : parted ? cfg.pick([0.01, 0.03]) : 0.003,
    heal: parted ? cfg.pick([0.03, 0.1]) : 0.015,
    replacePartition: flapping,
    // Cut a new leader off within a few round trips, so that its entries
    // reach only a minority (and in-flight ones are lost).
    isolateNewLeader: flapping ? cfg.pick([0.7, 0.9]) : parted ? 0.1 : 0.02,
    // Cut a new leader off right as its commit index first moves: the moment
    // it commits what earlier terms left behind (Figure 8's critical point).
    isolateAfterFirstCommit: flapping ? cfg.pick([0.7, 0.9]) : parted ? 0.1 : 0.02,
    transfer: cfg.pick([0.001, 0.005]),
    membership: cfg.pick([0.001, 0.004]),
    wipe: cfg.pick([0, 0.0005, 0.001]),
    corrupt: cfg.pick([0, 0.0005, 0.001]),
    snapshot: cfg.pick([0.01, 0.05]),
  };
  // Drawn last so that every earlier draw (and so each seed's setup) is as before ADR 0024.
  const deferCommitBroadcast = cfg.pick([false, true]);
  return { profile: profileName, network, settings: { ...settings, deferCommitBroadcast }, faults };
}
