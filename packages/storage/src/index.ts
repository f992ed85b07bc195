// @tessera/storage: the node-local storage engine of DESIGN section 6 —
// devices, extent files, the shard index, group commit, placement, scrub,
// repair and evacuation. It knows shards and devices, not tenants or Raft.

// Devices and the node's store
export { ShardStore } from './store.js';
export type { DeviceConfig, ShardStoreOptions, UnavailableDevice } from './store.js';
export { DEFAULT_MAX_EXTENT_BYTES, Device } from './device/device.js';
export type { DeviceCounters, DeviceInfo, DeviceOpenReport, DeviceOptions, ShardListing, ShardWrite, StoredShard } from './device/device.js';
export { DEVICE_STATES, assertTransition, canTransition, capabilitiesOf, isDeviceState } from './device/state.js';
export type { DeviceCapabilities, DeviceState } from './device/state.js';
export { MAINTENANCE_RESERVE, THRESHOLDS, admitNewData, assertPlaceable, atLeast, deviceLimitFor, usageLevel } from './device/thresholds.js';
export type { UsageLevel, WritePurpose } from './device/thresholds.js';
export type { CompactionOptions, CompactionReport } from './device/compaction.js';
export { DEFAULT_SCRUB_RATE } from './device/scrub.js';
export type { ScrubOptions, ScrubRunReport } from './device/scrub.js';
export type { RecoveryReport } from './device/recovery.js';
export { SUPERBLOCK_FILE } from './device/superblock-file.js';
export type { Reinitialisation } from './device/superblock-file.js';
export type { BadRecordReport, CompactionPoint, DeviceStateChange, DeviceTestHooks, DirectIoStatus } from './device/types.js';
export type { ScrubProgress, ShardLocation } from './format/index-entries.js';

// Formats
export { SHARD_KEY_BYTES, WRITE_ID_BYTES, sameShardKey, shardKeyBytes, shardKeyFromBytes, shardKeyHex } from './format/shard-key.js';
export type { ShardKey } from './format/shard-key.js';
export {
  MAX_RECORD_PAYLOAD,
  RECORD_HEADER_BYTES,
  RECORD_MAGIC,
  RECORD_OVERHEAD,
  RECORD_VERSION,
  decodeRecord,
  encodeRecord,
  parseRecordHeader,
} from './format/record.js';
export type { DecodedRecord, RecordFields, RecordHeader, RecordKind } from './format/record.js';
export { EXTENT_HEADER_BYTES, decodeExtentHeader, encodeExtentHeader } from './format/extent-header.js';
export type { ExtentHeader } from './format/extent-header.js';
export { DEVICE_ID_PATTERN, NODE_ID_PATTERN, decodeSuperblock, encodeSuperblock } from './format/superblock.js';
export type { Superblock } from './format/superblock.js';

// Crash simulation and planted bugs (DESIGN section 4)
export { crashSimulatedExtentFiles, simulateStoragePowerLoss } from './io/crashsim-file.js';
export { MUTATE_ENV, STORAGE_MUTATIONS, envStorageMutations, parseStorageMutations } from './mutate.js';
export type { StorageMutation } from './mutate.js';

// Placement
export { PlacementPlan, SlotPicker, proposePlacement, replacementPicker } from './placement/plan.js';
export type { Placement, PlacementRequest } from './placement/plan.js';
export { acceptProfile, minNodesFor, survivability } from './placement/profile.js';
export type { Survivability } from './placement/profile.js';
export { rankSlots, slotHash, slotScore } from './placement/rendezvous.js';
export { placeableDevices, poolUsage, sameSlot, slotKey } from './placement/topology.js';
export type { PoolUsage, Slot, Topology, TopologyDevice, TopologyNode } from './placement/topology.js';

// Reads through parity, repair, evacuation
export { readChunk } from './repair/read-chunk.js';
export type { ChunkRead, ShardFailure } from './repair/read-chunk.js';
export { relocate, repairChunk } from './repair/repair.js';
export type { RepairOptions, RepairResult } from './repair/repair.js';
export { evacuateDevice } from './repair/evacuate.js';
export type { EvacuationInput, EvacuationProgress, EvacuationReport } from './repair/evacuate.js';
export type { CommittedChunk, RepairContext, ShardIo, ShardMove, ShardWriteRequest } from './repair/types.js';
