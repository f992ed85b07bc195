/**
 * The metadata group's audit log on a storage node (issue #9; DESIGN A3,
 * section 7): the batcher that proposes `auditAppend`, the transport sink,
 * the admin-action wrapper and the Admin handlers for heads and exports.
 * The chains themselves live in the metadata state (../metadata/audit-log.ts).
 */
export { nodeAuditBatcher, proposeAuditAppend, type NodeAuditBatcherOptions } from './metadata-batcher.js';
export { NodeTransportAuditSink } from './transport-sink.js';
export { ADMIN_ACTION_TYPE, adminActionRecords, auditAdminHandlers, type AdminAuditSink } from './admin-actions.js';
export { AUDIT_EXPORT_TYPE, ENTRIES_PER_PART, auditHandlers, exportScope, headScope, type AuditHandlerDeps, type MetadataHeadSigner, type SignedMetadataHead } from './handlers.js';
export { kmHeadSigner } from './km-signer.js';
