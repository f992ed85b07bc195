export { JsonlFileAuditSink, MemoryAuditSink, NULL_AUDIT_SINK } from './audit.js';
export type { AuditEvent, AuditEventType, AuditSink } from './audit.js';
export { decideCall, decideMessage } from './authz/decide.js';
export type { CallDecision, MessageDecision } from './authz/decide.js';
export { PERMISSION_DENIED_DETAILS, UNAUTHENTICATED_DETAILS, createAuthorizationInterceptor } from './authz/interceptor.js';
export type { AuthorizationInterceptorOptions } from './authz/interceptor.js';
export { InMemoryTenantResourceIndex, NO_TENANT_RESOURCES } from './authz/resources.js';
export type { TenantResourceIndex } from './authz/resources.js';
export { AUTHORIZATION_TABLE, buildAuthorizationTable } from './authz/table.js';
export type { AuthorizationTable, MethodPolicy, OwnedResourceKind, TenantFieldKind, TenantFieldRef } from './authz/types.js';
export { CHANNEL_OPTIONS, ClientTls, channelOptions, createClient } from './client/channel.js';
export type { ClientTlsOptions, ServerExpectation } from './client/channel.js';
export { PeerAuthenticator, authenticateCertificate } from './identity/authenticate.js';
export type { Authentication, AuthenticationFailure, AuthenticatorOptions, PeerCertificateSource } from './identity/authenticate.js';
export { PRINCIPAL_KINDS, isTenantKind, isTenantPrincipal, parseSpiffeId, tenantOf } from './identity/principal.js';
export type { Principal, PrincipalKind, SpiffeParse, TenantPrincipal } from './identity/principal.js';
export { parseSubjectAltName } from './identity/san.js';
export type { SanEntry } from './identity/san.js';
export { EMPTY_TENANT_CA_REGISTRY, InMemoryTenantCaRegistry, parseTenantCa } from './identity/tenant-registry.js';
export type { TenantCaEntry, TenantCaRegistry } from './identity/tenant-registry.js';
export { PeerSender } from './peer-sender.js';
export type { PeerSenderOptions, PeerSenderStats, UnreachableReason } from './peer-sender.js';
export { CONNECTION_WINDOW_BYTES, STREAM_WINDOW_BYTES, widenServerSessions } from './server/flow-control.js';
export { serverOptions } from './server/options.js';
export { PORT_KINDS, PORT_SERVICES, PORT_TRUSTS_TENANT_CAS } from './server/ports.js';
export type { PortKind } from './server/ports.js';
export { DEFAULT_HOST, TesseraServer, startTesseraServer } from './server/server.js';
export type { ReloadOutcome, TesseraServerOptions } from './server/server.js';
export { peerCertificateOf, type CallWithAuthContext } from './identity/peer-certificate.js';
export { ReloadableChannelCredentials } from './tls/channel-credentials.js';
export type { ServerIdentityCheck } from './tls/channel-credentials.js';
export { loadTlsMaterial, pemBlocks } from './tls/material.js';
export type { TlsFiles, TlsMaterial } from './tls/material.js';
export { ReloadableServerCredentials, TLS_MIN_VERSION, serverContextOptions } from './tls/server-credentials.js';
export { buildTrustStore } from './tls/trust.js';
export type { TrustStore } from './tls/trust.js';
export { watchForReload, watchTlsFiles } from './tls/watch.js';
export type { ReloadTrigger, ReloadTriggerOptions, TlsWatchOption } from './tls/watch.js';

