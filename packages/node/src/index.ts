// Public entry of @tessera/node: the storage node process (so far: one Raft
// group over mTLS gRPC running the key-value test state machine), its Raft
// transport, and a client of its client port.

export { METADATA_GROUP, startNode } from './process/node.js';
export type { RunningNode, StartNodeOptions } from './process/node.js';
export { STOP_ON_STDIN_CLOSE_ENV, runNode } from './process/run.js';
export type { RunNodeIo } from './process/run.js';
export { DEFAULT_RAFT_TUNING, NODE_ID_PATTERN, parseHostPort, resolveNodeConfig } from './process/config.js';
export type { ListenAddress, NodeConfig, NodeFlags, RaftTuning } from './process/config.js';
// The Raft transport, the ports file and RPC status mapping moved to @tessera/transport
// (the key manager runs them too); re-exported here for existing callers.
export { PORTS_FILE, portsFilePath, readPortsFile, removePortsFile, writePortsFile } from '@tessera/transport';
export type { PortsInfo } from '@tessera/transport';
export { GrpcRaftTransport, DEFAULT_MAX_SNAPSHOT_BYTES, DEFAULT_LINK_LIMITS, PeerCredentials, admit } from '@tessera/transport';
export type {
  Admission,
  GroupView,
  GrpcRaftTransportOptions,
  LinkEvent,
  PeerCredentialsOptions,
  PeerLinkLimits,
  PeerLinkStats,
  Refusal,
  TransportStats,
} from '@tessera/transport';

export { KV_LIMITS, decodeKvCommand, encodeKvCommand } from './kv/commands.js';
export type { KvCommand, SessionRef } from './kv/commands.js';
export { KvMachine, decodeSnapshotData } from './kv/machine.js';
export type { KvMachineOptions, KvResult } from './kv/machine.js';
export { SCAN_DEFAULT_LIMIT, SCAN_MAX_BYTES, SCAN_MAX_LIMIT, kvService } from './kv/service.js';
export type { KvServiceDeps } from './kv/service.js';
export { adminService } from './admin/service.js';
export type { AdminNodeView, AdminServiceOptions } from './admin/service.js';
export { operatorHandlers } from './admin/operator.js';
export type { OperatorHandlers, OperatorView } from './admin/operator.js';
export { MIN_SAFE_VOTERS, judgeRemoval, removalGuard } from './admin/removal.js';
export type { RemovalDecision, RemovalGuardDeps, RemovalRecord, RemovalRule } from './admin/removal.js';
export { addDeviceHandlers } from './admin/add-device.js';
export type { AddDeviceHandlers, AddDeviceView } from './admin/add-device.js';
export { MAX_ADDED_DEVICE_CAPACITY, MAX_DEVICES_PER_NODE, checkDeviceConflicts, checkDeviceRequest, resolveDeviceFolder } from './admin/device-path.js';
export { ADDED_DEVICES_FILE, decodeAddedDevices, encodeAddedDevices, loadAddedDevices, mergeDevices, saveAddedDevices } from './process/added-devices.js';
// The fixed pool fill thresholds (DESIGN section 6), for `tessera pool thresholds`.
export { THRESHOLDS } from '@tessera/storage';
export { COMPACT_BATCH, maintenanceHandlers } from './admin/maintenance.js';
export type { MaintenanceAdminView, MaintenanceHandlers } from './admin/maintenance.js';
export { REDUNDANCY_STATES, redundancyOf } from './admin/maintenance-wire.js';
export type { MaintenanceControl, Redundancy } from './admin/maintenance-wire.js';
export { ERROR_CODE_METADATA, LEADER_METADATA, toStatus, unary } from '@tessera/transport';

export { ClusterClient, KvSession, RpcFailure } from './client/cluster-client.js';
export type { ClusterClientOptions, MemberView, NodeStatus, PutResult } from './client/cluster-client.js';

