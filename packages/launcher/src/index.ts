export * from './certs/index.js';
export * from './cluster/index.js';
// Plaintext canary scanner for the K1 tests: every encoding of a marker, in files (streamed) and in LevelDB records.
export * from './canary/index.js';
