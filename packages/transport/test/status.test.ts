import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { NotLeaderError, RejectedError, UnknownOutcomeError } from '@tessera/raft';
import { ERROR_CODE_METADATA, LEADER_METADATA, RpcFailure, failureFields, failureFromFields, rpcFailure, toStatus } from '../src/rpc/status.js';

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
    [new TesseraError(ErrorCodes.KEK_DESTROYED, 'gone'), grpc.status.FAILED_PRECONDITION],
    [new TesseraError(ErrorCodes.KM_CONFLICT, 'moved on'), grpc.status.FAILED_PRECONDITION],
    [new TesseraError(ErrorCodes.KM_TENANT_NOT_FOUND, 'no tenant'), grpc.status.NOT_FOUND],
    [new TesseraError(ErrorCodes.KM_TENANT_EXISTS, 'exists'), grpc.status.ALREADY_EXISTS],
    [new TesseraError(ErrorCodes.KM_FORBIDDEN, 'no'), grpc.status.PERMISSION_DENIED],
    [new TesseraError(ErrorCodes.KM_NODE_NOT_ALLOWED, 'no'), grpc.status.PERMISSION_DENIED],
    [new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'later'), grpc.status.UNAVAILABLE],
    [new TesseraError(ErrorCodes.AUDIT_UNKNOWN_CHAIN, 'no chain'), grpc.status.NOT_FOUND],
    [new TesseraError(ErrorCodes.KM_PROVIDER_CONFIG, 'one member only'), grpc.status.FAILED_PRECONDITION],
    [new TesseraError(ErrorCodes.CRYPTO_KEY_DESTROYED, 'key has been destroyed'), grpc.status.UNAVAILABLE],
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

  it('reads a failure back on the client: code from the metadata, message from the details, the leader hint', () => {
    const s = toStatus(new NotLeaderError('km2'));
    const failure = rpcFailure(Object.assign(new Error(s.details), { code: s.code!, details: s.details!, metadata: s.metadata! }));
    expect(failure).toMatchObject({ code: ErrorCodes.RAFT_NOT_LEADER, leader: 'km2', status: grpc.status.UNAVAILABLE, retriable: true });
    const kek = toStatus(new TesseraError(ErrorCodes.KEK_DESTROYED, "the tenant's key-encryption key has been destroyed"));
    expect(rpcFailure(Object.assign(new Error(''), { code: kek.code!, details: kek.details!, metadata: kek.metadata! }))).toMatchObject({ code: ErrorCodes.KEK_DESTROYED, retriable: false });
    // Without the metadata (a refusal by the interceptor): a transport code by status.
    const denied = Object.assign(new Error(''), { code: grpc.status.PERMISSION_DENIED, details: 'permission denied', metadata: new grpc.Metadata() });
    expect(rpcFailure(denied).code).toBe(ErrorCodes.TRANSPORT_PERMISSION_DENIED);
    const forged = new grpc.Metadata();
    forged.set(ERROR_CODE_METADATA, 'NOT_A_CODE');
    expect(rpcFailure(Object.assign(new Error(''), { code: grpc.status.INTERNAL, details: 'x', metadata: forged })).code).toBe(ErrorCodes.INTERNAL);
  });
});

describe('failures carried in reply messages (Kv.Writes, ADR 0023)', () => {
  it('round-trip to the RpcFailure the unary call would have given', () => {
    const notLeader = failureFromFields(failureFields(new NotLeaderError('n2')));
    expect(notLeader).toMatchObject({ status: grpc.status.UNAVAILABLE, code: ErrorCodes.RAFT_NOT_LEADER, leader: 'n2' });
    const unknown = failureFromFields(failureFields(new UnknownOutcomeError('leaderChange', 7)));
    expect(unknown).toMatchObject({ status: grpc.status.ABORTED, code: ErrorCodes.RAFT_UNKNOWN_OUTCOME, leader: undefined });
    const internal = failureFields(new Error('disk /secret/path failed'));
    expect(internal).toEqual({ status: grpc.status.INTERNAL, code: ErrorCodes.INTERNAL, message: 'internal error', leader: '' });
  });

  it("never take a name from Object's prototype for a Tessera code", () => {
    for (const name of ['valueOf', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(failureFromFields({ status: 14, code: name, message: 'x', leader: '' }).code).toBe(ErrorCodes.INTERNAL);
      const metadata = new grpc.Metadata();
      metadata.set(ERROR_CODE_METADATA, name);
      const err = Object.assign(new Error('x'), { code: grpc.status.INTERNAL, details: 'x', metadata }) as grpc.ServiceError;
      expect(rpcFailure(err).code).toBe(ErrorCodes.INTERNAL);
    }
  });

  it('read any fields a server sends into an RpcFailure with a real status and a known code', () => {
    const codes = new Set<string>(Object.values(ErrorCodes));
    fc.assert(
      fc.property(fc.record({ status: fc.oneof(fc.integer(), fc.double()), code: fc.oneof(fc.string(), fc.constantFrom(...Object.values(ErrorCodes)), fc.constantFrom('valueOf', 'constructor', '__proto__')), message: fc.string(), leader: fc.string() }), (fields) => {
        const f = failureFromFields(fields);
        expect(f).toBeInstanceOf(RpcFailure);
        expect(Number.isInteger(f.status) && f.status >= 1 && f.status <= 16).toBe(true);
        expect(codes.has(f.code)).toBe(true);
        expect(f.leader === undefined || f.leader === fields.leader).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
