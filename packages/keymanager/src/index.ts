/**
 * @tessera/keymanager — root providers, the key-manager state machine
 * (tenants, KEKs, wrapped data keys, crypto-shred, node pins, audit), the
 * leader-side admin operations, the node-facing key service and the node's
 * KeyClient (DESIGN sections 2 and 5). See README.md.
 */
export { kekDestroyed, kmError } from './errors.js';
export { AUDIT_KEY_ID, MAX_KEY_VERSION, ROOT_KEY_ID, checkKeyRef, formatKeyRef, kekKeyId, kekTenant, readKeyRef, sameKeyRef, writeKeyRef } from './key-ref.js';
export type { KeyRef } from './key-ref.js';
export { checkContextForKey, encodeWrapAad } from './wrap-context.js';

export type { ProviderHealth, RootProvider } from './provider/types.js';
export { assertProviderFitsMembers, providerAuditSigner, validateProvider } from './provider/validate.js';
export { FILE_PROVIDER, FileRootProvider, initFileKeyring } from './provider/file/file-provider.js';
export type { FileKeyringInit, FileProviderOptions } from './provider/file/file-provider.js';
export type { ShredObserver, ShredStep } from './provider/file/keyring-fs.js';
export { PKCS11_PROVIDER, Pkcs11RootProvider } from './provider/pkcs11/pkcs11-provider.js';
export type { Pkcs11Init, Pkcs11ProviderOptions } from './provider/pkcs11/pkcs11-provider.js';

export { NO_MIN_DECRYPT_EPOCH, SYSTEM_ACTOR, currentKek, tenantView } from './state/types.js';
export type {
  Actor,
  ActorRole,
  KekState,
  KekVersion,
  KmState,
  MinDecryptEpoch,
  ShredRecord,
  SystemKeys,
  TenantPolicy,
  TenantRecord,
  TenantState,
  TenantView,
  WrappedKey,
} from './state/types.js';
export { KM_LIMITS } from './state/limits.js';
export { decodeState, emptyState, encodeState } from './state/state-codec.js';
export { COMMAND_NAMES, decodeEnvelope, encodeEnvelope } from './state/commands.js';
export type { KmCommand, KmCommandType, KmEnvelope } from './state/commands.js';
export { AUDIT_DOMAIN, KmAuditTypes, KmCore, metadataReadPrincipal, reasonOf } from './state/core.js';
export type { ApplyOutput, KmEffect, KmEvent, KmResult, KmValue } from './state/results.js';
export { caFingerprint, isCertificatePem, isCrlPem } from './state/pem.js';
export { tenantCaTable, tenantViews } from './state/tenant-table.js';
export type { TenantCaRecord } from './state/tenant-table.js';
export { KeyManagerStateMachine } from './state/machine.js';
export type { KeyManagerStateMachineOptions, KmEventListener } from './state/machine.js';

export { raftKmGroup } from './service/group.js';
export type { KmGroup } from './service/group.js';
export { KM_AUDIT_BATCH, kmAuditBatcher, proposeAppendAudit } from './service/km-audit-batcher.js';
export type { KmAuditBatcherOptions } from './service/km-audit-batcher.js';
export { DEFAULT_SHRED_DELAY_MS, KeyAdmin, dedupContext, masterContext, tdkContext, tikContext } from './service/admin.js';
export type { CreateTenantInput, KeyAdminOptions, KeyAdminStep } from './service/admin.js';
export { KeyMethods, KeyService } from './service/key-service.js';
export type { IssuedKey, KeyServiceOptions, MinDecryptReport, MinDecryptStatus, NodeCaller } from './service/key-service.js';

export { KeyClient } from './client/key-client.js';
export type { KeyClientOptions, KeyClientStats } from './client/key-client.js';
export { localKeyFetcher } from './client/fetcher.js';
export type { FetchedKey, KeyFetcher, KeyWatch } from './client/types.js';
export { KeyManagerClient, trustDomainOf } from './client/km-client.js';
export type { CallOptions, KeyManagerClientOptions, KeysUnaryMethod, KeysUnaryMethods } from './client/km-client.js';
export { grpcKeyFetcher } from './client/grpc-fetcher.js';
export { GrpcKeyWatch } from './client/grpc-watch.js';
export type { GrpcKeyWatchOptions, GrpcKeyWatchStats, WatchSource } from './client/grpc-watch.js';

export { SPKI_SHA256_BYTES, parsePin, spkiSha256, spkiSha256OfFile } from './pin.js';

// The Keys service over gRPC and the key-manager process.
export { eventFromWire, eventToWire, policyFromWire, policyToWire, stateFromWire, stateToWire, tenantFromWire, tenantToWire } from './grpc/convert.js';
export { LEADER_ADDRESS_METADATA } from './grpc/rpc.js';
export { keysService } from './grpc/keys-service.js';
export type { KeysServiceDeps, KeysServiceStep } from './grpc/keys-service.js';
export { AUDIT_EXPORT_TYPE } from './grpc/audit-handlers.js';
export { DEFAULT_AUDIT_DENIAL_WINDOW_MS, PKCS11_PIN_ENV, resolveKeyManagerConfig, resolveProviderConfig } from './process/config.js';
export type { KeyManagerConfig, KeyManagerFlags, ProviderConfig } from './process/config.js';
export { initProvider, openProvider, openValidatedProvider } from './process/provider.js';
export type { ProviderInit } from './process/provider.js';
export { KEYMANAGER_GROUP, startKeyManager } from './process/keymanager.js';
export type { RunningKeyManager, StartKeyManagerOptions } from './process/keymanager.js';
export { runKeyManager } from './process/run.js';
export { FAULT_FILE, TEST_FAULTS_ENV } from './process/faults.js';
export { KeyManagerMetrics, countKeyEvent } from './process/metrics.js';
export type { KeyEventCounts, KeyManagerMetricsSources, UnwrapCounts } from './process/metrics.js';
