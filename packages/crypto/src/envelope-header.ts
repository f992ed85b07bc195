/**
 * Envelope v1 header: canonical binary, and the AAD of the envelope's AEAD
 * (K6: it binds format version, algorithm id, epochs, tenant and chunk id).
 *
 *   offset size
 *   0      4    magic "TSEN"
 *   4      1    version = 1
 *   5      2    algorithm id (u16 BE, see registry)
 *   7      8    sysEpoch (u64 BE)
 *   15     8    tenEpoch (u64 BE; 0 when shared)
 *   23     1    policy (1 = shared, 2 = isolated)
 *   24     1    tenant length t (0 when shared, 1..63 when isolated)
 *   25     t    tenant (ASCII [a-z0-9-])
 *   25+t   32   chunk id
 *   57+t   8    plaintext length (u64 BE)
 *   65+t   12   nonce
 *   77+t        ciphertext (plaintext length bytes), then the 16-byte tag
 *
 * The parser is bounded (tenant ≤ 63 bytes, plaintext ≤ MAX_CHUNK_PLAINTEXT_BYTES,
 * and the total length must match exactly) and throws only TesseraError:
 * CRYPTO_UNKNOWN_VERSION, CRYPTO_UNKNOWN_ALGORITHM, or CRYPTO_BAD_ENVELOPE.
 */
import { BinaryReader, BinaryWriter, CHUNK_ID_BYTES, ErrorCodes, isTesseraError, isValidTenantId } from '@tessera/common';
import type { ChunkId, TesseraError } from '@tessera/common';
import { AEAD_NONCE_BYTES } from './aead.js';
import type { ChunkPolicy } from './chunk-keys.js';
import { checkAlg, checkEpoch, checkTenant } from './derive.js';
import { cryptoError, invalidArgument } from './fail.js';
import { getAead } from './registry.js';

export const ENVELOPE_MAGIC: Buffer = Buffer.from('TSEN', 'ascii');
export const ENVELOPE_VERSION = 1;
/** Upper bound on one chunk's plaintext (chunks are ≤ 4 MiB by default; DESIGN section 6). */
export const MAX_CHUNK_PLAINTEXT_BYTES = 64 * 1024 * 1024;
/** Header size without the tenant bytes. */
export const ENVELOPE_FIXED_HEADER_BYTES = 77;
const MAX_TENANT_BYTES = 63;

export const PolicyCodes: Readonly<Record<ChunkPolicy, number>> = { shared: 1, isolated: 2 };

export interface EnvelopeHeader {
  readonly version: number;
  readonly alg: number;
  readonly sysEpoch: number;
  readonly tenEpoch: number;
  readonly policy: ChunkPolicy;
  /** Empty for the shared policy. */
  readonly tenant: string;
  readonly chunkId: ChunkId;
  readonly plaintextLength: number;
  readonly nonce: Buffer;
  /** Bytes of header (the AAD) at the start of the envelope. */
  readonly headerLength: number;
}

export type EnvelopeHeaderFields = Omit<EnvelopeHeader, 'version' | 'headerLength'>;

function badEnvelope(cause?: unknown): TesseraError {
  return cryptoError(ErrorCodes.CRYPTO_BAD_ENVELOPE, 'malformed envelope', cause);
}

/** The header fields that are fixed for one key set and algorithm (everything before the chunk id). */
export type EnvelopeHeaderPrefixFields = Pick<EnvelopeHeaderFields, 'alg' | 'sysEpoch' | 'tenEpoch' | 'policy' | 'tenant'>;

/** Bytes after the prefix: chunk id, plaintext length, nonce. */
export const ENVELOPE_HEADER_TAIL_BYTES = CHUNK_ID_BYTES + 8 + AEAD_NONCE_BYTES;

/**
 * Encodes magic ‖ version ‖ alg ‖ sysEpoch ‖ tenEpoch ‖ policy ‖ tenant after
 * checking them (the tenant rules follow the policy). Sealing encodes this once
 * per key set and algorithm and writes only the tail per chunk.
 */
export function encodeEnvelopeHeaderPrefix(fields: EnvelopeHeaderPrefixFields): Buffer {
  checkAlg(fields.alg);
  checkEpoch(fields.sysEpoch);
  checkEpoch(fields.tenEpoch);
  if (fields.policy === 'shared') {
    if (fields.tenEpoch !== 0 || fields.tenant !== '') throw invalidArgument('a shared envelope names no tenant and tenant epoch 0');
  } else if (fields.policy === 'isolated') {
    checkTenant(fields.tenant);
  } else {
    throw invalidArgument('unknown policy');
  }
  return new BinaryWriter(ENVELOPE_FIXED_HEADER_BYTES + fields.tenant.length)
    .raw(ENVELOPE_MAGIC)
    .u8(ENVELOPE_VERSION)
    .u16(fields.alg)
    .u64(fields.sysEpoch)
    .u64(fields.tenEpoch)
    .u8(PolicyCodes[fields.policy])
    .string(fields.tenant, 1, MAX_TENANT_BYTES)
    .finish();
}

