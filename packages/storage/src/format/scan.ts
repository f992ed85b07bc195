/**
 * Forward scan of an extent: turns bytes into records, padding, damaged
 * regions and a torn tail. Used by open (from the indexed tail), by index
 * rebuild (from the first record), by scrub and by compaction.
 *
 * Rules:
 * - A record counts only if its header CRC and record CRC both hold.
 * - A header that parses but whose payload fails its CRC is stepped over by
 *   its (header-checksummed) length: one damaged record costs one record.
 * - Anything else that does not parse is skipped by searching for the next
 *   magic whose header CRC holds (resynchronisation).
 * - In 4 KiB-aligned extents a zero magic is padding up to the next boundary.
 * - Damage followed by no valid record up to the end of the file is the torn
 *   tail of an interrupted append (reported once, as `tail`); damage followed
 *   by a valid record is a damaged region (`bad`).
 */
import { alignUp } from './extent-header.js';
import { MAX_RECORD_PAYLOAD, RECORD_HEADER_BYTES, RECORD_MAGIC, parseRecordHeader, recordChecksumOk, type RecordHeader } from './record.js';

export interface ScanSource {
  read(position: number, length: number): Promise<Buffer>;
}

export type ScanItem =
  | {
      readonly type: 'record';
      readonly offset: number;
      readonly header: RecordHeader;
      /** The whole record; a view valid until the next item is requested. */
      readonly bytes: Buffer;
    }
  | {
      readonly type: 'bad';
      readonly offset: number;
      readonly length: number;
      /** Present when the header was intact and only the payload failed its CRC. */
      readonly header?: RecordHeader;
    }
  | { readonly type: 'tail'; readonly offset: number; readonly length: number; readonly damaged: readonly DamagedRegion[] };

export interface DamagedRegion {
  readonly offset: number;
  readonly length: number;
  readonly header?: RecordHeader;
}

export interface ScanOptions {
  readonly from: number;
  /** Exclusive end (the file size). */
  readonly to: number;
  readonly alignment: number;
  readonly maxPayload?: number;
  /** Bytes read at a time (default 1 MiB; grows for larger records). */
  readonly windowBytes?: number;
}

/** A read-through window over the source, refilled on demand. */
class Window {
  private start = 0;
  private data: Buffer = Buffer.alloc(0);

  constructor(
    private readonly source: ScanSource,
    private readonly end: number,
    private readonly windowBytes: number,
  ) {}

  /** `length` bytes at `position` (fewer only at the end of the source). */
  async get(position: number, length: number): Promise<Buffer> {
    const want = Math.min(length, this.end - position);
    if (position < this.start || position + want > this.start + this.data.length) {
      const size = Math.min(Math.max(this.windowBytes, want), this.end - position);
      this.data = await this.source.read(position, size);
      this.start = position;
    }
    const from = position - this.start;
    return this.data.subarray(from, Math.min(from + want, this.data.length));
  }
}

export async function* scanExtent(source: ScanSource, options: ScanOptions): AsyncGenerator<ScanItem> {
  const { to, alignment } = options;
  const maxPayload = options.maxPayload ?? MAX_RECORD_PAYLOAD;
  const window = new Window(source, to, options.windowBytes ?? 1024 * 1024);
  const pending: DamagedRegion[] = [];
  let pos = options.from;

  while (pos < to) {
    const head = await window.get(pos, RECORD_HEADER_BYTES);
    if (alignment > 1 && head.length >= 4 && head.readUInt32BE(0) === 0) {
      // Zero padding after a batch in an aligned extent.
      const next = Math.min(to, alignUp(pos + 1, alignment));
      if (await allZero(window, pos, next)) {
        if (pending.length > 0) pending.push({ offset: pos, length: next - pos });
        pos = next;
        continue;
      }
    }
    const parsed = parseRecordHeader(head, 0, maxPayload);
    if (parsed.ok && pos + parsed.header.recordLength <= to) {
      const { header } = parsed;
      const bytes = await window.get(pos, header.recordLength);
      if (recordChecksumOk(bytes, 0, header)) {
        for (const region of pending.splice(0)) yield { type: 'bad', ...region };
        yield { type: 'record', offset: pos, header, bytes };
      } else {
        pending.push({ offset: pos, length: header.recordLength, header });
      }
      pos += header.recordLength;
      continue;
    }
    const next = await findNextHeader(window, pos + 1, to, maxPayload);
    pending.push({ offset: pos, length: next - pos });
    pos = next;
  }
  if (pending.length > 0) {
    const first = pending[0]!;
    yield { type: 'tail', offset: first.offset, length: to - first.offset, damaged: pending };
  }
}

async function allZero(window: Window, from: number, to: number): Promise<boolean> {
  const bytes = await window.get(from, to - from);
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return bytes.length === to - from;
}

/** The next offset ≥ `from` holding a header whose CRC holds, or `to`. */
async function findNextHeader(window: Window, from: number, to: number, maxPayload: number): Promise<number> {
  const step = 1024 * 1024;
  let pos = from;
  while (pos < to) {
    const chunk = await window.get(pos, Math.min(step + RECORD_HEADER_BYTES, to - pos));
    let at = chunk.indexOf(RECORD_MAGIC, 0);
    while (at !== -1 && at < step) {
      if (at + RECORD_HEADER_BYTES > chunk.length) break;
      if (parseRecordHeader(chunk, at, maxPayload).ok) return pos + at;
      at = chunk.indexOf(RECORD_MAGIC, at + 1);
    }
    if (at !== -1 && at < step) {
      // A magic too close to the chunk's end to check: look again from there.
      if (pos + at + RECORD_HEADER_BYTES > to) return to;
      pos += at;
      continue;
    }
    pos += step;
  }
  return to;
}
