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
export { ERROR_CODE_METADATA, LEADER_METADATA, toStatus, unary } from '@tessera/transport';

export { ClusterClient, KvSession, RpcFailure } from './client/cluster-client.js';
export type { ClusterClientOptions, MemberView, NodeStatus, PutResult } from './client/cluster-client.js';
