/** Identifiers shared by every package: chunk ids and tenant ids. */
import { ErrorCodes, TesseraError } from './errors.js';

export const CHUNK_ID_BYTES = 32;

/** A 32-byte content-derived chunk id; shown as 64 lowercase hex digits. */
export type ChunkId = Buffer & { readonly __brand: 'ChunkId' };

export function chunkIdFromBytes(bytes: Uint8Array): ChunkId {
  if (bytes.length !== CHUNK_ID_BYTES) {
    throw new TesseraError(ErrorCodes.INVALID_CHUNK_ID, `chunk id must be ${CHUNK_ID_BYTES} bytes`);
  }
  return Buffer.from(bytes) as ChunkId;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function parseChunkId(hex: string): ChunkId {
  if (!HEX64.test(hex)) {
    throw new TesseraError(ErrorCodes.INVALID_CHUNK_ID, 'chunk id must be 64 lowercase hex digits');
  }
  return Buffer.from(hex, 'hex') as ChunkId;
}

export function chunkIdToHex(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}

/** Tenant ids: 1 to 63 characters of `[a-z0-9-]` (DNS-label-like, safe in paths and SPIFFE ids). */
export const TENANT_ID_PATTERN = /^[a-z0-9-]{1,63}$/;

export type TenantId = string & { readonly __brand: 'TenantId' };

export function isValidTenantId(value: unknown): value is TenantId {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}

export function parseTenantId(value: unknown): TenantId {
  if (!isValidTenantId(value)) {
    // The rejected value is not echoed: it may be anything a caller sent.
    throw new TesseraError(ErrorCodes.INVALID_TENANT_ID, 'tenant id must be 1-63 characters of [a-z0-9-]');
  }
  return value;
}
