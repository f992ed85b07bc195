export { CANARY_MAX_BYTES, CANARY_MIN_BYTES, canaryNeedles } from './needles.js';
export type { CanaryNeedle } from './needles.js';
export { DEFAULT_SCAN_CHUNK_BYTES } from './search.js';
export { scanFilesForCanary } from './files.js';
export type { FileScanOptions } from './files.js';
export { findLevelDbDirs, scanLevelDbForCanary } from './leveldb.js';
export type { LevelDbScanOptions } from './leveldb.js';
export type { CanaryHit } from './types.js';