function checkTail(chunkId: Uint8Array, plaintextLength: number, nonce: Uint8Array): void {
  if (chunkId.byteLength !== CHUNK_ID_BYTES) throw invalidArgument(`chunk id must be ${CHUNK_ID_BYTES} bytes`);
  if (!Number.isSafeInteger(plaintextLength) || plaintextLength < 0 || plaintextLength > MAX_CHUNK_PLAINTEXT_BYTES) {
    throw invalidArgument('plaintext length out of range');
  }
  if (nonce.byteLength !== AEAD_NONCE_BYTES) throw invalidArgument(`nonce must be ${AEAD_NONCE_BYTES} bytes`);
}

/**
 * Writes chunk id ‖ plaintext length (u64 BE) ‖ nonce at `offset` of `out`:
 * the same bytes BinaryWriter would produce, without an intermediate buffer.
 */
export function writeEnvelopeHeaderTail(out: Buffer, offset: number, chunkId: Uint8Array, plaintextLength: number, nonce: Uint8Array): void {
  checkTail(chunkId, plaintextLength, nonce);
  out.set(chunkId, offset);
  // plaintextLength ≤ MAX_CHUNK_PLAINTEXT_BYTES < 2^32, so the high word is 0.
  out.writeUInt32BE(0, offset + CHUNK_ID_BYTES);
  out.writeUInt32BE(plaintextLength, offset + CHUNK_ID_BYTES + 4);
  out.set(nonce, offset + CHUNK_ID_BYTES + 8);
}

/** Encodes a whole v1 header (tools, tests, and anyone building an envelope by hand). */
export function encodeEnvelopeHeader(fields: EnvelopeHeaderFields): Buffer {
  checkTail(fields.chunkId, fields.plaintextLength, fields.nonce);
  const prefix = encodeEnvelopeHeaderPrefix(fields);
  return new BinaryWriter(prefix.length + ENVELOPE_HEADER_TAIL_BYTES)
    .raw(prefix)
    .fixed(fields.chunkId, CHUNK_ID_BYTES)
    .u64(fields.plaintextLength)
    .fixed(fields.nonce, AEAD_NONCE_BYTES)
    .finish();
}

/**
 * Parses and checks the header of a complete envelope, without any key: for
 * storage code that needs epochs, tenant or chunk id (re-encryption counts,
 * key fetches). The envelope's total length must match the header exactly.
 */
export function parseEnvelopeHeader(envelope: Uint8Array): EnvelopeHeader {
  try {
    return parseHeader(envelope);
  } catch (cause) {
    if (isTesseraError(cause) && cause.code.startsWith('CRYPTO_')) throw cause;
    throw badEnvelope(cause); // codec errors (truncation, out-of-range values) and anything unexpected
  }
}

function parseHeader(envelope: Uint8Array): EnvelopeHeader {
  const reader = new BinaryReader(envelope);
  if (!reader.fixed(ENVELOPE_MAGIC.length).equals(ENVELOPE_MAGIC)) throw badEnvelope();
  const version = reader.u8();
  if (version !== ENVELOPE_VERSION) throw cryptoError(ErrorCodes.CRYPTO_UNKNOWN_VERSION, 'unknown envelope version');
  const alg = reader.u16();
  const aead = getAead(alg);
  const sysEpoch = reader.u64Number();
  const tenEpoch = reader.u64Number();
  const policyCode = reader.u8();
  const tenant = reader.bytes(1, MAX_TENANT_BYTES).toString('latin1');
  let policy: ChunkPolicy;
  if (policyCode === PolicyCodes.shared) {
    if (tenant !== '' || tenEpoch !== 0) throw badEnvelope();
    policy = 'shared';
  } else if (policyCode === PolicyCodes.isolated) {
    if (!isValidTenantId(tenant)) throw badEnvelope();
    policy = 'isolated';
  } else {
    throw badEnvelope();
  }
  const chunkId = Buffer.from(reader.fixed(CHUNK_ID_BYTES)) as ChunkId;
  const plaintextLength = reader.u64Number();
  if (plaintextLength > MAX_CHUNK_PLAINTEXT_BYTES) throw badEnvelope();
  const nonce = Buffer.from(reader.fixed(AEAD_NONCE_BYTES));
  const headerLength = reader.offset;
  if (reader.remaining !== plaintextLength + aead.tagLength) throw badEnvelope();
  return { version, alg, sysEpoch, tenEpoch, policy, tenant, chunkId, plaintextLength, nonce, headerLength };
}
