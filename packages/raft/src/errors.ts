/**
 * Error factories for the storage contract (see `RaftLogReader` in types.ts).
 * The core branches on `code`, so every implementation must use these.
 */
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';

export function compactedError(index: number): TesseraError {
  return new TesseraError(ErrorCodes.RAFT_LOG_COMPACTED, `raft log index ${index} is compacted`);
}

export function unavailableError(index: number): TesseraError {
  return new TesseraError(ErrorCodes.RAFT_LOG_UNAVAILABLE, `raft log index ${index} is unavailable`);
}

export function snapshotUnavailableError(): TesseraError {
  return new TesseraError(ErrorCodes.RAFT_SNAPSHOT_UNAVAILABLE, 'raft snapshot temporarily unavailable', {
    retriable: true,
  });
}

export function snapshotOutOfDateError(index: number): TesseraError {
  return new TesseraError(ErrorCodes.RAFT_SNAPSHOT_OUT_OF_DATE, `raft snapshot at ${index} is out of date`);
}

/** An entry (or snapshot) failed its checksum: the replica must not serve from it. */
export class CorruptEntryError extends TesseraError {
  readonly index: number;
  constructor(index: number) {
    super(ErrorCodes.RAFT_CORRUPT_LOG, `raft log entry ${index} failed its checksum`);
    this.index = index;
  }
}

export function corruptEntryError(index: number): CorruptEntryError {
  return new CorruptEntryError(index);
}

/** A broken internal invariant: a bug, never an expected condition. */
export function invariantError(message: string): TesseraError {
  return new TesseraError(ErrorCodes.RAFT_INVARIANT, `raft invariant violated: ${message}`);
}

export function isCompacted(err: unknown): boolean {
  return isTesseraError(err, ErrorCodes.RAFT_LOG_COMPACTED);
}

export function isUnavailable(err: unknown): boolean {
  return isTesseraError(err, ErrorCodes.RAFT_LOG_UNAVAILABLE);
}

export function isCorrupt(err: unknown): boolean {
  return isTesseraError(err, ErrorCodes.RAFT_CORRUPT_LOG);
}
