/**
 * @tessera/audit — append-only, hash-chained audit trails with signed chain
 * heads (DESIGN sections 1 (A3) and 7). See README.md.
 */
export { SYSTEM_CHAIN, MAX_CHAIN_ID_BYTES, chainTenant, isChainId, parseChainId, tenantChain } from './chain-id.js';
export type { ChainId } from './chain-id.js';
export { AUDIT_LIMITS, AuditOutcomes, checkRecord } from './record.js';
export type { AuditOutcome, AuditRecord, AuditTarget } from './record.js';
export { AUDIT_ENTRY_FORMAT, AUDIT_HASH_BYTES, MAX_AUDIT_ENTRY_BYTES, decodeEntry, encodeEntry, entryHash, genesisHash } from './entry.js';
export type { AuditEntry } from './entry.js';
export { AuditChains, MAX_CHAINS } from './chains.js';
export type { AppendedEntry, ChainHead } from './chains.js';
export {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  ed25519PrivateKeyFromSeed,
  ed25519PublicKeyFromRaw,
  localEd25519Signer,
  rawEd25519PublicKey,
  toEd25519PublicKey,
} from './ed25519.js';
export type { AuditSigner } from './ed25519.js';
export { decodeHead, decodeSignedHead, encodeHead, encodeSignedHead, signHead, verifyHeadSignature } from './head.js';
export type { AuditHead, SignedAuditHead } from './head.js';
export { decodeTrail, encodeTrail } from './trail.js';
export type { AuditTrail } from './trail.js';
export { verifyTrail } from './verify.js';
export type { TrailVerification } from './verify.js';
export { DenialAggregator, MIXED_REASONS, OVERFLOW_REASON } from './aggregate.js';
export type { ChainRecord, DenialAggregatorOptions, DenialEvent } from './aggregate.js';
export { AuditSinkAdapter } from './sink.js';
export type { AuditAppender, AuditSinkAdapterOptions, TransportAuditEvent } from './sink.js';
export { MemoryAuditLog, buildHead } from './memory-log.js';
export { readRecordFields, recordFields, writeRecordFields } from './record-codec.js';
export { MAX_CHAIN_RECORD_BYTES, decodeChainRecord, encodeChainRecord } from './chain-record.js';
export type { RecordFields } from './record-codec.js';
export { KEYMANAGER_AUDIT_DOMAIN, METADATA_AUDIT_DOMAIN, decodeAuditBundle, encodeAuditBundle, isAuditBundle } from './bundle.js';
export type { AuditBundlePart } from './bundle.js';
export { AuditBatcher, DEFAULT_AUDIT_MAX_QUEUED } from './batcher.js';
export type { AuditBatcherOptions, ProposeAuditBatch } from './batcher.js';