// Raft over gRPC (both Raft groups: storage nodes' metadata group, key managers' group).
export { DEFAULT_MAX_SNAPSHOT_BYTES, GrpcRaftTransport } from './raft/grpc-transport.js';
export type { GrpcRaftTransportOptions, TransportStats } from './raft/grpc-transport.js';
export { DEFAULT_LINK_LIMITS } from './raft/peer-link.js';
export type { LinkEvent, PeerLinkLimits, PeerLinkStats } from './raft/peer-link.js';
export { PeerCredentials } from './raft/peer-credentials.js';
export type { PeerCredentialsOptions } from './raft/peer-credentials.js';
export { admit } from './raft/admission.js';
export type { Admission, GroupView, MemberKind, Refusal } from './raft/admission.js';
export { groupIdString, parseGroupId, toWire } from './raft/envelope.js';
export type { OutgoingEnvelope, WireEnvelope } from './raft/envelope.js';
export { SnapshotAssembler, snapshotFrames } from './raft/snapshot-frames.js';
export type { AssembledSnapshot } from './raft/snapshot-frames.js';
export { membershipHandlers } from './raft/membership.js';
export type { MemberRemoval, MembershipHandlers, MembershipOptions, MembershipView } from './raft/membership.js';

// RPC status mapping (servers) and its reading (clients).
export { ERROR_CODE_METADATA, LEADER_METADATA, RpcFailure, failureFields, failureFromFields, rpcFailure, toStatus, unary } from './rpc/status.js';
export type { FailureFields } from './rpc/status.js';

// What every Tessera process shares: configuration values, its own identity, the ports file, the run loop.
export {
  DEFAULT_RAFT_TUNING,
  LOG_LEVELS,
  MEMBER_ID_PATTERN,
  asRecord,
  configInt,
  configLogLevel,
  configString,
  configUsage,
  isLoopback,
  parseHostPort,
  parseListen,
  configBool,
  resolveInit,
  resolvePeers,
  raftNodeTuning,
  resolveRaftTuning,
  resolveTlsFiles,
} from './process/config-values.js';
export type { ListenAddress, RaftTuning, RaftTuningFlags } from './process/config-values.js';
export { certificateIdentity, memberCertificate } from './process/certificate-identity.js';
export type { CertificateIdentity } from './process/certificate-identity.js';
export { PORTS_FILE, portsFilePath, readPortsFile, removePortsFile, writePortsFile } from './process/ports-file.js';
export type { PortsInfo } from './process/ports-file.js';
export { STOP_ON_STDIN_CLOSE_ENV, runUntilStopped } from './process/run.js';
export type { RunIo, RunnableProcess } from './process/run.js';

// The HTTP port (health, readiness, metrics) and the metrics plumbing every process shares (DESIGN section 8).
export { startHealthServer } from './http/health-server.js';
export type { HealthServer, Readiness } from './http/health-server.js';
export { LATENCY_BUCKETS, ProcessMetrics, counterFrom, gaugeFrom, latencyHistogram } from './metrics/families.js';
export type { AsyncSampleSource, FamilySpec, RenderedMetrics, Sample, SampleSource, SecondsHistogram } from './metrics/families.js';
export { outcomeOf, statusLabel } from './metrics/outcome.js';
export { RpcCounts, createRpcMetricsInterceptor, registerBulkMetrics, registerRpcMetrics } from './metrics/rpc-metrics.js';
export type { BulkCountSource, RpcCountSource } from './metrics/rpc-metrics.js';
export { registerRaftMetrics } from './metrics/raft-metrics.js';
export type { RaftMetricsSource } from './metrics/raft-metrics.js';
export { BULK_ALPN, BulkCounts, BulkServer } from './bulk/server.js';
export type { BulkHandler, BulkRequest, BulkServerOptions } from './bulk/server.js';
export { BulkClients, BulkConnectError, isBulkAddress, parseBulkAddress } from './bulk/client.js';
export type { BulkClientsOptions } from './bulk/client.js';
export { ANSWER_MAGIC, FrameReader, MAX_REQUEST_HEADER_BYTES, REQUEST_MAGIC, encodeErrorAnswer, encodeOkAnswer, encodeRequestHead } from './bulk/frame.js';
export type { Frame, FrameBounds, PayloadLease } from './bulk/frame.js';
