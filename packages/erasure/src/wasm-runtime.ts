/**
 * The slice of the WebAssembly JS API this package uses, typed locally: the
 * project compiles against lib ES2023 and @types/node 20, neither of which
 * declares the `WebAssembly` global.
 */

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => WasmInstance;
}

function isWasmApi(value: unknown): value is WasmApi {
  if (typeof value !== 'object' || value === null) return false;
  const api = value as Partial<Record<keyof WasmApi, unknown>>;
  return typeof api.validate === 'function' && typeof api.Module === 'function' && typeof api.Instance === 'function';
}

/** The runtime's WebAssembly API, or undefined where there is none. */
export function webAssembly(): WasmApi | undefined {
  const api: unknown = (globalThis as { WebAssembly?: unknown }).WebAssembly;
  return isWasmApi(api) ? api : undefined;
}

export function isWasmMemory(value: unknown): value is WasmMemory {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { buffer?: unknown }).buffer instanceof ArrayBuffer &&
    typeof (value as { grow?: unknown }).grow === 'function'
  );
}
