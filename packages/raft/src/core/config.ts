/**
 * Configuration defaults and validation for the core.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { NONE, type RaftConfig } from '../types.js';

export const DEFAULTS = {
  maxSizePerMsg: 1024 * 1024,
  maxCommittedSizePerReady: 4 * 1024 * 1024,
  maxInflightMsgs: 256,
  maxInflightBytes: 32 * 1024 * 1024,
  maxUncommittedEntriesSize: 64 * 1024 * 1024,
} as const;

export function validateConfig(c: RaftConfig): void {
  const bad = (why: string): never => {
    throw new TesseraError(ErrorCodes.RAFT_BAD_CONFIG, `invalid raft config: ${why}`);
  };
  if (c.id === NONE) bad('id must not be empty');
  if (!Number.isInteger(c.heartbeatTick) || c.heartbeatTick <= 0) bad('heartbeatTick must be > 0');
  if (!Number.isInteger(c.electionTick) || c.electionTick <= c.heartbeatTick) bad('electionTick must be > heartbeatTick');
  if (c.maxInflightMsgs !== undefined && c.maxInflightMsgs <= 0) bad('maxInflightMsgs must be > 0');
  if (c.maxSizePerMsg !== undefined && c.maxSizePerMsg <= 0) bad('maxSizePerMsg must be > 0');
}

