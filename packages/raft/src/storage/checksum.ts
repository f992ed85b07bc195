/**
 * The one import point for CRC32C (Castagnoli). Prefers the native
 * `@node-rs/crc32`; falls back to the pure-JS `crc-32/crc32c` (signed result,
 * normalised with `>>> 0`). Both compute the same function.
 */
import { createRequire } from 'node:module';

type Crc32cFn = (data: Uint8Array, initial?: number) => number;

const require = createRequire(import.meta.url);

function loadCrc32c(): Crc32cFn {
  try {
    const native = require('@node-rs/crc32') as { crc32c(input: Uint8Array, initial?: number | null): number };
    return (data, initial) => native.crc32c(data, initial ?? 0) >>> 0;
  } catch {
    const js = require('crc-32/crc32c') as { buf(data: Uint8Array, seed?: number): number };
    return (data, initial) => js.buf(data, initial ?? 0) >>> 0;
  }
}

/** CRC32C of `data` as an unsigned 32-bit integer; `initial` continues a previous CRC. */
export const crc32c: Crc32cFn = loadCrc32c();
