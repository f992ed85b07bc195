/**
 * The one import point for CRC32C (Castagnoli) in the Raft package. The
 * implementation (native `@node-rs/crc32` with the portable `crc-32` as
 * fallback, checked against the catalogue value at load) lives in
 * `@tessera/erasure`; see docs/adr/0002-crc32c-home.md for why Raft depends on it.
 */
export { crc32c } from '@tessera/erasure';
