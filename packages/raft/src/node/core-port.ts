/**
 * The surface of the pure Raft core the driver uses (src/core). Kept as an
 * interface so the driver depends on behaviour, not on the core's class, and
 * a test can drive it with a stub.
 */
import type { ConfChange, ConfState, Message, NodeId, ProposalOutcome, RaftConfig, Ready, RequestOutcome } from '../types.js';

export interface ConfChangeOptions {
  /** Allow a change that leaves exactly two voters (growing 1 -> 3 passes through 2). */
  readonly force?: boolean;
}

export interface RaftCorePort {
  tick(): void;
  step(message: Message): void;
  propose(data: Uint8Array): ProposalOutcome;
  /** Several proposals in one append; on success they occupy `index`, `index + 1`, ... */
  proposeMany(data: readonly Uint8Array[]): ProposalOutcome;
  proposeConfChange(change: ConfChange, options?: ConfChangeOptions): ProposalOutcome;
  readIndex(context: Uint8Array): RequestOutcome;
  transferLeader(to: NodeId): RequestOutcome;
  hasReady(): boolean;
  /** Deferred commit broadcast (ADR 0024): whether one is owed. */
  commitBroadcastOwed(): boolean;
  flushCommitBroadcast(): void;
  ready(): Ready;
  advance(ready: Ready): void;
  reportUnreachable(id: NodeId): void;
  reportSnapshot(id: NodeId, ok: boolean): void;
  /** The driver found a corrupt entry itself (the store's start-up scan). */
  reportCorruption(index: number): void;
  /** The configuration in effect (as of the last applied conf change). */
  confState(): ConfState;
}

export type RaftCoreFactory = (config: RaftConfig) => RaftCorePort;
