/**
 * Page-aligned memory for O_DIRECT writes.
 *
 * O_DIRECT needs the user buffer aligned to the device's logical block size
 * (512 B or 4 KiB), and Node exposes no buffer addresses and no aligned
 * allocator. Measured on this project's machines, `Buffer.allocUnsafeSlow`
 * is not aligned at all: glibc hands large blocks out of mmap with a 16-byte
 * header in front, so 98 of 100 probe writes failed with EINVAL. WebAssembly
 * linear memory, on the other hand, is a virtual-memory reservation that V8
 * maps itself, so its base is page-aligned by construction, and it stays so
 * after `grow` (which may move it, but only to another page-aligned mapping).
 * The arena therefore hands out views of a WebAssembly.Memory; the device
 * still verifies alignment with a probe write when it opens (see
 * direct-probe.ts) and falls back to buffered I/O, with the reason reported,
 * if the kernel refuses it.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

const WASM_PAGE = 64 * 1024;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

type WasmMemoryConstructor = new (descriptor: { initial: number; maximum?: number }) => WasmMemory;

function memoryConstructor(): WasmMemoryConstructor | undefined {
  const api = (globalThis as { WebAssembly?: { Memory?: unknown } }).WebAssembly;
  return typeof api?.Memory === 'function' ? (api.Memory as WasmMemoryConstructor) : undefined;
}

export class AlignedArena {
  private memory: WasmMemory;

  constructor(initialBytes: number) {
    const Memory = memoryConstructor();
    if (Memory === undefined) {
      throw new TesseraError(ErrorCodes.INTERNAL, 'aligned buffers need WebAssembly, which this runtime lacks');
    }
    this.memory = new Memory({ initial: Math.max(1, Math.ceil(initialBytes / WASM_PAGE)) });
  }

  get capacity(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * A view of the first `bytes` bytes, starting on a page boundary. Growing
   * invalidates earlier views, so callers take a fresh view per write.
   */
  view(bytes: number): Buffer {
    if (bytes > this.capacity) this.memory.grow(Math.ceil((bytes - this.capacity) / WASM_PAGE));
    return Buffer.from(this.memory.buffer, 0, bytes);
  }
}
