/** gRPC server options every Tessera port uses. */
import type * as grpc from '@grpc/grpc-js';
import { MAX_MESSAGE_BYTES } from '@tessera/wire';

export function serverOptions(maxMessageBytes: number = MAX_MESSAGE_BYTES): grpc.ServerOptions {
  return {
    // Larger messages are refused with RESOURCE_EXHAUSTED naming both sizes.
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    // Find dead clients on long-lived streams (Raft, Watch) as fast as clients find us.
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
  };
}
