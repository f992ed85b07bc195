/**
 * What a TesseraClient is configured with, the defaults, and the checks that
 * turn a bad value into INVALID_ARGUMENT before anything is sent.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

export interface TesseraClientTls {
  /** Tenant client or tenant admin certificate (issued by the tenant's own CA). */
  readonly certFile: string;
  readonly keyFile: string;
  /** The cluster CA: it vouches for the nodes the client talks to. */
  readonly caFile: string;
  /** The cluster CA's CRL (optional). */
  readonly crlFile?: string;
}

export interface TesseraClientOptions {
  readonly tls: TesseraClientTls;
  /**
   * Client ports of one or more nodes: `host:port`, or `ID=host:port` to name
   * the node, which lets the client follow a "not the leader" hint straight
   * to that node instead of trying the next endpoint.
   */
  readonly endpoints: readonly string[];
  /** Bytes per chunk of a chunked put. Default 4 MiB; 1 B to 16 MiB. */
  readonly chunkSize?: number;
  /** Chunk uploads in flight per put. Default 4; 1 to 64. */
  readonly concurrency?: number;
  /** How long one call keeps retrying (other nodes, elections, missing devices). Default 30 s. */
  readonly retryTimeoutMs?: number;
  /**
   * Deadline of one chunk upload attempt, and the longest a read may wait for
   * its next frame. Default 60 s. Unary calls use at most 15 s per attempt.
   */
  readonly attemptTimeoutMs?: number;
  /**
   * For a cluster admin certificate only: the tenant whose objects to act
   * on, under a grant a tenant admin approved (sent as the `tessera-tenant`
   * request header; tenant certificates act on their own tenant and need
   * nothing here). Without a grant covering the call, the node refuses it.
   */
  readonly grantTenant?: string;
  /**
   * Upload chunks over the nodes' bulk ports where they serve one (ADR 0026;
   * default true): the same messages and checks as PutChunk, the chunk as
   * raw bytes, about a third less CPU per byte. Not used under a grant
   * (cluster admins upload over PutChunk, where the grant gate runs).
   */
  readonly bulk?: boolean;
}

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const DEFAULT_CHUNK_SIZE = 4 * MIB;
export const MAX_CHUNK_SIZE = 16 * MIB;
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 64;
export const DEFAULT_RETRY_TIMEOUT_MS = 30_000;
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;
export const MAX_UNARY_ATTEMPT_MS = 15_000;
/** Objects up to this size travel inline in PutObject (no chunk, no dedup). */
export const INLINE_MAX_BYTES = 4 * KIB;
/** The most chunks one object may have (PutObjectRequest.chunk_ids). */
export const MAX_CHUNKS_PER_OBJECT = 10_000;
/** The most names one ListObjects page may return. */
export const MAX_PAGE_SIZE = 1_000;
/** Object names: 1 to 1,024 bytes of UTF-8. */
export const MAX_NAME_BYTES = 1_024;

export interface Endpoint {
  /** Node id when given as `ID=host:port`. */
  readonly id: string | undefined;
  readonly address: string;
}

export interface ResolvedOptions {
  readonly endpoints: readonly Endpoint[];
  readonly chunkSize: number;
  readonly concurrency: number;
  readonly retryTimeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly grantTenant: string | undefined;
  readonly bulk: boolean;
}

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

function intIn(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw invalid(`${name} must be a whole number from ${min} to ${max}`);
  return v;
}

const ENDPOINT = /^(?:([A-Za-z0-9][A-Za-z0-9._-]{0,62})=)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/;

export function parseEndpoint(text: string): Endpoint {
  const m = ENDPOINT.exec(text.trim());
  if (m === null || Number(m[3]) > 65_535) throw invalid(`endpoint must be host:port or ID=host:port: ${JSON.stringify(text).slice(0, 80)}`);
  return { id: m[1], address: `${m[2]}:${m[3]}` };
}

export function resolveOptions(options: TesseraClientOptions): ResolvedOptions {
  const endpoints = options.endpoints.map(parseEndpoint);
  if (endpoints.length === 0) throw invalid('at least one endpoint is needed');
  const unique = [...new Map(endpoints.map((e) => [e.address, e])).values()];
  return {
    endpoints: unique,
    chunkSize: intIn(options.chunkSize, DEFAULT_CHUNK_SIZE, 1, MAX_CHUNK_SIZE, 'chunkSize'),
    concurrency: intIn(options.concurrency, DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY, 'concurrency'),
    retryTimeoutMs: intIn(options.retryTimeoutMs, DEFAULT_RETRY_TIMEOUT_MS, 0, 24 * 3_600_000, 'retryTimeoutMs'),
    attemptTimeoutMs: intIn(options.attemptTimeoutMs, DEFAULT_ATTEMPT_TIMEOUT_MS, 1, 24 * 3_600_000, 'attemptTimeoutMs'),
    grantTenant: grantTenantOf(options.grantTenant),
    bulk: options.bulk ?? true,
  };
}

const TENANT_ID = /^[a-z0-9-]{1,63}$/;

function grantTenantOf(tenant: string | undefined): string | undefined {
  if (tenant === undefined) return undefined;
  if (!TENANT_ID.test(tenant)) throw invalid('grantTenant must be a tenant id (1-63 characters of [a-z0-9-])');
  return tenant;
}

export function checkName(name: string): void {
  if (typeof name !== 'string') throw invalid('object name must be a string');
  const encoded = Buffer.from(name, 'utf8');
  if (encoded.length < 1 || encoded.length > MAX_NAME_BYTES) throw invalid(`object name must be 1 to ${MAX_NAME_BYTES} bytes of UTF-8`);
  // A lone surrogate has no UTF-8 form: encoding replaces it, so the round trip differs.
  if (encoded.toString('utf8') !== name) throw invalid('object name must be valid UTF-8');
}
