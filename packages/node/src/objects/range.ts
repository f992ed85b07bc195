/**
 * Which parts of which chunks a ranged read needs. Pure arithmetic over the
 * object's chunk sizes (in object order), so the data path fetches and opens
 * only the chunks that overlap the range.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

/** Bytes [from, to) of chunk `index` (its position in the object). */
export interface ChunkSlice {
  readonly index: number;
  readonly from: number;
  readonly to: number;
}

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

/**
 * Plans the read of `length` bytes at `offset` (length 0: to the end of the
 * object). The range is clipped to the object, as an HTTP range is: it reads
 * bytes [start, end) with end = min(offset + length, size). An offset equal
 * to the size reads nothing (reading at the end of an object is not an
 * error, so an empty object can be read); an offset beyond it is
 * INVALID_ARGUMENT. Only chunks overlapping [start, end) are listed, in
 * order; empty chunks never are.
 */
export function planRange(chunkSizes: readonly number[], offset: number, length: number): { slices: ChunkSlice[]; start: number; end: number } {
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalid('range offset must be a non-negative integer');
  if (!Number.isSafeInteger(length) || length < 0) throw invalid('range length must be a non-negative integer');
  let size = 0;
  for (const s of chunkSizes) {
    if (!Number.isSafeInteger(s) || s < 0) throw invalid('chunk sizes must be non-negative integers');
    size += s;
  }
  if (!Number.isSafeInteger(size)) throw invalid('object too large');
  if (offset > size) throw invalid('range starts beyond the end of the object');
  const start = offset;
  const end = length === 0 ? size : Math.min(size, offset + length);
  const slices: ChunkSlice[] = [];
  let chunkStart = 0;
  for (let index = 0; index < chunkSizes.length && chunkStart < end; index++) {
    const chunkEnd = chunkStart + (chunkSizes[index] as number);
    if (chunkEnd > start && chunkEnd > chunkStart) {
      slices.push({ index, from: Math.max(start, chunkStart) - chunkStart, to: Math.min(end, chunkEnd) - chunkStart });
    }
    chunkStart = chunkEnd;
  }
  return { slices, start, end };
}
