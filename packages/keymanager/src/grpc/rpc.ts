/**
 * Handler adapters for the Keys service: failures become gRPC statuses with
 * the Tessera code (transport's `toStatus`), and a follower's NotLeader
 * also names the leader's committed keys-port address
 * (`tessera-leader-address`), so a client that knows only one key manager
 * finds the leader. Key material leaves through `secretUnary`, which wipes
 * the response bytes once grpc-js has serialised them.
 */
import * as grpc from '@grpc/grpc-js';
import { NotLeaderError } from '@tessera/raft';
import { toStatus } from '@tessera/transport';

export const LEADER_ADDRESS_METADATA = 'tessera-leader-address';

export type LeaderAddress = (leaderId: string) => string | undefined;

export function keysStatus(err: unknown, leaderAddress: LeaderAddress): Partial<grpc.StatusObject> {
  const status = toStatus(err);
  if (err instanceof NotLeaderError && err.leader !== undefined) {
    const address = leaderAddress(err.leader);
    if (address !== undefined) status.metadata?.set(LEADER_ADDRESS_METADATA, address);
  }
  return status;
}

export function keysUnary<Req, Res>(
  leaderAddress: LeaderAddress,
  handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request, call).then(
      (response) => callback(null, response),
      (err: unknown) => callback(keysStatus(err, leaderAddress)),
    );
  };
}

/**
 * For responses carrying key bytes: the handler returns the response and
 * the buffers holding secrets; they are zero-filled right after the
 * response is handed to grpc-js (which serialises it synchronously).
 */
export function secretUnary<Req, Res>(
  leaderAddress: LeaderAddress,
  handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<{ response: Res; secrets: readonly Buffer[] }>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request, call).then(
      ({ response, secrets }) => {
        try {
          callback(null, response);
        } finally {
          setImmediate(() => {
            for (const s of secrets) s.fill(0);
          });
        }
      },
      (err: unknown) => callback(keysStatus(err, leaderAddress)),
    );
  };
}
