/**
 * `Kv.Writes`: a session's puts and deletes over one long-lived stream
 * (ADR 0023). Each request is the same command, proposed the same way, as
 * the unary Put or Delete; only the gRPC call per write is gone (a unary
 * call costs the server about five times the CPU of one stream message:
 * new HTTP/2 stream, headers, deadline timer, interceptors, trailers).
 *
 * One request at a time per stream, as per session: a request that arrives
 * before the previous one is answered is refused with a failure reply (the
 * stream's memory stays bounded by one request). A refusal is a failure
 * reply naming the seq, never the end of the stream; the stream ends when
 * the client half-closes it (after the answer in flight, if any) or goes.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { failureFields } from '@tessera/transport';
import type { KvWriteReply, KvWriteRequest__Output } from '@tessera/wire';

export type WritesCall = grpc.ServerDuplexStream<KvWriteRequest__Output, KvWriteReply>;

/** Answers one request (a put or a delete) with its reply's result part; throws to refuse it. */
export type AnswerWrite = (request: KvWriteRequest__Output) => Promise<Omit<KvWriteReply, 'seq'>>;

/** The seq a request names ('0' when it names none), echoed in its reply. */
function seqOf(request: KvWriteRequest__Output): string {
  const session = request.op === 'put' ? request.put?.session : request.op === 'delete' ? request.delete?.session : undefined;
  return session?.seq ?? '0';
}

export function writesHandler(answer: AnswerWrite): (call: WritesCall) => void {
  return (call) => {
    let busy = false;
    let halfClosed = false;
    let gone = false;
    const finish = (): void => {
      if (!gone && halfClosed && !busy) {
        gone = true;
        call.end();
      }
    };
    const reply = (message: KvWriteReply): void => {
      if (!gone) call.write(message);
    };
    call.on('data', (request: KvWriteRequest__Output) => {
      const seq = seqOf(request);
      if (busy) {
        reply({ seq, failure: failureFields(new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'one request at a time per Writes stream')) });
        return;
      }
      busy = true;
      answer(request).then(
        (result) => reply({ seq, ...result }),
        (err: unknown) => reply({ seq, failure: failureFields(err) }),
      ).finally(() => {
        busy = false;
        finish();
      });
    });
    call.on('end', () => {
      halfClosed = true;
      finish();
    });
    // The client went away or the server is closing: nothing more is written.
    call.on('cancelled', () => {
      gone = true;
    });
    call.on('error', () => {
      gone = true;
    });
  };
}
