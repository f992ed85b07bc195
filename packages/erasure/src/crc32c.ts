/**
 * CRC-32C (Castagnoli, the iSCSI/ext4 checksum) over shard records.
 *
 * Two implementations of the same function: `@node-rs/crc32` (native, SIMD,
 * the fast path) and `crc-32` (portable JavaScript, the reference). The native
 * module is loaded lazily, on first use, and trusted only after it reproduces
 * the CRC catalogue check value; if it is missing (no prebuilt binary for this
 * platform) or wrong, everything falls back to the reference.
 *
 * Both return the CRC as an unsigned 32-bit integer. `previous` continues a
 * running CRC: crc32c(b, crc32c(a)) === crc32c(a ‖ b).
 */
import { createRequire } from 'node:module';
import { ErrorCodes, TesseraError } from '@tessera/common';
// crc-32 is CommonJS without an exports map: the subpath needs its extension
// under ESM, and its functions are reachable only through the default import.
import CRC32C from 'crc-32/crc32c.js';

export type Crc32cImplementationName = 'node-rs' | 'crc-32';

export type Crc32cFunction = (data: Uint8Array, previous: number) => number;

/** CRC-32/ISCSI catalogue check: CRC of ASCII "123456789". */
const CHECK_INPUT = Uint8Array.from([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]);
const CHECK_VALUE = 0xe3069283;

const referenceCrc: Crc32cFunction = (data, previous) => CRC32C.buf(data, previous) >>> 0;

/** The portable reference (crc-32 returns a signed int32; `>>> 0` makes it unsigned). */
export function crc32cReference(data: Uint8Array, previous = 0): number {
  checkPrevious(previous);
  return referenceCrc(data, previous);
}

interface NativeCrcModule {
  crc32c(input: Uint8Array, initialState?: number | null): number;
}

function isNativeCrcModule(value: unknown): value is NativeCrcModule {
  return typeof value === 'object' && value !== null && typeof (value as { crc32c?: unknown }).crc32c === 'function';
}

/**
 * Loads the native implementation through `load` (a thunk so tests can make it
 * fail); undefined when it throws, has the wrong shape or computes wrong CRCs.
 */
export function loadNativeCrc32c(load: () => unknown): Crc32cFunction | undefined {
  try {
    const mod = load();
    if (!isNativeCrcModule(mod) || mod.crc32c(CHECK_INPUT, 0) >>> 0 !== CHECK_VALUE) return undefined;
    return (data, previous) => mod.crc32c(data, previous) >>> 0;
  } catch {
    return undefined;
  }
}

export interface ActiveCrc32c {
  readonly name: Crc32cImplementationName;
  readonly fn: Crc32cFunction;
}

/** The native implementation if `load` yields a working one, else the reference. */
export function resolveCrc32c(load: () => unknown): ActiveCrc32c {
  const native = loadNativeCrc32c(load);
  return native !== undefined ? { name: 'node-rs', fn: native } : { name: 'crc-32', fn: referenceCrc };
}

let active: ActiveCrc32c | undefined;

function activeCrc(): ActiveCrc32c {
  return (active ??= resolveCrc32c(() => createRequire(import.meta.url)('@node-rs/crc32')));
}

/** CRC-32C of `data`, continuing from `previous` (default 0: a fresh CRC). */
export function crc32c(data: Uint8Array, previous = 0): number {
  checkPrevious(previous);
  return activeCrc().fn(data, previous);
}

/** Which implementation `crc32c` uses in this process. */
export function crc32cImplementation(): Crc32cImplementationName {
  return activeCrc().name;
}

function checkPrevious(previous: number): void {
  if (!Number.isInteger(previous) || previous < 0 || previous > 0xffff_ffff) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'previous CRC must be an unsigned 32-bit integer');
  }
}
