export { TesseraClient } from './client.js';
export type { ListOptions, PutOptions } from './client.js';
export type { ObjectInfo } from './object-info.js';
export type { ByteRangeOption, ObjectReadable } from './read.js';
export type { PutSource } from './source.js';
export {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CONCURRENCY,
  DEFAULT_RETRY_TIMEOUT_MS,
  INLINE_MAX_BYTES,
  MAX_CHUNK_SIZE,
  MAX_CHUNKS_PER_OBJECT,
  MAX_NAME_BYTES,
  MAX_PAGE_SIZE,
  parseEndpoint,
} from './options.js';
export type { Endpoint, TesseraClientOptions, TesseraClientTls } from './options.js';
