/**
 * Makes sure protobufjs encodes 64-bit integers exactly.
 *
 * protobufjs finds the `long` library with a bare `require('long')`. When the
 * process resolves CommonJS requires with the `import` condition (vitest does,
 * through `--conditions import`), that require returns long's ES module
 * namespace instead of the Long class, protobufjs silently falls back to
 * JavaScript numbers, and every u64 above 2^53 is corrupted ('2^64-1' encodes
 * as 0). We hand protobufjs the real class, resolved from proto-loader's own
 * dependencies, before anything is loaded; `assertExactU64` then proves it.
 */
import { createRequire } from 'node:module';

interface LongClass {
  isLong(value: unknown): boolean;
}

interface ProtobufUtil {
  Long: LongClass | null | undefined;
}

interface Protobufjs {
  util: ProtobufUtil;
  configure(): void;
}

function asLongClass(mod: unknown): LongClass | undefined {
  const candidates = [mod, (mod as { default?: unknown } | null)?.default];
  for (const c of candidates) {
    if (typeof c === 'function' && typeof (c as Partial<LongClass>).isLong === 'function') return c as unknown as LongClass;
  }
  return undefined;
}

let done = false;

export function ensureLongSupport(): void {
  if (done) return;
  done = true;
  const fromHere = createRequire(import.meta.url);
  const fromLoader = createRequire(fromHere.resolve('@grpc/proto-loader'));
  const protobuf = fromLoader('protobufjs') as Protobufjs;
  if (asLongClass(protobuf.util.Long) !== undefined) return;
  const long = asLongClass(fromLoader('long'));
  if (long === undefined) return; // assertExactU64 reports the problem
  protobuf.util.Long = long;
  protobuf.configure();
}
