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

export { SYSTEM_ACTOR, currentKek, tenantView } from './state/types.js';
export type {
  Actor,
  ActorRole,
  KekState,
  KekVersion,
  KmState,
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
export { AUDIT_DOMAIN, KmAuditTypes, KmCore, reasonOf } from './state/core.js';
export type { ApplyOutput, KmEffect, KmEvent, KmResult, KmValue } from './state/results.js';
export { caFingerprint, isCertificatePem, isCrlPem } from './state/pem.js';
export { tenantCaTable, tenantViews } from './state/tenant-table.js';
export type { TenantCaRecord } from './state/tenant-table.js';
export { KeyManagerStateMachine } from './state/machine.js';
export type { KeyManagerStateMachineOptions, KmEventListener } from './state/machine.js';

export { raftKmGroup } from './service/group.js';
export type { KmGroup } from './service/group.js';
export { AuditBatcher } from './service/audit-batcher.js';
export type { AuditBatcherOptions } from './service/audit-batcher.js';
export { DEFAULT_SHRED_DELAY_MS, KeyAdmin, dedupContext, masterContext, tdkContext, tikContext } from './service/admin.js';
export type { CreateTenantInput, KeyAdminOptions } from './service/admin.js';
export { KeyMethods, KeyService } from './service/key-service.js';
export type { IssuedKey, KeyServiceOptions, NodeCaller } from './service/key-service.js';

export { KeyClient } from './client/key-client.js';
export type { KeyClientOptions, KeyClientStats } from './client/key-client.js';
export { localKeyFetcher } from './client/fetcher.js';
export type { FetchedKey, KeyFetcher, KeyWatch } from './client/types.js';
