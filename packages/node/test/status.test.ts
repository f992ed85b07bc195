import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { NotLeaderError, RejectedError, UnknownOutcomeError } from '@tessera/raft';
import { ERROR_CODE_METADATA, LEADER_METADATA, toStatus } from '../src/rpc/status.js';

describe('errors to gRPC statuses', () => {
  it.each([
    [new NotLeaderError('n2'), grpc.status.UNAVAILABLE],
    [new NotLeaderError(undefined), grpc.status.UNAVAILABLE],
    [new RejectedError('leaderNotReady'), grpc.status.UNAVAILABLE],
    [new RejectedError('twoVoters'), grpc.status.FAILED_PRECONDITION],
    [new UnknownOutcomeError('leaderChange', 7), grpc.status.ABORTED],
    [new TesseraError(ErrorCodes.RAFT_TIMEOUT, 'read index timed out'), grpc.status.DEADLINE_EXCEEDED],
    [new TesseraError(ErrorCodes.RAFT_STORAGE, 'disk'), grpc.status.UNAVAILABLE],
    [new TesseraError(ErrorCodes.RAFT_SESSION_EXPIRED, 'gone'), grpc.status.FAILED_PRECONDITION],
    [new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'short'), grpc.status.INVALID_ARGUMENT],
    [new TesseraError(ErrorCodes.WIRE_BAD_U64, 'bad'), grpc.status.INVALID_ARGUMENT],
  ])('%s → %s, with the error code in the metadata', (err, code) => {
    const s = toStatus(err);
    expect(s.code).toBe(code);
    expect(s.metadata?.get(ERROR_CODE_METADATA)).toEqual([err.code]);
  });

  it('names the leader when it is known', () => {
    expect(toStatus(new NotLeaderError('n2')).metadata?.get(LEADER_METADATA)).toEqual(['n2']);
    expect(toStatus(new NotLeaderError(undefined)).metadata?.get(LEADER_METADATA)).toEqual([]);
  });

  it('says nothing about errors that are not TesseraErrors', () => {
    const s = toStatus(new Error('secret internal detail'));
    expect(s).toMatchObject({ code: grpc.status.INTERNAL, details: 'internal error' });
    expect(s.metadata?.get(ERROR_CODE_METADATA)).toEqual([ErrorCodes.INTERNAL]);
  });
});
