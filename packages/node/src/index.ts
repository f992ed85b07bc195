// Public entry of @tessera/node: the storage node process (so far: one Raft
// group over mTLS gRPC running the key-value test state machine), its Raft
// transport, and a client of its client port.

export { METADATA_GROUP, startNode } from './process/node.js';
export type { RunningNode, StartNodeOptions } from './process/node.js';
export { STOP_ON_STDIN_CLOSE_ENV, runNode } from './process/run.js';
export type { RunNodeIo } from './process/run.js';
export { DEFAULT_RAFT_TUNING, NODE_ID_PATTERN, parseHostPort, resolveNodeConfig } from './process/config.js';
export type { ListenAddress, NodeConfig, NodeFlags, RaftTuning } from './process/config.js';
export { PORTS_FILE, portsFilePath, readPortsFile, removePortsFile, writePortsFile } from './process/ports-file.js';
export type { PortsInfo } from './process/ports-file.js';

export { GrpcRaftTransport, DEFAULT_MAX_SNAPSHOT_BYTES } from './raft-transport/grpc-transport.js';
export type { GrpcRaftTransportOptions, TransportStats } from './raft-transport/grpc-transport.js';
export { DEFAULT_LINK_LIMITS } from './raft-transport/peer-link.js';
export type { LinkEvent, PeerLinkLimits, PeerLinkStats } from './raft-transport/peer-link.js';
export { PeerCredentials } from './raft-transport/peer-credentials.js';
export type { PeerCredentialsOptions } from './raft-transport/peer-credentials.js';
export { admit } from './raft-transport/admission.js';
export type { Admission, GroupView, Refusal } from './raft-transport/admission.js';
export { groupIdString, parseGroupId, toWire } from './raft-transport/envelope.js';
export type { OutgoingEnvelope, WireEnvelope } from './raft-transport/envelope.js';
export { SnapshotAssembler, snapshotFrames } from './raft-transport/snapshot-frames.js';
export type { AssembledSnapshot } from './raft-transport/snapshot-frames.js';

export { KV_LIMITS, decodeKvCommand, encodeKvCommand } from './kv/commands.js';
export type { KvCommand, SessionRef } from './kv/commands.js';
export { KvMachine, decodeSnapshotData } from './kv/machine.js';
export type { KvMachineOptions, KvResult } from './kv/machine.js';
export { SCAN_DEFAULT_LIMIT, SCAN_MAX_BYTES, SCAN_MAX_LIMIT, kvService } from './kv/service.js';
export type { KvServiceDeps } from './kv/service.js';
export { adminService } from './admin/service.js';
export type { AdminNodeView, AdminServiceOptions } from './admin/service.js';
export { ERROR_CODE_METADATA, LEADER_METADATA, toStatus, unary } from './rpc/status.js';

export { ClusterClient, KvSession, RpcFailure } from './client/cluster-client.js';
export type { ClusterClientOptions, MemberView, NodeStatus, PutResult } from './client/cluster-client.js';