// The metadata Raft group's state machine (chunk records, references, deltas, tenants, topology).
export { decodeMetadataCommand, encodeMetadataCommand } from './metadata/commands.js';
export type { MetadataCommand, MetadataOp } from './metadata/commands.js';
export { METADATA_LIMITS } from './metadata/fields.js';
export { decodeMetadataImage, encodeMetadataImage, metadataDigest } from './metadata/image.js';
export { MetadataMachine } from './metadata/machine.js';
export type { CompactionRecord, MetadataMachineOptions, MetadataResult } from './metadata/machine.js';
export type { ObjectChangeCursor, ObjectChanges } from './metadata/object-changes.js';
export { COMMIT_DEADLINE_MS, COMMIT_MAX_AHEAD_MS, MetadataState } from './metadata/state.js';
export type { Applied, ObjectChangeSink, Outcome, TenantUsage } from './metadata/state.js';
export { CHUNK_STATES, DEVICE_STATES, TENANT_POLICIES, TENANT_STATES, canDeviceTransition } from './metadata/types.js';
export { DEFAULT_GC_GRACE_MS, MAX_GC_GRACE_MS, MIN_GC_GRACE_MS } from './metadata/gc-grace.js';
export { MAX_TOMBSTONE_TTL_MS, TOMBSTONE_TTL_MS } from './metadata/compaction.js';
export { MAX_RETIRED_PER_CHUNK } from './metadata/chunk-codec.js';
export type { ChunkWrite, CompactionCandidate, EpochCursor, ExpectedShard, ShardDisposition } from './metadata/queries.js';
export type {
  ChunkCommit,
  ChunkRecord,
  ChunkState,
  RetiredPlacement,
  DeltaHeader,
  DeltaOp,
  DeviceRecord,
  DeviceState,
  NodeRecord,
  PlacementSlot,
  StoredDelta,
  TenantPolicy,
  TenantRecord,
  TenantState,
} from './metadata/types.js';

// Objects: delta payloads, names, ranges
export { OBJECT_LIMITS, OBJECT_PAYLOAD_MAX_BYTES, OBJECT_PAYLOAD_VERSION, decodeObjectPayload, deltaChunkRefs, encodeObjectPayload, objectSize } from './objects/payload.js';
export type { ObjectChunk, ObjectPayload } from './objects/payload.js';
export { DELTA_FORMAT_VERSION, objectKeyTag, openDelta, openObjectPut, sealDelta, sealObjectPut, sealTombstone } from './objects/delta-crypto.js';
export type { DeltaBase, DeltaDraft } from './objects/delta-crypto.js';
export { LIST_PAGE_MAX, NameIndex } from './objects/name-index.js';
export type { Describe, IndexedObject } from './objects/name-index.js';
export { syncNameIndex } from './objects/index-sync.js';
export type { ObjectChangeFeed } from './objects/index-sync.js';
export { planRange } from './objects/range.js';
export type { ChunkSlice } from './objects/range.js';

// Fabric: shards between nodes and forwarded proposals
export { decodeMetadataResult, encodeMetadataResult, MAX_METADATA_RESULT_BYTES } from './metadata/result-codec.js';
export { fabricService } from './fabric/service.js';
export type { FabricServiceDeps } from './fabric/service.js';
export { FabricClients } from './fabric/peer-client.js';
export type { FabricClientsFiles, FabricClientsOptions, GetShardOptions, RemoteShardWrite } from './fabric/peer-client.js';
export { ClusterShardIo } from './fabric/shard-io.js';
export type { ClusterShardIoOptions, NewShardWrite } from './fabric/shard-io.js';
export { GetShardAssembler, resolveRange } from './fabric/get-assembler.js';
export type { ShardHead, ShardRange } from './fabric/get-assembler.js';
export { PutShardAssembler } from './fabric/put-assembler.js';
export type { AssembledShard } from './fabric/put-assembler.js';
export { FABRIC_LIMITS } from './fabric/limits.js';

// Data-path CPU stages on worker threads
export { ChunkPipeline, DEFAULT_PIPELINE_WORKERS, MAX_ENVELOPE_BYTES, MAX_PIPELINE_WORKERS } from './data/pipeline/index.js';
export type { ChunkKeySet, ChunkPipelineOptions, ChunkPipelineStats, PipelineStage, SealedStripe, StripeRead } from './data/pipeline/index.js';
