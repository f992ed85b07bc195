export { ErrorCodes, TesseraError, isTesseraError, toTesseraError } from './errors.js';
export type { ErrorCode, TesseraErrorOptions, WireError } from './errors.js';
export { BinaryReader, BinaryWriter } from './codec.js';
export type { LengthPrefix } from './codec.js';
export {
  CHUNK_ID_BYTES,
  TENANT_ID_PATTERN,
  chunkIdFromBytes,
  chunkIdToHex,
  isValidTenantId,
  parseChunkId,
  parseTenantId,
} from './ids.js';
export type { ChunkId, TenantId } from './ids.js';
export { Logger, REDACTED, scrub } from './logger.js';
export type { LogLevel, LogSink, LoggerOptions } from './logger.js';
export { SECRET_BRAND, isSecretBranded } from './secret.js';
export type { SecretBranded } from './secret.js';
export { KNOWN_MUTATIONS, MUTATE_ENV, parseMutationList } from './mutate.js';
export type { KnownMutation, MutationOwner } from './mutate.js';
