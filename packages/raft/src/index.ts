// Public entry of @tessera/raft.

// The contract between the core and the driver/storage (types.ts).
export { ConfChangeType, EntryType, MessageType, NONE, RejectReason, StateRole } from './types.js';
export type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  InitialState,
  MaybePromise,
  MemberInfo,
  Message,
  MutationName,
  NodeId,
  ProposalOutcome,
  RaftConfig,
  RaftLogReader,
  RaftLogger,
  RaftStorage,
  RaftStorageWriter,
  RandomInt,
  ReadState,
  Ready,
  RequestOutcome,
  Snapshot,
  SnapshotMetadata,
  SoftState,
  StorageUpdate,
} from './types.js';
export {
  CorruptEntryError,
  compactedError,
  corruptEntryError,
  invariantError,
  isCompacted,
  isCorrupt,
  isUnavailable,
  snapshotOutOfDateError,
  snapshotUnavailableError,
  unavailableError,
} from './errors.js';
export { ENTRY_OVERHEAD_BYTES, entriesSize, entrySize, limitSize, payloadSize } from './entry.js';
export { decodeConfChange, encodeConfChange } from './codec/confchange.js';
export { MUTATE_ENV, MUTATION_NAMES, envMutations, parseMutations } from './mutate.js';
export { crc32c } from './storage/checksum.js';
export { RaftCore } from './core/core.js';
export type { ProgressStatus, ProposeConfChangeOptions, RaftStatus } from './core/core.js';
export { applyConfChange, validateConfChange } from './core/confchange.js';
export { MemoryRaftStorage } from './storage/memory.js';
export type { MemoryRaftStorageOptions } from './storage/memory.js';

// Driver, transport, sessions and durable storage (the I/O shell around the core).
export * from './node/index.js';
export * from './transport/index.js';
export * from './session/index.js';
export { CRASHSIM_ENV, crashSimEnabled, openDurableKv, simulatePowerLoss } from './storage/crashsim.js';
export type { DurableKvOptions } from './storage/crashsim.js';
export type { CrashOptions, DurableKv, KvOp, KvRange, KvWriteFault, KvWriteOptions } from './storage/level-kv.js';
export { LevelRaftStorage } from './storage/level.js';
export type { LevelRaftStorageOptions, SaveOptions, StoreIdentity, StoreInit } from './storage/level.js';

// Cross-process message encoding (for network transports).
export { MESSAGE_CODEC_VERSION, MESSAGE_LIMITS, decodeMessage, encodeMessage } from './codec/message.js';
